"""Party-list proportional representation.

Methods
  ``hare``
      Hare quota (qualifying votes / seats) and largest remainders: every list gets the whole part
      of ``votes x seats / qualifying votes``, the seats left go to the largest remainders.
      Source: T. Hare (1859) / the Hamilton method, as used e.g. for the list tier of the Russian
      State Duma and of the Verkhovna Rada of Ukraine (1998-2019).
  ``dhondt``
      Highest averages with divisors 1, 2, 3, ... (V. D'Hondt, 1878; e.g. Spain, LOREG art. 163).
  ``sainte-lague``
      Highest averages with divisors 1, 3, 5, ... (A. Sainte-Laguë, 1910; e.g. Germany,
      Bundeswahlgesetz par. 6 (2) since 2009, in its divisor form).

Threshold: a list takes part in the allocation only if ``votes x 100 >= threshold x base``
(at least ``threshold`` percent of the base).  The base is ``participants`` (everybody who took
part: valid + invalid ballots), ``valid`` (valid ballots: list votes + "against all" + blank) or
``list`` (list votes only).  "Against all", blank and invalid ballots count in the base as chosen
and never win seats.

Everything is exact (int / Fraction).  Ties - equal remainders or equal averages competing for
the last seats - follow the tie rule; "backwards"/"forwards" compare the lists' votes (the only
earlier stage), so the larger list wins, then the fallback (lot or commission).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from ._common import check_seats, finish_ties, mark_unresolved, tie_breaker_for
from .errors import CountingInputError
from .fixedpoint import fmt_fraction, fraction_str
from .ties import PICK_HIGHEST, HistoryEntry, TieBreaker, TieUnresolved
from .types import BASE_VALID, BASES, STATUS_UNFILLED, Result, Stage, VoteCounts

HARE = "hare"
DHONDT = "dhondt"
SAINTE_LAGUE = "sainte-lague"
LIST_METHODS = (HARE, DHONDT, SAINTE_LAGUE)


def parse_percent(value: str | int | Decimal | Fraction | None) -> Fraction | None:
    """A threshold in percent as an exact Fraction; floats are refused (they are not exact)."""
    if value is None:
        return None
    if isinstance(value, bool | float):
        raise CountingInputError(
            "give the threshold exactly (as text, an integer, Decimal or Fraction), not as a float"
        )
    if isinstance(value, Fraction | int):
        pct = Fraction(value)
    else:
        text = str(value).strip().rstrip("%").strip()
        try:
            number = Decimal(text)
            if not number.is_finite() or (
                number and not -40 <= number.adjusted() <= 3
            ):  # 1e999999999 is no percent
                raise ValueError(text)
            pct = Fraction(number)
        except (ArithmeticError, ValueError):
            raise CountingInputError(f"the threshold must be a number of percent, got {value!r}") from None
    if pct < 0 or pct > 100:
        raise CountingInputError(f"the threshold must be between 0 and 100 percent, got {value!r}")
    return pct


def _divisor(method: str, seats_won: int) -> int:
    return seats_won + 1 if method == DHONDT else 2 * seats_won + 1


def allocate_seats(
    counts: VoteCounts,
    seats: int,
    method: str = DHONDT,
    threshold: str | int | Decimal | Fraction | None = None,
    threshold_base: str = BASE_VALID,
    tie_breaker: TieBreaker | None = None,
) -> Result:
    """Allocate ``seats`` among the lists of ``counts`` by ``method`` (see the module docstring)."""
    if method not in LIST_METHODS:
        raise CountingInputError(f"unknown list method {method!r}; use one of {', '.join(LIST_METHODS)}")
    check_seats(seats)
    if threshold_base not in BASES:
        raise CountingInputError(f"unknown threshold base {threshold_base!r}; use one of {', '.join(BASES)}")
    pct = parse_percent(threshold)
    tb = tie_breaker_for(tie_breaker)
    names = list(counts.options)
    n = len(names)
    result = Result(method=method, candidates=names, seat_count=seats, title=counts.title)
    result.parameters = {
        "seats": seats,
        "threshold_percent": fraction_str(pct) if pct is not None else None,
        "threshold_base": threshold_base,
    }
    base_total = counts.base(threshold_base)
    result.totals = counts.totals() | {"threshold_base_total": str(base_total)}

    if pct is None or pct == 0:
        qualified = list(range(n))
        barrier = Fraction(0)
    else:
        barrier = base_total * pct / 100
        qualified = [c for c in range(n) if counts.votes[c] * 100 >= pct * base_total]
    below = [c for c in range(n) if c not in qualified]
    first = Stage(
        number=1,
        action="threshold",
        description=(
            f"Votes counted; threshold {fraction_str(pct)}% of {threshold_base} "
            f"({base_total}) = {fmt_fraction(barrier, 2)} votes"
        )
        if pct
        else "Votes counted; no threshold",
        tallies={names[c]: str(counts.votes[c]) for c in range(n)},
        excluded=[names[c] for c in below],
        details={
            "base": threshold_base,
            "base_total": str(base_total),
            "threshold_votes": fraction_str(barrier),
            "qualified": [names[c] for c in qualified],
            "against_all": str(counts.against_all),
            "blank": str(counts.blank),
            "invalid": str(counts.invalid),
        },
    )
    result.stages.append(first)
    history: list[HistoryEntry] = [(1, {c: counts.votes[c] for c in range(n)})]
    won = dict.fromkeys(range(n), 0)
    order: list[int] = []
    try:
        qualifying_votes = sum(counts.votes[c] for c in qualified)
        if seats and qualifying_votes:
            if method == HARE:
                second = _hare(counts, seats, qualified, qualifying_votes, won, order, tb, history)
            else:
                second = _highest_averages(counts, seats, qualified, method, won, order, tb, history)
            result.stages.append(second)
    except TieUnresolved as exc:
        _fill(result, names, won, order)
        finish_ties(result, tb)
        return mark_unresolved(result, exc)
    _fill(result, names, won, order)
    allocated = sum(won.values())
    if allocated < seats:
        result.status = STATUS_UNFILLED
        result.notes.append(
            f"{seats - allocated} seat(s) could not be allocated: no list qualified with votes"
        )
    finish_ties(result, tb)
    return result


def _fill(result: Result, names: list[str], won: dict[int, int], order: list[int]) -> None:
    firsts: list[int] = []
    for c in order:
        if c not in firsts:
            firsts.append(c)
    result.elected = [names[c] for c in firsts]
    result.seats = {names[c]: won[c] for c in sorted(won, key=lambda c: (-won[c], c)) if won[c]}


def _hare(
    counts: VoteCounts,
    seats: int,
    qualified: list[int],
    total: int,
    won: dict[int, int],
    order: list[int],
    tb: TieBreaker,
    history: list[HistoryEntry],
) -> Stage:
    names = counts.options
    quota = Fraction(total, seats)
    remainders: dict[int, Fraction] = {}
    for c in qualified:
        whole, rest = divmod(counts.votes[c] * seats, total)
        won[c] = whole
        remainders[c] = Fraction(rest, total)
    for c in sorted(qualified, key=lambda c: (-counts.votes[c], c)):
        order.extend([c] * won[c])
    left = seats - sum(won.values())
    by_remainder: list[int] = []
    pool = list(qualified)
    while left > 0 and pool:
        top = max(remainders[c] for c in pool)
        group = [c for c in pool if remainders[c] == top]
        if len(group) <= left:
            chosen = sorted(group, key=lambda c: (-counts.votes[c], c))
        else:
            chosen = [
                tb.break_tie(
                    group,
                    pick=PICK_HIGHEST,
                    names=names,
                    context="largest remainder seat",
                    stage=2,
                    history=history,
                )
            ]
        for c in chosen:
            won[c] += 1
            order.append(c)
            by_remainder.append(c)
            pool.remove(c)
            left -= 1
    return Stage(
        number=2,
        action="allocation",
        description=f"Hare quota {fmt_fraction(quota, 4)}; {seats - len(by_remainder)} seat(s) by whole "
        f"quotas, {len(by_remainder)} by largest remainders",
        tallies={names[c]: str(won[c]) for c in qualified},
        elected=[names[c] for c in qualified if won[c]],
        details={
            "quota": fraction_str(quota),
            "quotients": {
                names[c]: fraction_str(Fraction(counts.votes[c] * seats, total)) for c in qualified
            },
            "whole_seats": {names[c]: str(won[c] - by_remainder.count(c)) for c in qualified},
            "remainders": {names[c]: fraction_str(remainders[c]) for c in qualified},
            "remainder_seats": [names[c] for c in by_remainder],
        },
    )


def _highest_averages(
    counts: VoteCounts,
    seats: int,
    qualified: list[int],
    method: str,
    won: dict[int, int],
    order: list[int],
    tb: TieBreaker,
    history: list[HistoryEntry],
) -> Stage:
    names = counts.options
    awards = []
    left = seats
    while left > 0:
        averages = {c: Fraction(counts.votes[c], _divisor(method, won[c])) for c in qualified}
        top = max(averages.values())
        group = [c for c in qualified if averages[c] == top]
        if len(group) <= left:
            chosen = sorted(group, key=lambda c: (-counts.votes[c], c))
        else:
            chosen = [
                tb.break_tie(
                    group,
                    pick=PICK_HIGHEST,
                    names=names,
                    context=f"seat {seats - left + 1}",
                    stage=2,
                    history=history,
                )
            ]
        for c in chosen:
            awards.append(
                {
                    "seat": seats - left + 1,
                    "list": names[c],
                    "average": fraction_str(averages[c]),
                    "divisor": _divisor(method, won[c]),
                }
            )
            won[c] += 1
            order.append(c)
            left -= 1
    label = "D'Hondt (divisors 1, 2, 3, ...)" if method == DHONDT else "Sainte-Laguë (divisors 1, 3, 5, ...)"
    return Stage(
        number=2,
        action="allocation",
        description=f"Seats allocated by highest averages, {label}",
        tallies={names[c]: str(won[c]) for c in qualified},
        elected=[names[c] for c in qualified if won[c]],
        details={"awards": awards},
    )


def hare_largest_remainder(counts: VoteCounts, seats: int, **kwargs: Any) -> Result:
    """Hare quota with largest remainders (see :func:`allocate_seats`)."""
    return allocate_seats(counts, seats, HARE, **kwargs)


def dhondt(counts: VoteCounts, seats: int, **kwargs: Any) -> Result:
    """D'Hondt highest averages (see :func:`allocate_seats`)."""
    return allocate_seats(counts, seats, DHONDT, **kwargs)


def sainte_lague(counts: VoteCounts, seats: int, **kwargs: Any) -> Result:
    """Sainte-Laguë highest averages (see :func:`allocate_seats`)."""
    return allocate_seats(counts, seats, SAINTE_LAGUE, **kwargs)
