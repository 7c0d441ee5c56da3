"""Preliminary results in public (seed 003 item 47: "placed on the CEC's site after the data of the
precincts arrive"): per contest, the precincts' latest preliminary figures added up, with how many
precincts have reported ("47 of 50 precincts reported"), and per precinct. Every figure is
preliminary and kept apart from the final protocols; public once voting has closed."""

from __future__ import annotations

from dataclasses import dataclass, field

from ballots.models import Contest
from elections.models import Election
from groups.models import TerritorialUnit

from .models import PreliminaryResult

AFTER_CLOSE = (
    Election.State.COUNTING,
    Election.State.CERTIFIED,
    Election.State.PUBLISHED,
    Election.State.ARCHIVED,
)


def is_public(election) -> bool:
    return election.state in AFTER_CLOSE


@dataclass
class ContestPreliminary:
    contest: Contest
    precincts: int
    reported: int
    votes: dict[str, int] = field(default_factory=dict)
    options: list[dict] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)
    last_received_at: object = None


def preliminary_results(election) -> list[ContestPreliminary]:
    out = []
    latest: dict[tuple[int, int], PreliminaryResult] = {}
    for row in PreliminaryResult.objects.filter(election=election).order_by(
        "contest_id", "unit_id", "-received_at", "-pk"
    ):
        latest.setdefault((row.contest_id, row.unit_id), row)
    contests = list(
        Contest.objects.filter(election=election, unit__isnull=False)
        .select_related("unit")
        .prefetch_related("options")
        .order_by("pk")
    )
    by_district: dict[int, list[TerritorialUnit]] = {}
    for unit in TerritorialUnit.objects.filter(
        parent_id__in=[c.unit_id for c in contests], kind=TerritorialUnit.Kind.PRECINCT
    ).order_by("number"):  # one query for every council's precincts
        by_district.setdefault(unit.parent_id, []).append(unit)
    for contest in contests:
        units = (
            by_district.get(contest.unit_id, [])
            if contest.unit.kind != TerritorialUnit.Kind.PRECINCT
            else [contest.unit]
        )
        result = ContestPreliminary(contest=contest, precincts=len(units), reported=0)
        for unit in units:
            row = latest.get((contest.pk, unit.pk))
            result.rows.append({"unit": unit, "result": row})
            if row is None:
                continue
            result.reported += 1
            for code, votes in (row.votes or {}).items():
                result.votes[code] = result.votes.get(code, 0) + int(votes or 0)
            if result.last_received_at is None or row.received_at > result.last_received_at:
                result.last_received_at = row.received_at
        result.options = [
            {"code": o.code, "label": o.label, "votes": result.votes.get(o.code, 0)}
            for o in contest.options.all()
        ]
        out.append(result)
    return out
