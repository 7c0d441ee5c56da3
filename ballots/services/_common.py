"""What the ballots services share: the refusal they raise and the observers' read-only rule."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from accounts.permissions import refuse_observers


class VotingRefused(ValidationError):
    """A ballot or an entry was refused; ``code`` says why (closed, already_voted, …)."""


def _refuse(message, code):
    raise VotingRefused(message, code=code)


def _readonly_observer(actor, election) -> None:
    refuse_observers(actor, election)
