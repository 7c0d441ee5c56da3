"""Whether and since when an election's results are public, and the percentages' helper."""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from elections.models import AuditEntry, Election
from elections.selectors import calendar_of

from .. import forms_spec
from ..models import Protocol

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

    calendar = calendar_of(election)
    if calendar is None:
        return None
    number = PUBLICATION_ACTIVITY.get(calendar.template.slug if calendar.template_id else "")
    if number is None:
        return None
    return calendar.activities.filter(number=number).first()
