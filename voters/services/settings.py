"""The voters settings of an election: the registration window and the Form 3 window."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.permissions import require
from elections.audit import audit_log
from elections.models import Election

from ..models import VoterSettings
from ._common import locked_settings, refuse_observers, refuse_when_archived

SETTINGS_FIELDS = (
    "registration_activity",
    "registration_opens_at",
    "registration_closes_at",
    "corrections_activity",
    "corrections_open_at",
    "corrections_close_at",
)


@transaction.atomic
def voter_settings_update(*, election: Election, actor, **fields) -> VoterSettings:
    """Set the windows (secretariat). Seed 000 item 14: the organising committee announces the
    exact date and time registration opens and closes; the portal enforces them on the server
    clock."""
    if actor is not None:
        require(actor, "voter.manage", election)
    refuse_observers(actor, election)
    refuse_when_archived(election)
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"Unknown settings fields: {sorted(unknown)}")
    settings = locked_settings(election)
    changed = {f: v for f, v in fields.items() if getattr(settings, f) != v}
    if not changed:
        return settings
    before = {f: getattr(settings, f) for f in changed}
    for field, value in changed.items():
        setattr(settings, field, value)
    settings.updated_at = timezone.now()
    settings.full_clean()
    settings.save()
    audit_log(
        action="voters.settings.updated",
        actor=actor,
        obj=settings,
        election=election,
        data={"changed": {f: [before[f], changed[f]] for f in changed}},
    )
    return settings
