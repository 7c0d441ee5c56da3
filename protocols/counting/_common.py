"""Small helpers shared by the count modules (not public API)."""

from __future__ import annotations

from collections.abc import Sequence

from .errors import CountingInputError
from .ties import TieBreaker, TieUnresolved
from .types import STATUS_TIE, Result


def tie_breaker_for(tie_breaker: TieBreaker | None, default_rule: str = "backwards") -> TieBreaker:
    """A fresh tie breaker with the election's configuration (or the method's default)."""
    if tie_breaker is None:
        return TieBreaker(default_rule)
    return tie_breaker.fresh()


def check_seats(seats: int, what: str = "seats") -> None:
    if not isinstance(seats, int) or isinstance(seats, bool) or seats < 0:
        raise CountingInputError(f"the number of {what} must be a non-negative integer, got {seats!r}")


def mark_unresolved(result: Result, exc: TieUnresolved) -> Result:
    """Turn a count stopped by a commission tie into a reportable result."""
    result.status = STATUS_TIE
    result.unresolved_tie = exc.tie
    result.notes.append(
        "The count stopped at a tie that the commission must decide: "
        + ", ".join(exc.tie.candidates)
        + ". Count again passing the decision (an ordered list of these names, most favoured first)."
    )
    return result


def finish_ties(result: Result, tb: TieBreaker) -> None:
    """Copy the ties met and the tie configuration (including a generated seed) into the result."""
    result.ties = list(tb.ties)
    result.parameters.update(tb.parameters())


def names_of(indices: Sequence[int], names: Sequence[str]) -> list[str]:
    return [names[i] for i in indices]
