"""Reads for the public results (seed 000 item 24; seed 003 items 56 and 58).

Only signed protocols of an election at the stage ``published`` or ``archived`` are ever read
here: before that every selector returns nothing, so no page, file or mail can leak a figure.

Each result row carries the absolute number, the percentage and the *base* the percentage is of:

* votes for a candidate or list, “against all” and blank ballots — of the **valid ballots**;
* invalid (wrongly filled) and late ballots — of the **ballots received** (CCM group protocol,
  line 5) or of the **ballots found in the ballot boxes** (KG protocols, line 6).

Where the numbers come from: a CCM group's signed group protocol; a KG council's signed result
of the central commission (falling back to the territorial summary of its district), the
territorial summary per district and the precinct protocols per precinct. Turnout by region comes
from aggregated counts only (never a row per voter).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Max, OuterRef, Prefetch, Q, Subquery
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from ballots.models import Contest, ContestOption
from elections.models import Election

from . import forms_spec
from .models import Protocol, ProtocolDocument

PUBLISHED_STATES = (Election.State.PUBLISHED, Election.State.ARCHIVED)

#: the calendar-plan item that publishes the results, per plan template (seed 000 item 24,
#: seed 003 item 58)
PUBLICATION_ACTIVITY = {"ccm-ngo-2024": 24, "kg-local-2016": 58}

#: the protocol that carries a contest's official result, most authoritative first
HEADLINE_LEVELS = (forms_spec.GROUP, forms_spec.CENTRAL, forms_spec.TERRITORIAL)

BASE_LABELS = {
    "ballots_valid": _("of valid ballots"),
    "ballots_total": _("of ballots received"),
    "ballots_in_boxes": _("of ballots found in the ballot boxes"),
    "voters_registered": _("of registered voters"),
    "voters_on_list": _("of voters on the list"),
}

SPECIAL_LABELS = {
    "against_all": _("Against all"),
    "blank": _("Blank ballots (no option marked)"),
    "invalid": _("Invalid ballots (wrongly filled)"),
    "late": _("Ballots received late (not counted)"),
}


def percent(part: int | None, base: int | None) -> Decimal | None:
    """``part`` as a percentage of ``base``, two decimals, half up; None without a base."""
    if part is None or not base:
        return None
    return (Decimal(part) * 100 / Decimal(base)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def is_published(election: Election) -> bool:
    return election.state in PUBLISHED_STATES


def published_at(election: Election) -> datetime | None:
    """When the results were published: the audit entry of the "publish" step, else the stage
    change (an election imported at a later stage)."""
    if not is_published(election):
        return None
    from elections.models import AuditEntry

    stamp = AuditEntry.objects.filter(
        election=election, action="elections.election.results_published"
    ).aggregate(m=Max("created_at"))["m"]
    return stamp or election.state_changed_at


def last_modified(election: Election) -> datetime | None:
    """Last-Modified of the public results: publication or a later signed correction."""
    stamp = published_at(election)
    if stamp is None:
        return None
    frozen = Protocol.objects.filter(election=election, status=Protocol.Status.SIGNED).aggregate(
        m=Max("frozen_at")
    )["m"]
    return max(stamp, frozen) if frozen else stamp


def publication_activity(election: Election):
    """The calendar-plan activity "publication of the results", if the election has a plan."""
    from elections.selectors import calendar_of

    calendar = calendar_of(election)
    if calendar is None:
        return None
    number = PUBLICATION_ACTIVITY.get(calendar.template.slug if calendar.template_id else "")
    if number is None:
        return None
    return calendar.activities.filter(number=number).first()


# --- rows -------------------------------------------------------------------------------------


@dataclass
class OptionRow:
    code: str
    label: str
    label_ru: str
    label_en: str
    detail: str
    kind: str
    position: int
    votes: int
    percent: Decimal | None
    is_elected: bool = False
    is_alternate: bool = False
    seats: int | None = None
    left_race: bool = False


@dataclass
class SpecialRow:
    code: str  # against_all, blank, invalid, late
    label: str
    number: int
    percent: Decimal | None
    base: str  # a figure code of BASE_LABELS
    base_label: str
    base_value: int | None


@dataclass
class FigureRow:
    code: str
    number: str
    label: str
    value: int | None


@dataclass
class PublicDocument:
    """A stored, digitally signed PDF of a protocol, linked from the results pages
    (``protocols:document``, public once the results are published)."""

    pk: int
    language: str


@dataclass
class ProtocolResult:
    protocol: Protocol
    contest: Contest
    level: str
    level_label: str
    unit: object | None
    figures: list[FigureRow]
    options: list[OptionRow]
    special: list[SpecialRow]
    valid: int | None
    cast_base: str  # base of invalid/late: ballots_total (group) or ballots_in_boxes (KG)
    cast_value: int | None
    turnout_base: str
    turnout_base_value: int | None
    voted: int | None
    turnout_percent: Decimal | None
    decision_text: str = ""
    signed_at: datetime | None = None
    version: int = 1
    documents: list[PublicDocument] = field(default_factory=list)

    @property
    def valid_label(self) -> str:
        return str(BASE_LABELS["ballots_valid"])

    @property
    def cast_label(self) -> str:
        return str(BASE_LABELS[self.cast_base])

    @property
    def elected(self) -> list[OptionRow]:
        return [r for r in self.options if r.is_elected]

    @property
    def alternates(self) -> list[OptionRow]:
        return [r for r in self.options if r.is_alternate]

    @property
    def chart_dom_id(self) -> str:
        return f"votes-chart-{self.protocol.pk}"

    @property
    def chart_height(self) -> int:
        """Height of the bar chart in rem: room for every bar."""
        return 4 + 2 * (len(self.options) + sum(1 for s in self.special if s.code == "against_all"))

    @property
    def chart(self) -> dict:
        """Data of the votes bar chart (the same numbers are in the table)."""
        rows = list(self.options) + [s for s in self.special if s.code == "against_all"]
        return {
            "labels": [r.label for r in rows],
            "votes": [r.votes if isinstance(r, OptionRow) else r.number for r in rows],
            "percent": [float(r.percent) if r.percent is not None else None for r in rows],
        }


def _int(value) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _matches(option: ContestOption, names) -> bool:
    names = set(names or ())
    return option.code in names or option.label_ru in names


def _seats(option: ContestOption, seats: dict) -> int | None:
    for key in (option.code, option.label_ru):
        if key in seats:
            return _int(seats[key])
    return None


def protocol_result(protocol: Protocol, options: list[ContestOption] | None = None) -> ProtocolResult:
    """The published result of one signed protocol: options with votes and percent of the valid
    ballots, elected and left-the-race marks, and the special lines with their bases."""
    contest = protocol.contest
    if options is None:
        options = list(contest.options.all())
    figures = protocol.figures or {}
    votes = protocol.votes or {}
    outcome = protocol.outcome or {}
    is_group = protocol.level == forms_spec.GROUP
    valid = _int(figures.get("ballots_valid"))
    cast_base = "ballots_total" if is_group else "ballots_in_boxes"
    cast_value = _int(figures.get(cast_base))
    seats = outcome.get("seats") or {}

    rows: list[OptionRow] = []
    special: list[SpecialRow] = []
    for option in options:
        n = _int(votes.get(option.code)) or 0
        if option.kind == ContestOption.Kind.AGAINST_ALL:
            special.append(
                SpecialRow(
                    code="against_all",
                    label=option.label or str(SPECIAL_LABELS["against_all"]),
                    number=n,
                    percent=percent(n, valid),
                    base="ballots_valid",
                    base_label=str(BASE_LABELS["ballots_valid"]),
                    base_value=valid,
                )
            )
            continue
        n_seats = _seats(option, seats) if contest.is_list else None
        rows.append(
            OptionRow(
                code=option.code,
                label=option.label,
                label_ru=option.label_ru,
                label_en=option.label_en,
                detail=option.detail,
                kind=option.kind,
                position=option.position,
                votes=n,
                percent=percent(n, valid),
                is_elected=_matches(option, outcome.get("elected")) or bool(n_seats),
                is_alternate=_matches(option, outcome.get("alternates")),
                seats=n_seats,
                left_race=option.left_race,
            )
        )
    rows.sort(key=lambda r: (-r.votes, r.position))

    def add(code, figure, base, base_value):
        number = _int(figures.get(figure))
        if number is None:
            return  # the line is not on this level's form (e.g. no "late" on a KG protocol)
        special.append(
            SpecialRow(
                code=code,
                label=str(SPECIAL_LABELS[code]),
                number=number,
                percent=percent(number, base_value),
                base=base,
                base_label=str(BASE_LABELS[base]),
                base_value=base_value,
            )
        )

    add("blank", "ballots_blank", "ballots_valid", valid)
    add("invalid", "ballots_invalid", cast_base, cast_value)
    add("late", "ballots_late", cast_base, cast_value)
    order = {"against_all": 0, "blank": 1, "invalid": 2, "late": 3}
    special.sort(key=lambda s: order[s.code])

    if is_group:
        turnout_base, voted = "voters_registered", _int(figures.get("voters_voted"))
    else:
        turnout_base = "voters_on_list"
        issued = [_int(figures.get(c)) for c in ("ballots_issued_premises", "ballots_issued_outside")]
        voted = None if all(v is None for v in issued) else sum(v or 0 for v in issued)
    turnout_base_value = _int(figures.get(turnout_base))

    return ProtocolResult(
        protocol=protocol,
        contest=contest,
        level=protocol.level,
        level_label=str(protocol.get_level_display()),
        unit=protocol.unit,
        figures=[
            FigureRow(
                code=line.code, number=line.number, label=str(line.label), value=_int(figures.get(line.code))
            )
            for line in forms_spec.lines_for(protocol.level)
            if line.code in figures
        ],
        options=rows,
        special=special,
        valid=valid,
        cast_base=cast_base,
        cast_value=cast_value,
        turnout_base=turnout_base,
        turnout_base_value=turnout_base_value,
        voted=voted,
        turnout_percent=percent(voted, turnout_base_value),
        decision_text=protocol.decision_text,
        signed_at=protocol.frozen_at,
        version=protocol.version,
        documents=[
            PublicDocument(pk=pk, language=language)
            for language in DOCUMENT_LANGUAGES
            if (pk := getattr(protocol, f"pdf_{language}", None))
        ],
    )


# --- what a page shows ------------------------------------------------------------------------


#: languages of the signed PDFs linked from the results pages (copy 1 of each)
DOCUMENT_LANGUAGES = ("ru", "en")


def _signed_document(language: str) -> Subquery:
    """The id of a protocol's first signed PDF copy in ``language`` (a subquery in the protocols'
    own query, so the pages cost no extra query however many protocols they list)."""
    return Subquery(
        ProtocolDocument.objects.filter(protocol=OuterRef("pk"), language=language, is_signed=True)
        .order_by("copy")
        .values("pk")[:1]
    )


def _signed(election: Election):
    return (
        Protocol.objects.filter(election=election, status=Protocol.Status.SIGNED)
        .select_related("contest", "contest__group", "contest__unit", "unit", "unit__parent")
        .annotate(**{f"pdf_{lang}": _signed_document(lang) for lang in DOCUMENT_LANGUAGES})
        .prefetch_related(
            Prefetch("contest__options", queryset=ContestOption.objects.order_by("position", "pk"))
        )
        .order_by("contest__group__order", "contest__unit__number", "contest__title_ru", "unit__number")
    )


@dataclass
class ContestResults:
    """A contest's official (headline) result with the lower protocols published beside it."""

    contest: Contest
    headline: ProtocolResult | None
    territorial: list[ProtocolResult] = field(default_factory=list)
    precincts: list[ProtocolResult] = field(default_factory=list)

    @property
    def options(self) -> list[OptionRow]:
        return self.headline.options if self.headline else []

    @property
    def option_columns(self) -> list[ContestOption]:
        """Ballot options in ballot order (columns of the precinct table)."""
        return list(self.contest.options.all())

    @property
    def precinct_table(self) -> list[dict]:
        """One row per precinct protocol: the result and the votes in ballot order."""
        columns = self.option_columns
        return [
            {"result": r, "votes": [_int((r.protocol.votes or {}).get(o.code)) or 0 for o in columns]}
            for r in self.precincts
        ]


def _group_by_contest(protocols) -> list[ContestResults]:
    by_contest: dict[int, dict[str, list[Protocol]]] = {}
    contests: dict[int, Contest] = {}
    for p in protocols:
        contests.setdefault(p.contest_id, p.contest)
        by_contest.setdefault(p.contest_id, {}).setdefault(p.level, []).append(p)
    result = []
    for contest_id, levels in by_contest.items():
        contest = contests[contest_id]
        options = list(contest.options.all())
        headline = next((levels[lv][0] for lv in HEADLINE_LEVELS if levels.get(lv)), None)
        result.append(
            ContestResults(
                contest=contest,
                headline=protocol_result(headline, options) if headline else None,
                territorial=[
                    protocol_result(p, options)
                    for p in levels.get(forms_spec.TERRITORIAL, [])
                    if p is not headline
                ],
                precincts=[protocol_result(p, options) for p in levels.get(forms_spec.PRECINCT, [])],
            )
        )
    return result


def election_results(election: Election) -> list[ContestResults]:
    """Every contest of a published election with its signed protocols (empty before)."""
    if not is_published(election):
        return []
    return _group_by_contest(_signed(election))


def group_results(election: Election, group_slug: str) -> tuple[object, list[ContestResults]]:
    """A CCM electoral group and its published result (404 for an unknown group)."""
    from groups.models import ElectoralGroup

    try:
        group = ElectoralGroup.objects.get(election=election, slug=group_slug)
    except ElectoralGroup.DoesNotExist:
        raise Http404 from None
    if not is_published(election):
        return group, []
    return group, _group_by_contest(_signed(election).filter(contest__group=group))


def district_results(election: Election, number: int) -> tuple[object, list[ContestResults]]:
    """A KG district (council) with its result, its territorial summary and its precincts."""
    from groups.models import TerritorialUnit

    try:
        district = TerritorialUnit.objects.get(
            election=election, kind=TerritorialUnit.Kind.DISTRICT, number=number
        )
    except TerritorialUnit.DoesNotExist:
        raise Http404 from None
    if not is_published(election):
        return district, []
    results = _group_by_contest(
        _signed(election).filter(Q(contest__unit=district) | Q(unit=district) | Q(unit__parent=district))
    )
    for cr in results:  # a contest spanning several districts: only this district's protocols
        cr.territorial = [r for r in cr.territorial if r.protocol.unit_id == district.pk]
        cr.precincts = [r for r in cr.precincts if r.unit is not None and r.unit.parent_id == district.pk]
    return district, results


def precinct_results(election: Election, number: int) -> tuple[object, list[ProtocolResult]]:
    """A KG precinct and its signed precinct protocols."""
    from groups.models import TerritorialUnit

    try:
        precinct = TerritorialUnit.objects.select_related("parent").get(
            election=election, kind=TerritorialUnit.Kind.PRECINCT, number=number
        )
    except TerritorialUnit.DoesNotExist:
        raise Http404 from None
    if not is_published(election):
        return precinct, []
    return precinct, [
        protocol_result(p, list(p.contest.options.all()))
        for p in _signed(election).filter(level=forms_spec.PRECINCT, unit=precinct)
    ]


# --- turnout by region ------------------------------------------------------------------------


@dataclass
class TurnoutRow:
    key: str
    label: str
    eligible: int
    voted: int
    percent: Decimal | None
    url: str = ""


def turnout_by_region(election: Election, results: list[ContestResults] | None = None) -> list[TurnoutRow]:
    """Turnout per region (CCM: regions of the registered voters, seed 000 "geography") or per
    district (KG: voters on the list and ballots issued, from the headline protocols). Counts
    only; nothing before publication."""
    if not is_published(election):
        return []
    if results is None:
        results = election_results(election)
    if election.kind == Election.Kind.CCM_NGO or any(r.contest.group_id for r in results):
        return _region_turnout(election, results)
    rows = []
    for r in results:
        h = r.headline
        if h is None or r.contest.unit is None:
            continue
        rows.append(
            TurnoutRow(
                key=str(r.contest.unit.number),
                label=r.contest.unit.name,
                eligible=h.turnout_base_value or 0,
                voted=h.voted or 0,
                percent=h.turnout_percent,
            )
        )
    return rows


def _region_turnout(election: Election, results: list[ContestResults]) -> list[TurnoutRow]:
    """CCM: who took part per region as the signed group protocols recorded it (the portal's
    pre-filled geography), over the accepted registrations per region (one GROUP BY). Without a
    recorded geography, the live aggregate of the ballots app."""
    from collections import Counter

    from django.db.models import Count

    from voters.models import VoterRegistration
    from voters.regions import REGION_LABELS

    voted: Counter = Counter()
    recorded = False
    for cr in results:
        h = cr.headline
        geography = (
            (h.protocol.prefilled or {}).get("geography") if h and h.level == forms_spec.GROUP else None
        )
        if isinstance(geography, dict):
            recorded = True
            voted.update({str(k): _int(v) or 0 for k, v in geography.items()})
    if not recorded:
        from ballots.selectors import turnout_by_region as live

        rows = [(r["region"], r["eligible"], r["voted"]) for r in live(election)]
    else:
        eligible = dict(
            VoterRegistration.objects.filter(election=election, status=VoterRegistration.Status.ACCEPTED)
            .values_list("region")
            .annotate(n=Count("id"))
            .order_by()
        )
        rows = [(key, eligible.get(key, 0), voted.get(key, 0)) for key in sorted(set(eligible) | set(voted))]
    return [
        TurnoutRow(
            key=key,
            label=str(REGION_LABELS.get(key, key)),
            eligible=n_eligible,
            voted=n_voted,
            percent=percent(n_voted, n_eligible),
        )
        for key, n_eligible, n_voted in rows
    ]


def turnout_chart(rows: list[TurnoutRow]) -> dict:
    """Data of the turnout bar chart (the same numbers are in the table)."""
    return {
        "labels": [r.label for r in rows],
        "percent": [float(r.percent) if r.percent is not None else 0 for r in rows],
        "voted": [r.voted for r in rows],
        "eligible": [r.eligible for r in rows],
    }


# --- open data --------------------------------------------------------------------------------

OPEN_DATA_COLUMNS = [
    "election",
    "contest_id",
    "contest",
    "group",
    "district_number",
    "level",
    "unit_kind",
    "unit_number",
    "unit_name",
    "protocol_id",
    "protocol_version",
    "signed_at",
    "row_type",
    "code",
    "label",
    "value",
    "percent",
    "base",
    "base_value",
    "elected",
    "alternate",
    "seats",
    "left_race",
]


def _protocol_record(r: ProtocolResult) -> dict:
    unit = r.unit
    return {
        "level": r.level,
        "unit": {"kind": unit.kind, "number": unit.number, "name": unit.name_ru} if unit else None,
        "protocol": {
            "id": r.protocol.pk,
            "version": r.version,
            "signed_at": r.signed_at.isoformat() if r.signed_at else None,
            "data_sha256": r.protocol.data_sha256,
        },
        "figures": {f.code: f.value for f in r.figures},
        "valid_ballots": r.valid,
        "options": [
            {
                "code": o.code,
                "label": o.label_ru,
                "label_en": o.label_en,
                "kind": o.kind,
                "votes": o.votes,
                "percent": str(o.percent) if o.percent is not None else None,
                "percent_base": "ballots_valid",
                "elected": o.is_elected,
                "alternate": o.is_alternate,
                "seats": o.seats,
                "left_race": o.left_race,
            }
            for o in r.options
        ],
        "special": [
            {
                "code": s.code,
                "number": s.number,
                "percent": str(s.percent) if s.percent is not None else None,
                "percent_base": s.base,
                "base_value": s.base_value,
            }
            for s in r.special
        ],
        "turnout": {
            "base": r.turnout_base,
            "base_value": r.turnout_base_value,
            "voted": r.voted,
            "percent": str(r.turnout_percent) if r.turnout_percent is not None else None,
        },
    }


def open_data(election: Election) -> dict:
    """The published results as one JSON-serialisable document (no personal data: candidates'
    and lists' names as on the ballot, numbers, no voters, no commission members)."""
    results = election_results(election)
    stamp = published_at(election)
    contests = []
    for cr in results:
        c = cr.contest
        protocols = [cr.headline] if cr.headline else []
        protocols += cr.territorial + cr.precincts
        contests.append(
            {
                "id": c.pk,
                "title": c.title_ru,
                "title_en": c.title_en,
                "method": c.method,
                "seats": c.seats,
                "alternates": c.alternates,
                "group": c.group.slug if c.group_id else None,
                "district_number": c.unit.number if c.unit_id else None,
                "result": _protocol_record(cr.headline) if cr.headline else None,
                "lower_protocols": [_protocol_record(p) for p in cr.territorial + cr.precincts],
            }
        )
    return {
        "election": {
            "slug": election.slug,
            "title": election.title_ru,
            "title_en": election.title_en,
            "kind": election.kind,
            "state": election.state,
            "published_at": stamp.isoformat() if stamp else None,
        },
        "percent_bases": {
            "options": "ballots_valid",
            "against_all": "ballots_valid",
            "blank": "ballots_valid",
            "invalid": "ballots_total (group protocols) or ballots_in_boxes (KG protocols)",
            "late": "ballots_total",
        },
        "contests": contests,
        "turnout_by_region": [
            {
                "key": t.key,
                "label": t.label,
                "eligible": t.eligible,
                "voted": t.voted,
                "percent": str(t.percent) if t.percent is not None else None,
            }
            for t in turnout_by_region(election, results)
        ],
    }


def open_data_rows(election: Election) -> list[dict]:
    """The same data in long form, one row per number (the CSV)."""
    rows = []
    for cr in election_results(election):
        c = cr.contest
        protocols = ([cr.headline] if cr.headline else []) + cr.territorial + cr.precincts
        for r in protocols:
            common = {
                "election": election.slug,
                "contest_id": c.pk,
                "contest": c.title_ru,
                "group": c.group.slug if c.group_id else "",
                "district_number": c.unit.number if c.unit_id else "",
                "level": r.level,
                "unit_kind": r.unit.kind if r.unit else "",
                "unit_number": r.unit.number if r.unit else "",
                "unit_name": r.unit.name_ru if r.unit else "",
                "protocol_id": r.protocol.pk,
                "protocol_version": r.version,
                "signed_at": r.signed_at.isoformat() if r.signed_at else "",
            }
            empty = dict.fromkeys(OPEN_DATA_COLUMNS[12:], "")
            for f in r.figures:
                rows.append(
                    {
                        **common,
                        **empty,
                        "row_type": "figure",
                        "code": f.code,
                        "label": f.label,
                        "value": f.value,
                    }
                )
            for o in r.options:
                rows.append(
                    {
                        **common,
                        **empty,
                        "row_type": "option",
                        "code": o.code,
                        "label": o.label,
                        "value": o.votes,
                        "percent": o.percent if o.percent is not None else "",
                        "base": "ballots_valid",
                        "base_value": r.valid if r.valid is not None else "",
                        "elected": int(o.is_elected),
                        "alternate": int(o.is_alternate),
                        "seats": o.seats if o.seats is not None else "",
                        "left_race": int(o.left_race),
                    }
                )
            for s in r.special:
                rows.append(
                    {
                        **common,
                        **empty,
                        "row_type": "special",
                        "code": s.code,
                        "label": s.label,
                        "value": s.number,
                        "percent": s.percent if s.percent is not None else "",
                        "base": s.base,
                        "base_value": s.base_value if s.base_value is not None else "",
                    }
                )
    return rows
