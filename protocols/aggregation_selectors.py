"""Reads for the aggregation of precinct protocols (seed 003 items 51–57): the TEC summary table of
a district with each precinct's transmission status and its preliminary figures beside the final
protocol figures, the CEC table of a contest, and what blocks signing a summary or certifying.

Set-based: a table is a handful of queries whatever the number of precincts (precincts, their
current protocols, their latest preliminary figures, the options, the summary).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import Scope
from ballots.models import Contest, ContestOption
from elections.lifecycle import Blocker
from elections.models import Election
from groups.models import Commission, TerritorialUnit

from . import forms_spec
from .models import PreliminaryResult, Protocol

P = Protocol.Status
T = Protocol.Transmission
#: the key of ``check_explanations`` under which a TEC (CEC) explains a missing precinct (district)
COMPLETENESS_KEY = "precincts_complete"
PRECINCT_FIELDS = (
    "id",
    "unit_id",
    "version",
    "status",
    "transmission",
    "transmission_note",
    "transmission_at",
    "figures",
    "votes",
)


@dataclass(frozen=True)
class AggregationBlocker:
    """Why a summary cannot be signed yet (or a result determined): a precinct or district whose
    protocol is missing, unsigned or not accepted."""

    code: str  # "missing", "not_signed", "not_accepted"
    number: int
    name: str
    message: str


def district_tec(district: TerritorialUnit) -> Commission | None:
    return (
        Commission.objects.filter(election_id=district.election_id, kind=Commission.Kind.TEC, unit=district)
        .order_by("pk")
        .first()
    )


def precinct_tec(protocol: Protocol) -> Commission | None:
    """The TEC a precinct protocol goes to: its PEC's parent, or the TEC of the precinct's district."""
    parent = protocol.commission.parent
    if parent is not None and parent.kind == Commission.Kind.TEC:
        return parent
    return district_tec(protocol.unit.parent) if protocol.unit and protocol.unit.parent_id else None


class ElectionWide:
    """The scope of a task for the whole election that no one commission holds: the secretariat
    (or a role held for the election as a whole) reaches it, a role scoped to one commission or
    group does not."""

    def __init__(self, election_id):
        self.election_id = election_id

    def permission_scope(self):

        # a commission id no commission has
        return Scope(election_id=self.election_id, commission_id=0)


def election_cec(election) -> Commission | None:
    return Commission.objects.filter(election=election, kind=Commission.Kind.CEC).first()


def contest_districts(contest: Contest) -> list[TerritorialUnit]:
    """The districts whose TEC summaries make up the contest's result: the contest's own district
    (a council), plus any other district that already holds a summary of the contest."""
    ids = set(
        Protocol.objects.filter(contest=contest, level=Protocol.Level.TERRITORIAL)
        .exclude(status=P.SUPERSEDED)
        .values_list("unit_id", flat=True)
    )
    if contest.unit_id:
        ids.add(contest.unit_id)
    return list(
        TerritorialUnit.objects.filter(pk__in=ids, kind=TerritorialUnit.Kind.DISTRICT).order_by("number")
    )


def contest_options(contest: Contest) -> list[ContestOption]:
    return list(contest.options.all().order_by("position", "pk"))


def precinct_protocols(contest: Contest, district: TerritorialUnit) -> dict[int, dict]:
    """The current (not superseded) precinct protocol of each precinct of the district, by unit id."""
    rows = (
        Protocol.objects.filter(contest=contest, level=Protocol.Level.PRECINCT, unit__parent=district)
        .exclude(status=P.SUPERSEDED)
        .values(*PRECINCT_FIELDS)
    )
    return {r["unit_id"]: r for r in rows}


def latest_preliminary(contest: Contest, unit_ids=None, *, district=None) -> dict[int, dict]:
    """The latest preliminary figures per precinct (older rows stay stored), with how many were
    received. One query."""
    qs = PreliminaryResult.objects.filter(contest=contest)
    if district is not None:
        qs = qs.filter(unit__parent=district)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    latest: dict[int, dict] = {}
    for row in qs.order_by("unit_id", "-received_at", "-pk").values(
        "unit_id", "source", "figures", "votes", "received_at"
    ):
        if row["unit_id"] in latest:
            latest[row["unit_id"]]["received"] += 1
        else:
            latest[row["unit_id"]] = {**row, "received": 1, "source_label": _source_label(row["source"])}
    return latest


def _source_label(source: str) -> str:
    try:
        return str(PreliminaryResult.Source(source).label)
    except ValueError:
        return source


def is_included(protocol_row: dict | None) -> bool:
    """A precinct protocol counts in the TEC summary once it is signed and accepted by the TEC."""
    return (
        bool(protocol_row)
        and protocol_row["status"] == P.SIGNED
        and protocol_row["transmission"] == T.ACCEPTED
    )


def precinct_blockers(precincts, protocols: dict[int, dict]) -> list[AggregationBlocker]:
    found = []
    for unit in precincts:
        row = protocols.get(unit.pk)
        if row is None:
            code = "missing"
        elif row["status"] != P.SIGNED:
            code = "not_signed"
        elif row["transmission"] != T.ACCEPTED:
            code = "not_accepted"
        else:
            continue
        found.append(blocker(Protocol.Level.TERRITORIAL, code, unit.number, unit.name_ru))
    return found


def _cells(figures: dict | None, votes: dict | None, lines, options) -> dict:
    if figures is None:
        return {"lines": [None] * len(lines), "votes": [None] * len(options)}
    return {
        "lines": [figures.get(line.code) for line in lines],
        "votes": [int((votes or {}).get(o.code) or 0) for o in options],
    }


def territorial_table(contest: Contest, district: TerritorialUnit) -> dict:
    """Rows per precinct of ``district`` for ``contest``: the final protocol figures (current
    version, status and transmission) beside the latest preliminary figures; totals of both; the
    current TEC summary; and the precincts that block signing it."""
    lines = forms_spec.KG_LINES
    options = contest_options(contest)
    precincts = list(
        TerritorialUnit.objects.filter(parent=district, kind=TerritorialUnit.Kind.PRECINCT).order_by("number")
    )
    protocols = precinct_protocols(contest, district)
    preliminary = latest_preliminary(contest, district=district)
    rows = []
    final_items, preliminary_items = [], []
    for unit in precincts:
        proto = protocols.get(unit.pk)
        pre = preliminary.get(unit.pk)
        included = is_included(proto)
        if included:
            final_items.append((proto["figures"], proto["votes"]))
        if pre is not None:
            preliminary_items.append((pre["figures"], pre["votes"]))
        final_cells = (
            _cells(proto["figures"], proto["votes"], lines, options)
            if proto
            else _cells(None, None, lines, options)
        )
        pre_cells = (
            _cells(pre["figures"], pre["votes"], lines, options)
            if pre
            else _cells(None, None, lines, options)
        )
        rows.append(
            {
                "unit": unit,
                "number": unit.number,
                "name": unit.name,
                "protocol": proto,
                "status": proto["status"] if proto else "",
                "status_label": P(proto["status"]).label if proto else _("No protocol"),
                "transmission": proto["transmission"] if proto else "",
                "transmission_label": T(proto["transmission"]).label if proto else "",
                "is_included": included,
                "final": final_cells,
                "preliminary": pre,
                "preliminary_cells": pre_cells,
                "differs": bool(proto and pre)
                and (
                    any(proto["votes"].get(o.code, 0) != pre["votes"].get(o.code, 0) for o in options)
                    or any(
                        line.code in pre["figures"]
                        and proto["figures"].get(line.code) != pre["figures"][line.code]
                        for line in lines
                    )
                ),
            }
        )
    final_figures, final_votes = forms_spec.sum_figures(final_items)
    pre_figures, pre_votes = forms_spec.sum_figures(preliminary_items)
    summary = (
        Protocol.objects.filter(
            series=Protocol.series_key(Protocol.Level.TERRITORIAL, contest.pk, district.pk)
        )
        .exclude(status=P.SUPERSEDED)
        .select_related("commission")
        .first()
    )
    return {
        "contest": contest,
        "district": district,
        "lines": lines,
        "options": options,
        "rows": rows,
        "totals": {
            "final": _cells(final_figures, final_votes, lines, options),
            "preliminary": _cells(pre_figures, pre_votes, lines, options),
            "final_figures": final_figures,
            "final_votes": final_votes,
            "included": len(final_items),
            "precincts": len(precincts),
            "preliminary_received": len(preliminary_items),
        },
        "summary": summary,
        "blockers": precinct_blockers(precincts, protocols),
    }


BLOCKER_MESSAGES = {
    (Protocol.Level.TERRITORIAL, "missing"): gettext_lazy(
        "Precinct № %(number)s: no protocol has been entered."
    ),
    (Protocol.Level.TERRITORIAL, "not_signed"): gettext_lazy(
        "Precinct № %(number)s: the protocol is not signed yet."
    ),
    (Protocol.Level.TERRITORIAL, "not_accepted"): gettext_lazy(
        "Precinct № %(number)s: the protocol has not been accepted by the TEC."
    ),
    (Protocol.Level.CENTRAL, "missing"): gettext_lazy(
        "District № %(number)s: the TEC summary table has not been built."
    ),
    (Protocol.Level.CENTRAL, "not_signed"): gettext_lazy(
        "District № %(number)s: the TEC summary table is not signed yet."
    ),
}


def blocker(level: str, code: str, number: int, name: str) -> AggregationBlocker:
    return AggregationBlocker(code, number, name, str(BLOCKER_MESSAGES[(level, code)]) % {"number": number})


def summary_blockers_raw(protocol: Protocol) -> list[dict]:
    return list((protocol.prefilled or {}).get("blockers", []))


def summary_blockers(protocol: Protocol) -> list[AggregationBlocker]:
    """What blocks signing a TEC summary or a CEC result as it was built: the precincts (or
    districts) recorded as missing, unsigned or not accepted. Empty for other levels."""
    return [
        blocker(protocol.level, b["code"], b["number"], b["name"]) for b in summary_blockers_raw(protocol)
    ]


def current_summaries(contest: Contest, districts) -> dict[int, Protocol]:
    """The current (not superseded) TEC summary of each district, by unit id."""
    return {
        p.unit_id: p
        for p in Protocol.objects.filter(
            contest=contest, level=Protocol.Level.TERRITORIAL, unit_id__in=[d.pk for d in districts]
        ).exclude(status=P.SUPERSEDED)
    }


def central_table(contest: Contest) -> dict:
    """Per district of the contest: the current TEC summary with its status; totals over the
    signed ones; the current CEC result; and the districts that block determining the result."""
    lines = forms_spec.KG_LINES
    options = contest_options(contest)
    districts = contest_districts(contest)
    summaries = current_summaries(contest, districts)
    rows, items = [], []
    for district in districts:
        summary = summaries.get(district.pk)
        signed = summary is not None and summary.status == P.SIGNED
        if signed:
            items.append((summary.figures, summary.votes))
        rows.append(
            {
                "district": district,
                "summary": summary,
                "is_included": signed,
                "cells": _cells(summary.figures, summary.votes, lines, options)
                if summary
                else _cells(None, None, lines, options),
            }
        )
    figures, votes = forms_spec.sum_figures(items)
    result = (
        Protocol.objects.filter(series=Protocol.series_key(Protocol.Level.CENTRAL, contest.pk, None))
        .exclude(status=P.SUPERSEDED)
        .select_related("commission")
        .first()
    )
    return {
        "contest": contest,
        "lines": lines,
        "options": options,
        "rows": rows,
        "totals": _cells(figures, votes, lines, options),
        "result": result,
        "result_cells": _cells(result.figures, result.votes, lines, options) if result else None,
        "blockers": district_blockers(districts, summaries),
    }


def district_blockers(districts, summaries: dict[int, Protocol]) -> list[AggregationBlocker]:
    found = []
    for district in districts:
        summary = summaries.get(district.pk)
        if summary is None:
            code = "missing"
        elif summary.status != P.SIGNED:
            code = "not_signed"
        else:
            continue
        found.append(blocker(Protocol.Level.CENTRAL, code, district.number, district.name_ru))
    return found


def aggregation_overview(election) -> list[dict]:
    """The council contests of a local-council election with their districts' summaries and the
    CEC result, for the index page. A few queries for the whole election."""
    contests = list(
        Contest.objects.filter(election=election, unit__isnull=False)
        .select_related("unit")
        .order_by("unit__number")
    )
    current = Protocol.objects.filter(
        election=election, level__in=[Protocol.Level.TERRITORIAL, Protocol.Level.CENTRAL]
    ).exclude(status=P.SUPERSEDED)
    by_series = {p.series: p for p in current}
    precinct_counts: dict[int, int] = {}
    for parent_id in TerritorialUnit.objects.filter(
        election=election, kind=TerritorialUnit.Kind.PRECINCT
    ).values_list("parent_id", flat=True):
        precinct_counts[parent_id] = precinct_counts.get(parent_id, 0) + 1
    accepted: dict[int, int] = {}
    for contest_id in Protocol.objects.filter(
        election=election, level=Protocol.Level.PRECINCT, status=P.SIGNED, transmission=T.ACCEPTED
    ).values_list("contest_id", flat=True):
        accepted[contest_id] = accepted.get(contest_id, 0) + 1
    return [
        {
            "contest": c,
            "district": c.unit,
            "precincts": precinct_counts.get(c.unit_id, 0),
            "accepted": accepted.get(c.pk, 0),
            "summary": by_series.get(Protocol.series_key(Protocol.Level.TERRITORIAL, c.pk, c.unit_id)),
            "result": by_series.get(Protocol.series_key(Protocol.Level.CENTRAL, c.pk, None)),
        }
        for c in contests
    ]


def preliminary_overview(election) -> list[dict]:
    """Per precinct of the election: the latest preliminary figures (and how many were received)
    beside the current final protocol's status. Three queries."""
    precincts = list(
        TerritorialUnit.objects.filter(election=election, kind=TerritorialUnit.Kind.PRECINCT)
        .select_related("parent")
        .order_by("parent__number", "number")
    )
    contest_by_district = {
        c.unit_id: c for c in Contest.objects.filter(election=election, unit__isnull=False)
    }
    latest = {}
    for row in (
        PreliminaryResult.objects.filter(election=election)
        .order_by("unit_id", "-received_at", "-pk")
        .values("unit_id", "contest_id", "source", "figures", "votes", "received_at")
    ):
        key = (row["contest_id"], row["unit_id"])
        if key in latest:
            latest[key]["received"] += 1
        else:
            latest[key] = {**row, "received": 1, "source_label": _source_label(row["source"])}
    finals = {
        (r["contest_id"], r["unit_id"]): r
        for r in Protocol.objects.filter(election=election, level=Protocol.Level.PRECINCT)
        .exclude(status=P.SUPERSEDED)
        .values("contest_id", "unit_id", "status", "transmission", "version")
    }
    rows = []
    for unit in precincts:
        contest = contest_by_district.get(unit.parent_id)
        key = (contest.pk if contest else None, unit.pk)
        pre = latest.get(key)
        final = finals.get(key)
        rows.append(
            {
                "unit": unit,
                "district": unit.parent,
                "contest": contest,
                "preliminary": pre,
                "votes_total": sum(int(v or 0) for v in pre["votes"].values()) if pre else None,
                "final": final,
                "final_status_label": P(final["status"]).label if final else "",
            }
        )
    return rows


def completeness_check(protocol: Protocol):
    """The completeness of a TEC summary (CEC result) as a control check: precincts (districts)
    counted = precincts (districts) expected. Like the other checks, a failure blocks signing
    unless explained (``check_explanations["precincts_complete"]``, e.g. voting in a precinct was
    declared invalid). None for other levels or a table not built yet."""
    if protocol.level not in (Protocol.Level.TERRITORIAL, Protocol.Level.CENTRAL):
        return None
    prefilled = protocol.prefilled or {}
    if "blockers" not in prefilled:
        return None
    blockers = summary_blockers_raw(protocol)
    label = (
        _("precincts with an accepted signed protocol = precincts of the district")
        if protocol.level == Protocol.Level.TERRITORIAL
        else _("districts with a signed summary table = districts of the council")
    )
    ok = not blockers
    return forms_spec.CheckResult(
        code=COMPLETENESS_KEY,
        label=str(label),
        ok=ok,
        left=int(prefilled.get("included") or 0),
        right=int(prefilled.get("expected") or 0),
        explanation="" if ok else str((protocol.check_explanations or {}).get(COMPLETENESS_KEY, "")),
    )


def certification_blockers(election) -> list:
    """Guard of the "certify" step of a local-council election: every council's result determined
    by the CEC and signed, and no TEC summary or CEC result signed with precincts (districts)
    missing and unexplained (seed 003 items 54–57)."""

    if election.kind != Election.Kind.LOCAL_COUNCIL:
        return []
    contests = list(Contest.objects.filter(election=election, unit__isnull=False).order_by("title_ru"))
    current = {
        p.series: p
        for p in Protocol.objects.filter(
            election=election, level__in=[Protocol.Level.TERRITORIAL, Protocol.Level.CENTRAL]
        ).exclude(status=P.SUPERSEDED)
    }
    found = []
    for contest in contests:
        result = current.get(Protocol.series_key(Protocol.Level.CENTRAL, contest.pk, None))
        if result is None or result.status != P.SIGNED:
            found.append(
                Blocker(
                    "central_result_not_signed",
                    _("“%(contest)s”: the result determined by the CEC is not signed yet.")
                    % {"contest": contest.title},
                )
            )
            continue
        for protocol in [
            result,
            current.get(Protocol.series_key(Protocol.Level.TERRITORIAL, contest.pk, contest.unit_id)),
        ]:
            check = completeness_check(protocol) if protocol is not None else None
            if check is not None and check.is_blocking:
                found.append(
                    Blocker(
                        "aggregation_incomplete",
                        _("“%(contest)s”: %(table)s was signed with %(missing)s missing and no explanation.")
                        % {
                            "contest": contest.title,
                            "table": protocol.get_level_display(),
                            "missing": ", ".join(f"№ {b.number}" for b in summary_blockers(protocol)),
                        },
                    )
                )
    return found


def sources_changed(protocol: Protocol) -> bool:
    """Whether a TEC summary table (CEC result) was built from other protocols than those it
    would take in now: a precinct protocol (summary table) corrected, accepted or withdrawn since
    it was built, or a corrected version that kept its predecessor's figures. Its figures are then
    not the sum of its sources, and it must be built again before it is signed. False for other
    levels and for a table not built yet."""
    prefilled = protocol.prefilled or {}
    if protocol.level == Protocol.Level.TERRITORIAL and "precincts" in prefilled:
        built_from = {r["protocol"] for r in prefilled["precincts"] if r["included"]}
        now = {
            row["id"]
            for row in precinct_protocols(protocol.contest, protocol.unit).values()
            if is_included(row)
        }
        return built_from != now
    if protocol.level == Protocol.Level.CENTRAL and "districts" in prefilled:
        built_from = {r["protocol"] for r in prefilled["districts"] if r["included"]}
        now = set(
            Protocol.objects.filter(
                contest=protocol.contest, level=Protocol.Level.TERRITORIAL, status=P.SIGNED
            ).values_list("pk", flat=True)
        )
        return built_from != now
    return False


def stale_text(protocol: Protocol) -> str:
    """Why a table whose sources changed cannot be signed, and what to do."""
    if protocol.level == Protocol.Level.TERRITORIAL:
        return _(
            "The precinct protocols changed after this table was built (a protocol was corrected, "
            "accepted or returned): its figures are not their sum. Build the table again, then sign."
        )
    return _(
        "The summary tables changed after this result was determined (a table was corrected or "
        "signed): its figures are not their sum. Determine the result again, then sign."
    )
