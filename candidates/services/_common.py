"""Helpers shared by the candidates' services."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import is_read_only_observer, refuse_observers
from elections.models import Election
from groups.services._common import audit_actor, file_digest, system_or, voting_has_opened

__all__ = [
    "audit_actor",
    "clock",
    "file_digest",
    "is_read_only_observer",
    "refuse_closed_election",
    "refuse_observers",
    "system_or",
    "voting_has_opened",
]


def clock(actor, as_of: dt.datetime | None) -> dt.datetime:
    """The instant an action takes place: the server clock, or — for a *system import of
    historical records* (``actor is None``, e.g. the demo) — ``as_of``. The calendar rules are then
    checked at ``as_of``, so imported records obey the same windows and deadlines."""
    if as_of is None:
        return timezone.now()
    if actor is not None:
        raise ValueError("as_of is only for system imports (actor=None)")
    if timezone.is_naive(as_of):
        raise ValueError("as_of must be an aware datetime")
    return as_of


def refuse_closed_election(election: Election) -> None:
    """Nothing about candidates changes in a draft (not announced) or archived election."""
    if election.state == Election.State.DRAFT:
        raise ValidationError(_("The election is not announced yet."))
    if election.state == Election.State.ARCHIVED:
        raise ValidationError(_("An archived election cannot be changed."))
