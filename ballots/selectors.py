"""Whether an election accepts ballots now, by the server clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from elections.models import Election


@dataclass(frozen=True)
class VotingWindow:
    status: str  # "not_set" | "before" | "open" | "closed"
    opens_at: datetime | None
    closes_at: datetime | None


def voting_window(election: Election, now: datetime | None = None) -> VotingWindow:
    """Ballots are accepted only while the election is at the voting stage *and* the server clock
    is inside [voting_starts_at, voting_ends_at)."""
    now = now or timezone.now()
    opens, closes = election.voting_starts_at, election.voting_ends_at
    if not (opens and closes):
        return VotingWindow("not_set", opens, closes)
    if now < opens:
        status = "before"
    elif now >= closes:
        status = "closed"
    else:
        status = "open" if election.state == Election.State.VOTING else "before"
    if election.state in (
        Election.State.COUNTING,
        Election.State.CERTIFIED,
        Election.State.PUBLISHED,
        Election.State.ARCHIVED,
    ):
        status = "closed"
    return VotingWindow(status, opens, closes)
