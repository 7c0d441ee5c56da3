"""Absolute majority with a runoff ("two-round system").

Rule: a candidate is elected when their votes are more than half of the chosen base
(``votes * 2 > base``).  The base is one of

* ``participants`` - everybody who took part (valid + invalid ballots),
* ``valid`` - valid ballots, including blank and "against all" ballots (the default),
* ``list`` - votes for the candidates only.

When fewer than ``seats`` candidates reach a majority the result is **not** a winner: the status
is ``runoff_needed`` and ``runoff`` lists the candidates who go through to the next round (by
default the best ``2 x open seats``; a tie for the last runoff place follows the tie rule).
"Against all", blank and invalid ballots are never candidates.

Source: the two-round system as used e.g. for the French presidential election (Constitution
art. 7: "absolute majority of the votes cast", then a second round between the two leading
candidates); which ballots count in the base is the election's choice.
"""

from __future__ import annotations

from ._common import check_seats, finish_ties, mark_unresolved, tie_breaker_for
from .errors import CountingInputError
from .plurality import rank_positions
from .ties import TieBreaker, TieUnresolved
from .types import BASE_VALID, BASES, STATUS_RUNOFF, Result, Stage, VoteCounts


def count_absolute_majority(
    counts: VoteCounts,
    seats: int = 1,
    base: str = BASE_VALID,
    runoff_size: int | None = None,
    tie_breaker: TieBreaker | None = None,
) -> Result:
    """Elect candidates with an absolute majority of ``base``, otherwise report a runoff."""
    check_seats(seats)
    if seats < 1:
        raise CountingInputError("at least one seat is needed")
    if base not in BASES:
        raise CountingInputError(f"unknown majority base {base!r}; use one of {', '.join(BASES)}")
    tb = tie_breaker_for(tie_breaker)
    names = list(counts.options)
    base_total = counts.base(base)
    result = Result(method="majority", candidates=names, seat_count=seats, title=counts.title)
    result.parameters = {"seats": seats, "base": base}
    result.totals = counts.totals() | {"base": str(base_total)}
    # majority means strictly more than half: votes * 2 > base
    needed = base_total // 2 + 1
    result.quota = str(needed)
    stage = Stage(
        number=1,
        action="count",
        description=f"Votes counted; an absolute majority of {base} ballots ({base_total}) is {needed}",
        tallies={n: str(v) for n, v in zip(names, counts.votes, strict=True)},
        details={
            "base": base,
            "base_total": str(base_total),
            "majority": str(needed),
            "against_all": str(counts.against_all),
            "blank": str(counts.blank),
            "invalid": str(counts.invalid),
        },
    )
    result.stages.append(stage)
    majority = [c for c in range(len(names)) if counts.votes[c] * 2 > base_total]
    try:
        members, _ = rank_positions(counts, seats, 0, tb, stage=1, eligible=majority)
        result.elected = [names[c] for c in members]
        result.seats = {names[c]: 1 for c in members}
        stage.elected = list(result.elected)
        open_seats = seats - len(members)
        if open_seats:
            size = runoff_size if runoff_size is not None else 2 * open_seats
            check_seats(size, "runoff places")
            others = [c for c in range(len(names)) if c not in members]
            runoff, _ = rank_positions(counts, size, 0, tb, stage=1, eligible=others)
            result.status = STATUS_RUNOFF
            result.runoff = [names[c] for c in runoff]
            stage.details["runoff"] = list(result.runoff)
            result.notes.append(
                f"nobody else reached an absolute majority ({needed} of {base_total}); "
                f"a runoff is needed for {open_seats} seat(s) between: {', '.join(result.runoff)}"
            )
    except TieUnresolved as exc:
        finish_ties(result, tb)
        return mark_unresolved(result, exc)
    finish_ties(result, tb)
    return result
