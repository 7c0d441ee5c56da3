"""Single transferable vote by Meek's method.

Source: I. D. Hill, B. A. Wichmann and D. R. Woodall, "Algorithm 123 - Single Transferable Vote
by Meek's method", The Computer Journal 30(3), 1987, pp. 277-281 (also the method of the New
Zealand local elections, Local Electoral Regulations 2001, schedule 1A).

Every candidate has a keep value: 1 for a hopeful candidate, 0 for an excluded one, and for an
elected one the share of each vote reaching them that they keep.  A ballot gives each candidate in
turn ``keep x what is left of the ballot`` and passes the rest on; what is left after the last
preference is excess.  The quota is ``(votes - excess) / (seats + 1)`` truncated, plus one unit.
Elected candidates' keep values are then scaled by ``quota / votes`` and the ballots are
distributed again, until the elected candidates' total surplus is below the tolerance
(``OMEGA`` = 0.000001) or stops falling.  A hopeful candidate reaching the quota is elected; when
the count has converged without an election the hopeful candidate with fewest votes is excluded.

Arithmetic (documented precision): integers in units of 10**-9 (``PLACES = 9``).  Shares given
to candidates are truncated (a ballot never gives away more than it holds), keep values are
rounded up (so an elected candidate's vote never falls below the quota by rounding), as in
Algorithm 123.  Exclusion ties follow the tie rule (default ``backwards`` then ``lot``).
"""

from __future__ import annotations

from ._common import finish_ties, mark_unresolved, tie_breaker_for
from .fixedpoint import fmt_units
from .ties import PICK_LOWEST, TieBreaker, TieUnresolved
from .types import STATUS_UNFILLED, Profile, Result, Stage

PLACES = 9
ONE = 10**PLACES
OMEGA = 10 ** (PLACES - 6)  # 0.000001
MAX_ITERATIONS = 10_000

HOPEFUL, ELECTED, EXCLUDED = "hopeful", "elected", "excluded"


def _fmt(units: int) -> str:
    return fmt_units(units, PLACES)


class _MeekCount:
    def __init__(self, profile: Profile, tb: TieBreaker):
        self.tb = tb
        self.names = list(profile.candidates)
        self.seats = profile.seats
        n = len(self.names)
        prof = profile.grouped()
        self.groups = [(g.weight, g.ranking) for g in prof.groups if g.ranking]
        self.blank = sum(g.weight for g in prof.groups if not g.ranking)
        self.total = sum(w for w, _ in self.groups)
        self.status = [EXCLUDED if c in profile.withdrawn else HOPEFUL for c in range(n)]
        self.withdrawn = set(profile.withdrawn)
        self.keep = [0 if c in profile.withdrawn else ONE for c in range(n)]
        self.votes = [0] * n
        self.excess = 0
        self.quota = 0
        self.elected: list[int] = []
        self.stages: list[Stage] = []
        self.history: list[tuple[int, dict[int, int]]] = []
        self.iterations = 0

    def distribute(self) -> None:
        n = len(self.names)
        votes = [0] * n
        excess = 0
        keep = self.keep
        for weight, ranking in self.groups:
            left = ONE
            for c in ranking:
                k = keep[c]
                if k == 0:
                    continue
                if k == ONE:
                    votes[c] += weight * left
                    left = 0
                    break
                share = left * k // ONE
                votes[c] += weight * share
                left -= share
            if left:
                excess += weight * left
        self.votes = votes
        self.excess = excess
        self.quota = (self.total * ONE - excess) // (self.seats + 1) + 1

    def surplus(self) -> int:
        return sum(max(self.votes[c] - self.quota, 0) for c in self.elected)

    def converge(self) -> list[int]:
        """Iterate keep values; return hopeful candidates who reached the quota (maybe none)."""
        previous = None
        for _ in range(MAX_ITERATIONS):
            self.distribute()
            self.iterations += 1
            reached = [c for c, s in enumerate(self.status) if s == HOPEFUL and self.votes[c] >= self.quota]
            if reached:
                return reached
            surplus = self.surplus()
            if not self.elected or surplus < OMEGA or (previous is not None and surplus >= previous):
                return []
            previous = surplus
            for c in self.elected:
                # keep values rounded up: ceil(keep * quota / votes)
                self.keep[c] = min(ONE, -(-self.keep[c] * self.quota // self.votes[c]))
        return []

    def hopeful(self) -> list[int]:
        return [c for c, s in enumerate(self.status) if s == HOPEFUL]

    def record(self, action: str, description: str, subject: int | None = None) -> Stage:
        number = len(self.stages) + 1
        shown = [c for c in range(len(self.names)) if c not in self.withdrawn]
        stage = Stage(
            number=number,
            action=action,
            description=description,
            tallies={self.names[c]: _fmt(self.votes[c]) for c in shown},
            subject=self.names[subject] if subject is not None else None,
            non_transferable=_fmt(self.excess),
            details={
                "quota": _fmt(self.quota),
                "keep_values": {self.names[c]: _fmt(self.keep[c]) for c in shown},
                "surplus": _fmt(self.surplus()),
                "iterations_so_far": self.iterations,
            },
        )
        self.stages.append(stage)
        self.history.append((number, {c: self.votes[c] for c in shown}))
        return stage

    def run(self) -> None:
        self.distribute()
        self.record("first_preferences", "First preferences counted (all keep values 1)")
        while len(self.elected) < self.seats:
            reached = self.converge()
            if reached:
                reached.sort(key=lambda c: (-self.votes[c], c))
                reached = reached[: self.seats - len(self.elected)]
                for c in reached:
                    self.status[c] = ELECTED
                    self.elected.append(c)
                stage = self.record("elect", "Elected: " + ", ".join(self.names[c] for c in reached))
                stage.elected = [self.names[c] for c in reached]
                continue
            hopeful = self.hopeful()
            open_seats = self.seats - len(self.elected)
            if len(hopeful) <= open_seats:
                hopeful.sort(key=lambda c: (-self.votes[c], c))
                for c in hopeful:
                    self.status[c] = ELECTED
                    self.elected.append(c)
                stage = self.record(
                    "elect_remaining",
                    "The remaining hopeful candidates fill the open seats"
                    if hopeful
                    else "No hopeful candidates are left",
                )
                stage.elected = [self.names[c] for c in hopeful]
                return
            zeros = [c for c in hopeful if self.votes[c] == 0]
            if len(zeros) > 1 and len(hopeful) - len(zeros) >= open_seats:
                # candidates without a single vote can neither win nor pass votes on: all go at once
                for c in zeros:
                    self.status[c] = EXCLUDED
                    self.keep[c] = 0
                stage = self.record(
                    "exclusion",
                    "Excluded together, having no votes: " + ", ".join(self.names[c] for c in zeros),
                )
                stage.excluded = [self.names[c] for c in zeros]
                continue
            low = min(self.votes[c] for c in hopeful)
            tied = [c for c in hopeful if self.votes[c] == low]
            stage_no = len(self.stages) + 1
            # the tallies of this converged distribution are the current stage for the comparison
            current = (stage_no, {c: self.votes[c] for c in range(len(self.names))})
            c = self.tb.break_tie(
                tied,
                pick=PICK_LOWEST,
                names=self.names,
                context="exclusion",
                stage=stage_no,
                history=[*self.history, current],
                fmt=_fmt,
            )
            votes_before = self.votes[c]
            self.status[c] = EXCLUDED
            self.keep[c] = 0
            stage = self.record("exclusion", f"{self.names[c]} ({_fmt(votes_before)}) excluded", subject=c)
            stage.excluded = [self.names[c]]
        # seats filled: final distribution for the report
        self.distribute()


def count_stv_meek(profile: Profile, tie_breaker: TieBreaker | None = None) -> Result:
    """Count an STV election by Meek's method (see the module docstring)."""
    tb = tie_breaker_for(tie_breaker, "backwards")
    count = _MeekCount(profile, tb)
    names = count.names
    result = Result(method="stv-meek", candidates=names, seat_count=profile.seats, title=profile.title)
    result.parameters = {"seats": profile.seats, "decimal_places": PLACES, "omega": _fmt(OMEGA)}
    try:
        count.run()
    except TieUnresolved as exc:
        _fill(result, count)
        finish_ties(result, tb)
        return mark_unresolved(result, exc)
    _fill(result, count)
    if len(count.elected) < profile.seats:
        result.status = STATUS_UNFILLED
        result.notes.append(f"only {len(count.elected)} candidate(s) elected for {profile.seats} seat(s)")
    finish_ties(result, tb)
    return result


def _fill(result: Result, count: _MeekCount) -> None:
    result.stages = count.stages
    result.elected = [count.names[c] for c in count.elected]
    result.seats = dict.fromkeys(result.elected, 1)
    result.quota = _fmt(count.quota)
    result.totals = {
        "valid_ballots": str(count.total),
        "blank_ballots": str(count.blank),
        "excess": _fmt(count.excess),
        "iterations": str(count.iterations),
    }
