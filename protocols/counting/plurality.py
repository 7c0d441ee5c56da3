"""Plurality ("first past the post", block plurality) for N seats, with alternates.

Rule: each valid ballot gives one vote to one candidate; the ``seats`` candidates with the most
votes are elected, the next ``alternates`` candidates become alternates in order (the default,
one seat and one alternate, gives "member = 1st, alternate = 2nd").  "Against all", blank and
invalid ballots are reported but never win a seat.  A tie matters only where it decides who gets
a seat, or which alternate place; it is then resolved by the election's tie rule (see ties.py;
with a single stage "backwards" goes straight to its fallback).

Source: the plain relative-majority rule of single-member elections (e.g. the UK parliamentary
elections rules, Representation of the People Act 1983, schedule 1, where an equality of votes is
settled by lot); block voting extends it to N seats.  The member/alternate split is the portal's
requirement.
"""

from __future__ import annotations

from collections.abc import Sequence

from ._common import check_seats, finish_ties, mark_unresolved, tie_breaker_for
from .errors import CountingInputError
from .ties import PICK_HIGHEST, TieBreaker, TieUnresolved
from .types import STATUS_UNFILLED, Profile, Result, Stage, VoteCounts


def first_preference_counts(profile: Profile) -> VoteCounts:
    """Plurality counts from ranked ballots: each ballot's first preference for a candidate who
    has not withdrawn; ballots without one are counted as blank."""
    votes = [0] * len(profile.candidates)
    blank = 0
    for group in profile.groups:
        first = next((c for c in group.ranking if c not in profile.withdrawn), None)
        if first is None:
            blank += group.weight
        else:
            votes[first] += group.weight
    return VoteCounts(profile.candidates, tuple(votes), blank=blank, title=profile.title)


def rank_positions(
    counts: VoteCounts,
    seats: int,
    alternates: int,
    tb: TieBreaker,
    stage: int,
    eligible: Sequence[int] | None = None,
) -> tuple[list[int], list[int]]:
    """Fill ``seats`` member places, then ``alternates`` ordered places, by votes.

    Ties inside the member block do not matter; a tie across the member/alternate boundary, or
    for an alternate place, is broken with ``tb``.
    """
    names = counts.options
    remaining = list(eligible) if eligible is not None else list(range(len(names)))
    members: list[int] = []
    alts: list[int] = []
    while remaining and len(members) + len(alts) < seats + alternates:
        top = max(counts.votes[c] for c in remaining)
        group = [c for c in remaining if counts.votes[c] == top]
        if len(members) < seats:
            room = seats - len(members)
            context = "seat"
        else:
            room = 1
            context = f"alternate place {len(alts) + 1}"
        if len(group) <= room:
            chosen = group
        else:
            try:
                chosen = [tb.break_tie(group, pick=PICK_HIGHEST, names=names, context=context, stage=stage)]
            except TieUnresolved as exc:
                exc.partial = (list(members), list(alts))  # the places already clear
                raise
        for c in chosen:
            (members if len(members) < seats else alts).append(c)
            remaining.remove(c)
    return members, alts


def count_plurality(
    counts: VoteCounts,
    seats: int = 1,
    alternates: int = 1,
    tie_breaker: TieBreaker | None = None,
    *,
    method: str = "plurality",
) -> Result:
    """Elect the ``seats`` candidates with the most votes and list ``alternates`` alternates."""
    check_seats(seats)
    check_seats(alternates, "alternates")
    if seats < 1:
        raise CountingInputError("at least one seat is needed")
    tb = tie_breaker_for(tie_breaker)
    names = list(counts.options)
    result = Result(method=method, candidates=names, seat_count=seats, title=counts.title)
    result.parameters = {"seats": seats, "alternates": alternates}
    result.totals = counts.totals()
    stage = Stage(
        number=1,
        action="count",
        description="Votes counted",
        tallies={n: str(v) for n, v in zip(names, counts.votes, strict=True)},
        details={
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
    stage.details["alternates"] = list(result.alternates)
    if len(members) < seats:
        result.status = STATUS_UNFILLED
        result.notes.append(f"only {len(members)} candidate(s) for {seats} seat(s)")
    if len(alts) < alternates:
        result.notes.append(f"only {len(alts)} alternate(s) for {alternates} alternate place(s)")
    for c in members:
        if counts.votes[c] == 0:
            result.notes.append(f"{names[c]} is elected with no votes")
        if counts.against_all and counts.against_all > counts.votes[c]:
            result.notes.append(
                f"votes against all ({counts.against_all}) exceed the votes of {names[c]} ({counts.votes[c]})"
            )
    finish_ties(result, tb)
    return result
