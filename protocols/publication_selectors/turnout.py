"""Turnout by region, from aggregated counts only (never a row per voter)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ballots.selectors import turnout_by_region as live_turnout_by_region
from elections.models import Election
from voters.models import VoterRegistration
from voters.regions import REGION_LABELS

from .. import forms_spec
from .pages import (
    ContestResults,
    election_results,
)
from .rows import (
    _int,
)
from .state import (
    is_published,
    percent,
)

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
        rows = [(r["region"], r["eligible"], r["voted"]) for r in live_turnout_by_region(election)]
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
