"""Public reads of the campaign: events, places, media rates, notices, and the finder of one's
precinct by address (no personal data is asked or shown)."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from groups.models import Commission, TerritorialUnit

from .models import CampaignEvent, CampaignPlace, MediaRate, VoterNotice
from .services.public import activity, campaign_period


def _due(election, what):
    found = activity(election, what)
    return found.due_at if found is not None else None


def events(election):
    return (
        CampaignEvent.objects.filter(election=election).select_related("contest").order_by("starts_at", "pk")
    )


def periods(election) -> list[dict]:
    from ballots.models import Contest

    return [
        {"contest": c, "start": start, "end": end}
        for c in Contest.objects.filter(election=election, unit__isnull=False).order_by("pk")
        for start, end in [campaign_period(c)]
    ]


def places(election) -> dict:
    due = _due(election, "places")
    rows = [
        {"place": p, "on_time": due is None or p.allocated_on <= timezone.localtime(due, election.tz).date()}
        for p in CampaignPlace.objects.filter(election=election)
        .select_related("unit")
        .order_by("unit__number", "pk")
    ]
    return {"rows": rows, "due": due}


def media_rates(election) -> dict:
    due = _due(election, "media")
    rows = [
        {"rate": r, "on_time": due is None or r.filed_on <= timezone.localtime(due, election.tz).date()}
        for r in MediaRate.objects.filter(election=election).order_by("outlet")
    ]
    return {"rows": rows, "due": due}


def precincts(election):
    ids = Commission.objects.filter(election=election, kind=Commission.Kind.PEC, unit__isnull=False).values(
        "unit_id"
    )
    return TerritorialUnit.objects.filter(pk__in=ids).select_related("parent").order_by("number")


def notices(election) -> dict:
    due = _due(election, "notices")
    by_unit = {n.unit_id: n for n in VoterNotice.objects.filter(election=election)}
    rows = [
        {
            "unit": u,
            "notice": by_unit.get(u.pk),
            "on_time": (by_unit[u.pk].published_at <= due) if u.pk in by_unit and due else None,
        }
        for u in precincts(election)
    ]
    return {"rows": rows, "due": due}


def find_precincts(election, query: str) -> list[TerritorialUnit]:
    """Precincts whose address or name holds every word of ``query`` (a street, a village…)."""
    words = [w for w in query.split() if len(w) >= 2][:6]
    if not words:
        return []
    found = precincts(election)
    for word in words:
        found = found.filter(
            Q(address__icontains=word) | Q(name_ru__icontains=word) | Q(name_en__icontains=word)
        )
    return list(found[:20])
