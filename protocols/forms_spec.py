"""The lines of each kind of protocol and their control checks (pure functions, no database).

* CCM group protocol — seed 000 item 21: voters and their geography, organisations they
  represent, ballots counted and not counted (wrongly filled, late), votes per candidate.
* KG precinct protocol — seed 003 items 46–50 and the protocol form of the election law: voters on
  the list, ballots received, issued in the premises and outside, cancelled, found in the boxes,
  invalid, valid, votes per list or candidate and "against all". TEC summary tables and the CEC
  result have the same lines, summed.

A check compares two sides; a failing check blocks signing until the figures are corrected or
the failure is explained (``protocols.services.protocol``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

GROUP = "group"
PRECINCT = "precinct"
TERRITORIAL = "territorial"
CENTRAL = "central"
KG_LEVELS = (PRECINCT, TERRITORIAL, CENTRAL)


@dataclass(frozen=True)
class Line:
    code: str
    number: str  # as printed on the form: "1", "2", "3а"…
    label: object  # lazy translated
    #: where the portal takes the value from when it pre-fills the draft ("" = entered by hand)
    source: str = ""


GROUP_LINES: tuple[Line, ...] = (
    Line("voters_registered", "1", _("Voters registered in the group"), "registrations"),
    Line("voters_voted", "2", _("Voters who took part in the voting"), "participations"),
    Line("voted_online", "2.1", _("of them online"), "participations"),
    Line("voted_assembly", "2.2", _("of them at the assembly"), "participations"),
    Line("voted_paper", "2.3", _("of them on paper or by e-mail"), "participations"),
    Line("regions", "3", _("Regions the voters who took part come from"), "registrations"),
    Line("organisations", "4", _("Organisations or groups the voters represent"), "registrations"),
    Line("ballots_total", "5", _("Ballots received"), "ballots"),
    Line("ballots_valid", "6", _("Valid ballots"), "ballots"),
    Line("ballots_blank", "6.1", _("of them blank (no option marked)"), "ballots"),
    Line("ballots_invalid", "7", _("Ballots not counted because wrongly filled"), "ballots"),
    Line("ballots_late", "8", _("Ballots not counted because received late"), "ballots"),
    Line("late_online_attempts", "8.1", _("Online ballots refused after closing time"), "ballots"),
    Line("observers", "9", _("Independent observers present"), "observers"),
)

KG_LINES: tuple[Line, ...] = (
    Line("voters_on_list", "1", _("Voters on the list"), "register"),
    Line("ballots_received", "2", _("Ballots received by the commission"), "acts"),
    Line("ballots_issued_premises", "3", _("Ballots issued to voters in the polling station"), "day"),
    Line("ballots_issued_outside", "4", _("Ballots issued to voters outside the polling station"), "mobile"),
    Line("ballots_cancelled", "5", _("Cancelled (unused) ballots"), "day"),
    Line("ballots_in_boxes", "6", _("Ballots found in the ballot boxes")),
    Line("ballots_invalid", "7", _("Invalid ballots")),
    Line("ballots_valid", "8", _("Valid ballots")),
)


def lines_for(level: str) -> tuple[Line, ...]:
    return GROUP_LINES if level == GROUP else KG_LINES


def line_name(code: str) -> str:
    """The line as a user reads it ("1. Voters on the list"), never its internal code."""
    for line in (*GROUP_LINES, *KG_LINES):
        if line.code == code:
            return f"{line.number}. {line.label}"
    return str(_("a line of the protocol"))


def option_names(contest) -> dict[str, str]:
    """Ballot option code -> its label in the current language (for messages)."""
    from django.utils.translation import get_language

    language = (get_language() or "ru")[:2]
    return {o.code: (getattr(o, f"label_{language}", "") or o.label_ru) for o in contest.options.all()}


@dataclass(frozen=True)
class CheckResult:
    code: str
    label: str
    ok: bool
    left: int
    right: int
    explanation: str = ""
    relation: str = "=="  # "==" or "<=": a failed "<=" reads "left > right", a failed "==" "left ≠ right"

    @property
    def is_blocking(self) -> bool:
        return not self.ok and not self.explanation.strip()


@dataclass(frozen=True)
class Check:
    code: str
    label: object  # lazy translated, e.g. "received = issued + cancelled"
    relation: str  # "==" or "<="
    left: Callable[[Mapping, Mapping], int]
    right: Callable[[Mapping, Mapping], int]


def _f(*codes):
    return lambda figures, votes: sum(int(figures.get(c) or 0) for c in codes)


def _votes(figures, votes):
    return sum(int(v or 0) for v in votes.values())


GROUP_CHECKS: tuple[Check, ...] = (
    Check(
        "voted_le_registered",
        _("voters who took part (2) ≤ voters registered (1)"),
        "<=",
        _f("voters_voted"),
        _f("voters_registered"),
    ),
    Check(
        "voted_by_channel",
        _("voters who took part (2) = online (2.1) + assembly (2.2) + paper (2.3)"),
        "==",
        _f("voters_voted"),
        _f("voted_online", "voted_assembly", "voted_paper"),
    ),
    Check(
        "ballots_add_up",
        _("ballots received (5) = valid (6) + wrongly filled (7) + late (8)"),
        "==",
        _f("ballots_total"),
        _f("ballots_valid", "ballots_invalid", "ballots_late"),
    ),
    Check(
        "counted_le_voted",
        _("valid (6) + wrongly filled (7) ≤ voters who took part (2)"),
        "<=",
        _f("ballots_valid", "ballots_invalid"),
        _f("voters_voted"),
    ),
)

SINGLE_MARK_GROUP_CHECK = Check(
    "votes_equal_valid",
    _("sum of votes for the candidates + blank (6.1) = valid ballots (6)"),
    "==",
    lambda f, v: _votes(f, v) + int(f.get("ballots_blank") or 0),
    _f("ballots_valid"),
)

KG_CHECKS: tuple[Check, ...] = (
    Check(
        "received_accounted",
        _("received (2) = issued in the station (3) + issued outside (4) + cancelled (5)"),
        "==",
        _f("ballots_received"),
        _f("ballots_issued_premises", "ballots_issued_outside", "ballots_cancelled"),
    ),
    Check(
        "boxes_equal_valid_invalid",
        _("found in the boxes (6) = invalid (7) + valid (8)"),
        "==",
        _f("ballots_in_boxes"),
        _f("ballots_invalid", "ballots_valid"),
    ),
    Check(
        "votes_equal_valid",
        _("sum of votes for all lists or candidates and “against all” = valid (8)"),
        "==",
        _votes,
        _f("ballots_valid"),
    ),
    Check(
        "issued_le_list",
        _("issued (3 + 4) ≤ voters on the list (1)"),
        "<=",
        _f("ballots_issued_premises", "ballots_issued_outside"),
        _f("voters_on_list"),
    ),
    Check(
        "boxes_le_issued",
        _("found in the boxes (6) ≤ issued (3 + 4)"),
        "<=",
        _f("ballots_in_boxes"),
        _f("ballots_issued_premises", "ballots_issued_outside"),
    ),
)


def checks_for(level: str, *, single_mark: bool = True) -> tuple[Check, ...]:
    if level == GROUP:
        return GROUP_CHECKS + ((SINGLE_MARK_GROUP_CHECK,) if single_mark else ())
    return KG_CHECKS


def run_checks(
    level: str,
    figures: Mapping,
    votes: Mapping,
    *,
    single_mark: bool = True,
    explanations: Mapping | None = None,
) -> list[CheckResult]:
    """Evaluate every control check of ``level`` on the figures and votes."""
    explanations = explanations or {}
    results = []
    for check in checks_for(level, single_mark=single_mark):
        left, right = check.left(figures, votes), check.right(figures, votes)
        ok = left == right if check.relation == "==" else left <= right
        results.append(
            CheckResult(
                code=check.code,
                label=str(check.label),
                ok=ok,
                left=left,
                right=right,
                explanation="" if ok else str(explanations.get(check.code, "")),
                relation=check.relation,
            )
        )
    return results


#: where a pre-filled line of a precinct protocol comes from, as the check names it
SOURCE_NAMES = {
    "acts": _("the signed acts of hand-over of ballots"),
    "day": _("the closing record of the voting day"),
    "mobile": _("the runs of the mobile ballot box"),
    "registrations": _("the voters the portal registered"),
    "participations": _("the portal's record of who voted"),
    "ballots": _("the portal's count of the ballots"),
}
SOURCE_LINES = ("ballots_received", "ballots_issued_premises", "ballots_issued_outside", "ballots_cancelled")
#: the lines of a group protocol the portal counts itself (the observers present it does not know)
GROUP_SOURCES = ("registrations", "participations", "ballots")


def source_checks(
    level: str,
    figures: Mapping,
    prefilled: Mapping,
    *,
    explanations: Mapping | None = None,
    votes: Mapping | None = None,
    prefilled_votes: Mapping | None = None,
    option_names: Mapping | None = None,
) -> list[CheckResult]:
    """A precinct protocol's lines 2–5 against the records they come from (the acts of hand-over,
    the voting day's closing, the mobile ballot box): a figure typed by hand that differs from its
    source blocks signing until it is corrected or explained. Lines without a source record are
    not checked (the election does not keep those records in the portal).

    A group protocol's figures and votes against the portal's own count (``group_source_checks``)."""
    explanations = explanations or {}
    if level == GROUP:
        return group_source_checks(
            figures, prefilled, votes or {}, prefilled_votes or {}, option_names or {}, explanations
        )
    if level != PRECINCT:
        return []
    by_code = {line.code: line for line in KG_LINES}
    results = []
    for code in SOURCE_LINES:
        if code not in prefilled:
            continue
        line = by_code[code]
        left, right = int(figures.get(code) or 0), int(prefilled[code] or 0)
        check = f"source_{code}"
        results.append(
            CheckResult(
                code=check,
                label=str(
                    _("%(line)s = %(source)s")
                    % {"line": f"{line.number}. {line.label}", "source": SOURCE_NAMES[line.source]}
                ),
                ok=left == right,
                left=left,
                right=right,
                explanation="" if left == right else str(explanations.get(check, "")),
            )
        )
    return results


def group_source_checks(
    figures: Mapping,
    prefilled: Mapping,
    votes: Mapping,
    prefilled_votes: Mapping,
    option_names: Mapping,
    explanations: Mapping,
) -> list[CheckResult]:
    """A group protocol against what the portal counted itself: registrations, who voted in each
    channel, the ballots and the votes for each option (online ballots are counted by the portal,
    paper ones as entered in it). The commission changes a figure only where its manual count
    differs, and says why: each difference is a check that blocks signing until it is explained.
    Where nothing differs, one passed check says so."""
    differences = [  # (check code, label, entered, counted)
        (
            f"source_{line.code}",
            _("%(line)s = %(source)s")
            % {"line": f"{line.number}. {line.label}", "source": SOURCE_NAMES[line.source]},
            int(figures.get(line.code) or 0),
            int(prefilled[line.code] or 0),
        )
        for line in GROUP_LINES
        if line.source in GROUP_SOURCES and line.code in prefilled
    ] + [
        (
            f"source_vote_{code}",
            _("votes for “%(option)s” = the portal's count of the ballots") % {"option": name},
            int(votes.get(code) or 0),
            int(prefilled_votes.get(code) or 0),
        )
        for code, name in option_names.items()
    ]
    results = [
        CheckResult(
            code=check,
            label=str(label),
            ok=False,
            left=left,
            right=right,
            explanation=str(explanations.get(check, "")),
        )
        for check, label, left, right in differences
        if left != right
    ]
    if not results and prefilled:
        total = sum(int(votes.get(code) or 0) for code in option_names)
        results.append(
            CheckResult(
                code="source_all",
                label=str(_("figures and votes = the portal's count of the registrations and ballots")),
                ok=True,
                left=total,
                right=total,
            )
        )
    return results


def sum_figures(items: list[tuple[Mapping, Mapping]]) -> tuple[dict, dict]:
    """Add up the figures and votes of several protocols (TEC and CEC tables)."""
    figures: dict[str, int] = {}
    votes: dict[str, int] = {}
    for f, v in items:
        for k, n in f.items():
            if isinstance(n, int):
                figures[k] = figures.get(k, 0) + n
        for k, n in v.items():
            votes[k] = votes.get(k, 0) + int(n or 0)
    return figures, votes
