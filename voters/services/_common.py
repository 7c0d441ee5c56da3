"""Helpers shared by the services of the voters area."""

from __future__ import annotations

import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from accounts.permissions import can, refuse_observers  # noqa: F401
from elections.models import Election
from groups.models import Commission
from groups.services import NotACommissionMember, require_coi_declared
from groups.services._common import audit_actor, refuse_when_archived  # noqa: F401

from ..models import VoterSettings

_STAGES = list(Election.State.values)


def stage_index(election: Election) -> int:
    return _STAGES.index(election.state)


def is_past(election: Election, state: str) -> bool:
    """Has the election moved beyond ``state``?"""
    return stage_index(election) > _STAGES.index(state)


def has_reached(election: Election, state: str) -> bool:
    return stage_index(election) >= _STAGES.index(state)


def new_token() -> tuple[str, str]:
    """A random 32-byte token for a link, and the SHA-256 that is stored instead of it."""
    raw = secrets.token_urlsafe(32)
    return raw, hashlib.sha256(raw.encode("utf-8")).hexdigest()


def locked_settings(election: Election) -> VoterSettings:
    """The election's settings row, created when missing, locked for this transaction."""
    VoterSettings.objects.get_or_create(election=election)
    return VoterSettings.objects.select_for_update().select_related("election").get(election=election)


def require_system(actor, what: str) -> None:
    if actor is not None:
        raise PermissionDenied(f"{what} is only allowed to the system (actor=None)")


def is_secretariat(actor, election: Election) -> bool:
    return actor is not None and can(actor, "voter.manage", election)


def require_member_acting(actor, commission: Commission | None, election: Election) -> None:
    """A commission member acts only with a signed declaration of no conflict of interest
    (``groups.services.require_coi_declared``); the secretariat and the system act as such."""
    if actor is None or is_secretariat(actor, election):
        return
    if commission is None:
        raise NotACommissionMember(_("You are not a member of the commission that decides this."))
    require_coi_declared(actor, commission)


def refuse_after(election: Election, state: str, message) -> None:
    refuse_when_archived(election)
    if is_past(election, state):
        raise ValidationError(message)
