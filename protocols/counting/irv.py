"""Instant-runoff voting (IRV, the alternative vote) for one seat.

Rule: in each round every ballot counts for its highest-ranked continuing candidate.  A candidate
with more than half of the ballots still counting (``votes * 2 > active``) wins; otherwise the
candidate with the fewest votes is excluded and the next round is counted.  Blank and exhausted
ballots drop out of the base.  A tie for exclusion follows the election's tie rule (by default
"backwards": the candidate with fewer votes in the most recent round in which they differed).

``batch_elimination=True`` excludes at once all the lowest candidates whose combined votes are
fewer than the votes of the next candidate (they cannot win), as Burlington VT did in 2009; the
winner is the same, only the number of rounds changes.

Source: the alternative vote as in the Australian House of Representatives (Commonwealth
Electoral Act 1918, s. 274) and the Burlington (VT) mayoral elections of 2006 and 2009.
"""

from __future__ import annotations

from ._common import finish_ties, mark_unresolved, tie_breaker_for
from .errors import CountingInputError
from .ties import PICK_LOWEST, TieBreaker, TieUnresolved
from .types import Profile, Result, Stage


def count_irv(
    profile: Profile,
    tie_breaker: TieBreaker | None = None,
    *,
    batch_elimination: bool = False,
) -> Result:
    """Count one seat by instant runoff."""
    tb = tie_breaker_for(tie_breaker)
    names = list(profile.candidates)
    prof = profile.grouped()
    n = len(names)
    continuing = [c not in profile.withdrawn for c in range(n)]
    if not any(continuing):
        raise CountingInputError("every candidate has withdrawn")
    result = Result(method="irv", candidates=names, seat_count=1, title=profile.title)
    result.parameters = {"seats": 1, "batch_elimination": batch_elimination}
    if profile.seats != 1:
        result.notes.append(f"the ballot file asks for {profile.seats} seats; IRV elects one")

    history: list[tuple[int, dict[int, int]]] = []
    previous: dict[int, int] | None = None
    round_no = 0
    try:
        while True:
            round_no += 1
            votes = dict.fromkeys((c for c in range(n) if continuing[c]), 0)
            exhausted = 0
            for g in prof.groups:
                top = next((c for c in g.ranking if continuing[c]), None)
                if top is None:
                    exhausted += g.weight
                else:
                    votes[top] += g.weight
            active = sum(votes.values())
            stage = Stage(
                number=round_no,
                action="round",
                description=f"Round {round_no}: {active} ballots for continuing candidates",
                tallies={names[c]: str(v) for c, v in votes.items()},
                non_transferable=str(exhausted),
                details={"active": str(active), "majority": str(active // 2 + 1)},
            )
            if previous is not None:
                stage.transfers = {names[c]: f"{v - previous.get(c, 0):+d}" for c, v in votes.items()}
            result.stages.append(stage)
            history.append((round_no, votes))
            leader = max(votes.values())
            winners = [c for c, v in votes.items() if v == leader]
            if len(votes) == 1 or leader * 2 > active:
                winner = winners[0]
                stage.elected = [names[winner]]
                stage.description += (
                    f"; {names[winner]} has a majority"
                    if leader * 2 > active
                    else (f"; {names[winner]} is the last continuing candidate")
                )
                result.elected = [names[winner]]
                result.seats = {names[winner]: 1}
                break
            if active == 0 and not result.notes:
                result.notes.append("no ballot counts for any continuing candidate")
            losers = _batch(votes) if batch_elimination else []
            if not losers:
                low = min(votes.values())
                lowest = [c for c, v in votes.items() if v == low]
                losers = [
                    tb.break_tie(
                        lowest,
                        pick=PICK_LOWEST,
                        names=names,
                        context="exclusion",
                        stage=round_no,
                        history=history[:-1],
                    )
                ]
            for c in losers:
                continuing[c] = False
            stage.excluded = [names[c] for c in losers]
            stage.description += "; excluded: " + ", ".join(stage.excluded)
            previous = votes
    except TieUnresolved as exc:
        finish_ties(result, tb)
        return mark_unresolved(result, exc)
    result.totals = {
        "ballots": str(prof.total_ballots),
        "exhausted_final": result.stages[-1].non_transferable or "0",
    }
    finish_ties(result, tb)
    return result


def _batch(votes: dict[int, int]) -> list[int]:
    """The largest set (at least two) of lowest candidates whose total is below the next one's,
    leaving at least two candidates; empty when there is none."""
    ordered = sorted(votes.items(), key=lambda cv: cv[1])
    best: list[int] = []
    running = 0
    for k in range(len(ordered) - 2):
        running += ordered[k][1]
        if k >= 1 and running < ordered[k + 1][1]:
            best = [c for c, _ in ordered[: k + 1]]
    return best
