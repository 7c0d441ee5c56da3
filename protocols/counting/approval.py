"""Approval voting for N seats.

Rule: every voter may mark any number of candidates; each mark is one vote for that candidate and
the ``seats`` candidates with the most marks are elected (then ``alternates`` alternates, none by
default).  Ties for a seat or an alternate place follow the election's tie rule.

Source: S. J. Brams and P. C. Fishburn, "Approval Voting", American Political Science Review 72(3),
1978; multi-winner "block approval" as in e.g. the IEEE and Mathematical Association of America
elections.
"""

from __future__ import annotations

from ._common import check_seats, finish_ties, mark_unresolved, tie_breaker_for
from .errors import CountingInputError
from .plurality import rank_positions
from .ties import TieBreaker, TieUnresolved
from .types import STATUS_UNFILLED, Profile, Result, Stage, VoteCounts


def approval_counts(profile: Profile) -> VoteCounts:
    """Approval counts from a ballot profile: every candidate marked on a ballot (the order of a
    BLT line is ignored) gets one vote per ballot; ballots with no valid mark count as blank."""
    votes = [0] * len(profile.candidates)
    blank = 0
    marked = 0
    for group in profile.groups:
        approved = {c for c in group.ranking if c not in profile.withdrawn}
        if not approved:
            blank += group.weight
            continue
        marked += group.weight
        for c in approved:
            votes[c] += group.weight
    return VoteCounts(
        profile.candidates, tuple(votes), blank=blank, marked_ballots=marked, title=profile.title
    )


def count_approval(
    counts: VoteCounts,
    seats: int = 1,
    alternates: int = 0,
    tie_breaker: TieBreaker | None = None,
) -> Result:
    """Elect the ``seats`` candidates with the most approvals."""
    check_seats(seats)
    check_seats(alternates, "alternates")
    if seats < 1:
        raise CountingInputError("at least one seat is needed")
    tb = tie_breaker_for(tie_breaker)
    names = list(counts.options)
    result = Result(method="approval", candidates=names, seat_count=seats, title=counts.title)
    result.parameters = {"seats": seats, "alternates": alternates}
    result.totals = counts.totals()
    stage = Stage(
        number=1,
        action="count",
        description="Approvals counted",
        tallies={n: str(v) for n, v in zip(names, counts.votes, strict=True)},
        details={
            "ballots_with_marks": str(counts.list_votes),
            "against_all": str(counts.against_all),
            "blank": str(counts.blank),
            "invalid": str(counts.invalid),
        },
    )
    result.stages.append(stage)
    try:
        members, alts = rank_positions(counts, seats, alternates, tb, stage=1)
    except TieUnresolved as exc:
        finish_ties(result, tb)
        members, alts = getattr(exc, "partial", ([], []))
        result.elected = [names[c] for c in members]
        result.seats = {names[c]: 1 for c in members}
        result.alternates = [names[c] for c in alts]
        return mark_unresolved(result, exc)
    result.elected = [names[c] for c in members]
    result.seats = {names[c]: 1 for c in members}
    result.alternates = [names[c] for c in alts]
    stage.elected = list(result.elected)
    if result.alternates:
        stage.details["alternates"] = list(result.alternates)
    if len(members) < seats:
        result.status = STATUS_UNFILLED
        result.notes.append(f"only {len(members)} candidate(s) for {seats} seat(s)")
    finish_ties(result, tb)
    return result
