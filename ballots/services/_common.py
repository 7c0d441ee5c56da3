"""What the ballots services share: the refusal they raise and the observers' read-only rule."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from groups.services._common import is_read_only_observer


class VotingRefused(ValidationError):
    """A ballot or an entry was refused; ``code`` says why (closed, already_voted, …)."""


def _refuse(message, code):
    raise VotingRefused(message, code=code)


def _readonly_observer(actor, election) -> None:

    if actor is not None and is_read_only_observer(actor, election):
        raise PermissionDenied(_("Observers can change nothing."))
