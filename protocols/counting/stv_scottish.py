"""Single transferable vote by the Scottish local government rules.

Source: The Scottish Local Government Elections Order 2007 (SSI 2007/42), schedule 1, rules 45-52:

* 45 first stage: valid ballot papers sorted by first preference;
* 46 quota (Droop): ``floor(valid papers / (seats + 1)) + 1``;
* 47 a candidate whose votes equal or exceed the quota is deemed elected;
* 48 a surplus is transferred by the weighted inclusive Gregory method: *every* paper held by the
  elected candidate passes to its next available preference at the value
  ``value of the paper x surplus / candidate's total``, "calculated to five decimal places (any
  remainder being ignored)";
* 49 the largest surplus first; equal surpluses - the candidate with more votes at the most
  recent preceding stage at which they differed, else by lot;
* 50 otherwise the continuing candidate with fewest votes is excluded and all their papers are
  transferred at the value they had;
* 51 equal lowest - fewer votes at the most recent preceding stage at which they differed, else lot;
* 52 when the continuing candidates are as many as the open seats they are all elected, and no
  further transfer is made.

One transfer (one surplus or one exclusion) is one stage.  Votes are integers in units of
0.00001, so every truncation is exact (identical to ``Decimal.quantize(..., ROUND_DOWN)``).  The
fraction ignored when transfer values are truncated is reported as "loss by fraction".  The tie
rule defaults to ``backwards`` then ``lot`` (rules 49 and 51); another rule chosen by the election
is honoured.
"""

from __future__ import annotations

from ._common import finish_ties, mark_unresolved, tie_breaker_for
from .fixedpoint import fmt_units
from .ties import PICK_HIGHEST, PICK_LOWEST, TieBreaker, TieUnresolved
from .types import STATUS_UNFILLED, Profile, Result, Stage

PLACES = 5
ONE = 10**PLACES

CONTINUING, ELECTED, EXCLUDED, WITHDRAWN = "continuing", "elected", "excluded", "withdrawn"


def _fmt(units: int) -> str:
    return fmt_units(units, PLACES)


class _ScottishCount:
    def __init__(self, profile: Profile, tb: TieBreaker):
        self.tb = tb
        self.names = list(profile.candidates)
        self.seats = profile.seats
        prof = profile.grouped()
        n = len(self.names)
        self.status = [WITHDRAWN if c in profile.withdrawn else CONTINUING for c in range(n)]
        withdrawn = profile.withdrawn
        self.rankings = [tuple(c for c in g.ranking if c not in withdrawn) for g in prof.groups]
        self.weights = [g.weight for g in prof.groups]
        self.votes = [0] * n
        # piles[c]: papers held by c as [group index, position in ranking, value in units]
        self.piles: list[list[tuple[int, int, int]]] = [[] for _ in range(n)]
        self.valid = 0
        self.blank = 0
        for gi, ranking in enumerate(self.rankings):
            w = self.weights[gi]
            if not ranking:
                self.blank += w
                continue
            self.valid += w
            self.piles[ranking[0]].append((gi, 0, ONE))
            self.votes[ranking[0]] += w * ONE
        self.quota = (self.valid // (self.seats + 1) + 1) * ONE
        self.exhausted = 0
        self.loss = 0
        self.elected: list[int] = []
        self.pending: list[int] = []  # elected, surplus not yet transferred
        self.history: list[tuple[int, dict[int, int]]] = []
        self.stages: list[Stage] = []

    # ---------------------------------------------------------------- helpers

    def continuing(self) -> list[int]:
        return [c for c, s in enumerate(self.status) if s == CONTINUING]

    def _next(self, gi: int, pos: int) -> tuple[int | None, int]:
        ranking = self.rankings[gi]
        status = self.status
        for p in range(pos + 1, len(ranking)):
            if status[ranking[p]] == CONTINUING:
                return ranking[p], p
        return None, len(ranking)

    def _tallies(self) -> dict[str, str]:
        return {self.names[c]: _fmt(v) for c, v in enumerate(self.votes) if self.status[c] != WITHDRAWN}

    def _record(
        self,
        action: str,
        description: str,
        subject: int | None = None,
        transfers: dict[int, int] | None = None,
        details: dict | None = None,
    ) -> Stage:
        number = len(self.stages) + 1
        stage = Stage(
            number=number,
            action=action,
            description=description,
            tallies=self._tallies(),
            subject=self.names[subject] if subject is not None else None,
            transfers={self.names[c]: _fmt(v) for c, v in (transfers or {}).items()},
            non_transferable=_fmt(self.exhausted),
            loss=_fmt(self.loss),
            details=details or {},
        )
        self.stages.append(stage)
        self.history.append((number, {c: v for c, v in enumerate(self.votes) if self.status[c] != WITHDRAWN}))
        return stage

    def _elect_quota(self, stage: Stage) -> None:
        """Rule 47: everybody at or above the quota is deemed elected at the end of the stage."""
        reached = [c for c in self.continuing() if self.votes[c] >= self.quota]
        reached.sort(key=lambda c: (-self.votes[c], c))
        for c in reached:
            if len(self.elected) >= self.seats:
                break
            self.status[c] = ELECTED
            self.elected.append(c)
            self.pending.append(c)
            stage.elected.append(self.names[c])

    # -------------------------------------------------------------- transfers

    def transfer_surplus(self, c: int) -> None:
        """Rule 48: weighted inclusive Gregory transfer of c's surplus, values truncated."""
        total = self.votes[c]
        surplus = total - self.quota
        moved: dict[int, int] = {}
        values: dict[int, int] = {}
        nontransferable = 0
        for gi, pos, value in self.piles[c]:
            new_value = value * surplus // total
            values[value] = new_value
            if new_value == 0:
                continue
            amount = self.weights[gi] * new_value
            nxt, npos = self._next(gi, pos)
            if nxt is None:
                nontransferable += amount
            else:
                self.piles[nxt].append((gi, npos, new_value))
                moved[nxt] = moved.get(nxt, 0) + amount
        self.piles[c] = []
        for d, amount in moved.items():
            self.votes[d] += amount
        self.votes[c] = self.quota
        self.exhausted += nontransferable
        lost = surplus - sum(moved.values()) - nontransferable
        self.loss += lost
        details = {
            "surplus": _fmt(surplus),
            "total_votes": _fmt(total),
            "transfer_values": {_fmt(v): _fmt(nv) for v, nv in sorted(values.items(), reverse=True)},
            "non_transferable_this_stage": _fmt(nontransferable),
            "loss_this_stage": _fmt(lost),
        }
        stage = self._record(
            "surplus",
            f"Surplus of {self.names[c]} ({_fmt(surplus)}) transferred (rule 48)",
            subject=c,
            transfers=moved,
            details=details,
        )
        self._elect_quota(stage)

    def transfer_excluded(self, c: int) -> None:
        """Rule 50: all papers of the excluded candidate pass on at their current value."""
        self.status[c] = EXCLUDED
        excluded_votes = self.votes[c]
        moved: dict[int, int] = {}
        nontransferable = 0
        for gi, pos, value in self.piles[c]:
            amount = self.weights[gi] * value
            nxt, npos = self._next(gi, pos)
            if nxt is None:
                nontransferable += amount
            else:
                self.piles[nxt].append((gi, npos, value))
                moved[nxt] = moved.get(nxt, 0) + amount
        self.piles[c] = []
        for d, amount in moved.items():
            self.votes[d] += amount
        self.votes[c] = 0
        self.exhausted += nontransferable
        stage = self._record(
            "exclusion",
            f"{self.names[c]} ({_fmt(excluded_votes)}) excluded and the papers transferred (rule 50)",
            subject=c,
            transfers=moved,
            details={
                "excluded_votes": _fmt(excluded_votes),
                "non_transferable_this_stage": _fmt(nontransferable),
            },
        )
        stage.excluded.append(self.names[c])
        self._elect_quota(stage)

    # ------------------------------------------------------------------ count

    def run(self) -> None:
        first = self._record(
            "first_preferences",
            "First preferences counted (rules 45 and 46)",
            details={"valid_papers": str(self.valid), "quota": _fmt(self.quota)},
        )
        self._elect_quota(first)
        while len(self.elected) < self.seats:
            cont = self.continuing()
            open_seats = self.seats - len(self.elected)
            if len(cont) <= open_seats:
                self._fill_last(cont)
                return
            surpluses = [c for c in self.pending if self.votes[c] > self.quota]
            self.pending = [c for c in self.pending if c in surpluses]
            stage_no = len(self.stages) + 1
            if surpluses:
                top = max(self.votes[c] for c in surpluses)
                tied = [c for c in surpluses if self.votes[c] == top]
                c = self.tb.break_tie(
                    tied,
                    pick=PICK_HIGHEST,
                    names=self.names,
                    context="order of surplus transfer (rule 49)",
                    stage=stage_no,
                    history=self.history,
                    fmt=_fmt,
                )
                self.pending.remove(c)
                self.transfer_surplus(c)
            else:
                low = min(self.votes[c] for c in cont)
                tied = [c for c in cont if self.votes[c] == low]
                c = self.tb.break_tie(
                    tied,
                    pick=PICK_LOWEST,
                    names=self.names,
                    context="exclusion (rule 51)",
                    stage=stage_no,
                    history=self.history,
                    fmt=_fmt,
                )
                self.transfer_excluded(c)

    def _fill_last(self, cont: list[int]) -> None:
        """Rule 52: the remaining continuing candidates fill the remaining seats."""
        cont = sorted(cont, key=lambda c: (-self.votes[c], c))
        if not cont:
            return
        stage = self.stages[-1]
        stage.details["rule_52"] = [self.names[c] for c in cont]
        for c in cont:
            self.status[c] = ELECTED
            self.elected.append(c)
            stage.elected.append(self.names[c])
        stage.description += "; the continuing candidates fill the last vacancies (rule 52)"


def count_stv_scottish(profile: Profile, tie_breaker: TieBreaker | None = None) -> Result:
    """Count an STV election by SSI 2007/42 rules 45-52 (see the module docstring)."""
    tb = tie_breaker_for(tie_breaker, "backwards")
    count = _ScottishCount(profile, tb)
    names = count.names
    result = Result(
        method="stv-scottish",
        candidates=names,
        seat_count=profile.seats,
        title=profile.title,
        quota=_fmt(count.quota),
    )
    result.parameters = {
        "seats": profile.seats,
        "decimal_places": PLACES,
        "rules": "SSI 2007/42 schedule 1 rules 45-52",
    }
    try:
        count.run()
    except TieUnresolved as exc:
        _fill_result(result, count)
        finish_ties(result, tb)
        return mark_unresolved(result, exc)
    _fill_result(result, count)
    if len(count.elected) < profile.seats:
        result.status = STATUS_UNFILLED
        result.notes.append(f"only {len(count.elected)} candidate(s) elected for {profile.seats} seat(s)")
    finish_ties(result, tb)
    return result


def _fill_result(result: Result, count: _ScottishCount) -> None:
    result.stages = count.stages
    result.elected = [count.names[c] for c in count.elected]
    result.seats = dict.fromkeys(result.elected, 1)
    result.totals = {
        "valid_papers": str(count.valid),
        "blank_papers": str(count.blank),
        "quota": _fmt(count.quota),
        "non_transferable": _fmt(count.exhausted),
        "loss_by_fraction": _fmt(count.loss),
    }
