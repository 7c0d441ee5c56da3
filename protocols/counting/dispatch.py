"""One entry point for every method: ``count(method, profile=... | counts=..., ...)``.

Used by the CLI (``cli.py``) and meant for the Django ``tally`` command and the results pages.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from .approval import approval_counts, count_approval
from .errors import CountingInputError
from .irv import count_irv
from .majority import count_absolute_majority
from .party_list import LIST_METHODS, allocate_seats
from .plurality import count_plurality, first_preference_counts
from .stv_meek import count_stv_meek
from .stv_scottish import count_stv_scottish
from .ties import TieBreaker
from .types import BASE_VALID, Profile, Result, VoteCounts

#: methods counted from ranked ballots (a Profile)
RANKED_METHODS = ("irv", "stv-scottish", "stv-meek")
#: methods counted from one number per candidate (VoteCounts, or derived from a Profile)
SINGLE_MARK_METHODS = ("plurality", "approval", "majority")
METHODS = (*SINGLE_MARK_METHODS, *RANKED_METHODS, *LIST_METHODS)


def count(
    method: str,
    *,
    profile: Profile | None = None,
    counts: VoteCounts | None = None,
    seats: int | None = None,
    alternates: int | None = None,
    threshold: str | int | Decimal | Fraction | None = None,
    threshold_base: str = BASE_VALID,
    majority_base: str = BASE_VALID,
    tie_breaker: TieBreaker | None = None,
    batch_elimination: bool = False,
) -> Result:
    """Count ``method`` over a ballot ``profile`` or over vote ``counts``.

    ``seats`` defaults to the profile's seats.  Plurality, approval and majority accept a profile
    (first preferences / all marked candidates are counted) or counts; IRV and STV need a profile;
    the list methods need counts.
    """
    if method not in METHODS:
        raise CountingInputError(f"unknown method {method!r}; use one of {', '.join(METHODS)}")
    if (profile is None) == (counts is None):
        raise CountingInputError("give either ranked ballots (a profile) or vote counts, not both")
    if seats is None:
        if profile is None:
            raise CountingInputError("the number of seats is required")
        seats = profile.seats
    if method in RANKED_METHODS:
        if profile is None:
            raise CountingInputError(f"{method} needs ranked ballots (a BLT file)")
        if method == "irv":
            if seats != 1:
                raise CountingInputError(
                    "irv elects one candidate; use stv-scottish or stv-meek for more seats"
                )
            return count_irv(profile, tie_breaker, batch_elimination=batch_elimination)
        ranked = profile.with_seats(seats)
        if method == "stv-scottish":
            return count_stv_scottish(ranked, tie_breaker)
        return count_stv_meek(ranked, tie_breaker)
    if method in LIST_METHODS:
        if counts is None:
            raise CountingInputError(f"{method} needs list votes (a CSV file)")
        return allocate_seats(counts, seats, method, threshold, threshold_base, tie_breaker)
    if method == "approval":
        votes = counts if counts is not None else approval_counts(profile)  # type: ignore[arg-type]
        return count_approval(votes, seats, alternates or 0, tie_breaker)
    votes = counts if counts is not None else first_preference_counts(profile)  # type: ignore[arg-type]
    if method == "majority":
        return count_absolute_majority(votes, seats, majority_base, tie_breaker=tie_breaker)
    return count_plurality(votes, seats, 1 if alternates is None else alternates, tie_breaker)
