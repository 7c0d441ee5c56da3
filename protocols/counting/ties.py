"""Tie resolution, always reported.

The election chooses one rule:

``backwards``
    Compare the tied candidates' votes at earlier stages, most recent first, and decide at the
    most recent stage at which they differed (Scottish Local Government Elections Order 2007,
    SSI 2007/42, schedule 1, rules 49(2) and 51(2)(a)).  With three or more tied candidates the
    set is narrowed to those with the extreme value at that stage and the search goes on.
``forwards``
    The same, starting from the first stage (the "first difference" rule used by some STV rules).
``lot``
    A seeded lot: ``random.Random(seed)``; tied candidates in ballot-paper order, one index drawn
    with ``randrange``.  The seed, the draw number, the order and the index are recorded so the
    draw can be replayed.  With no seed given one is generated and recorded.
``commission``
    Nobody decides automatically: the count stops with status ``tie_unresolved`` and lists the
    tied candidates.  The commission's decision is passed back as ``decision``: an ordered list of
    names, most favoured first (the favoured one wins a seat / keeps the place; the last one is
    excluded).  Several decisions, one per tie the commission settled, are passed as
    ``decisions``: a tie is settled by the last of them that names every tied candidate.

``backwards`` and ``forwards`` fall back to ``fallback`` (``lot`` by default, as in rule 49(3)
and 51(2)(b)) when the candidates were equal at every earlier stage.  Methods with a single
stage (plurality, approval, list methods) give the vote totals as the only earlier stage, or none.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .errors import CountingError, CountingInputError
from .types import Tie

TIE_RULES = ("backwards", "forwards", "lot", "commission")
FALLBACK_RULES = ("lot", "commission")

PICK_LOWEST = "lowest"
PICK_HIGHEST = "highest"

#: one earlier stage for tie breaking: (stage number, {candidate index: comparable value})
HistoryEntry = tuple[int, Mapping[int, Any]]


class TieUnresolved(CountingError):
    """Raised inside a count when the rule is ``commission`` and no decision covers the tie."""

    def __init__(self, tie: Tie):
        self.tie = tie
        super().__init__(f"tie between {', '.join(tie.candidates)} needs a commission decision")


class TieBreaker:
    """Configured tie rule plus the record of every tie met during one count.

    Count functions call :meth:`fresh` so that one configured object can be reused for many counts
    and each count starts its lot from the same seed.
    """

    def __init__(
        self,
        rule: str = "backwards",
        *,
        seed: int | None = None,
        decision: Sequence[str] | None = None,
        decisions: Sequence[Sequence[str]] | None = None,
        fallback: str = "lot",
    ):
        if rule not in TIE_RULES:
            raise CountingInputError(f"unknown tie rule {rule!r}; use one of {', '.join(TIE_RULES)}")
        if fallback not in FALLBACK_RULES:
            raise CountingInputError(
                f"unknown tie fallback {fallback!r}; use one of {', '.join(FALLBACK_RULES)}"
            )
        if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
            raise CountingInputError("the lot seed must be an integer")
        self.rule = rule
        self.fallback = fallback
        self.seed = seed
        self.decision = list(decision) if decision else []
        self.decisions = [list(d) for d in decisions or () if d]
        for order in self.decisions:
            if len(set(order)) != len(order):
                raise CountingInputError("a tie decision names each candidate once")
        self.ties: list[Tie] = []
        self._rng: random.Random | None = None
        self._draws = 0

    def fresh(self) -> TieBreaker:
        return TieBreaker(
            self.rule,
            seed=self.seed,
            decision=self.decision,
            decisions=self.decisions,
            fallback=self.fallback,
        )

    def describe(self) -> str:
        if self.rule in ("backwards", "forwards"):
            return f"{self.rule}, then {self.fallback}"
        return self.rule

    def parameters(self) -> dict[str, Any]:
        data: dict[str, Any] = {"tie_rule": self.rule, "tie_fallback": self.fallback}
        if self.seed is not None:
            data["seed"] = self.seed
        if self.decision:
            data["tie_decision"] = list(self.decision)
        if self.decisions:
            data["tie_decisions"] = [list(d) for d in self.decisions]
        return data

    # ------------------------------------------------------------------ public

    def break_tie(
        self,
        tied: Sequence[int],
        *,
        pick: str,
        names: Sequence[str],
        context: str,
        stage: int | None = None,
        history: Sequence[HistoryEntry] = (),
        fmt: Callable[[Any], str] = str,
    ) -> int:
        """Return the chosen candidate index among ``tied``.

        ``pick`` is ``"lowest"`` (choose the one to exclude / to lose) or ``"highest"`` (choose the
        one to elect / to go first).  ``history`` lists earlier stages, oldest first; ``fmt``
        renders one of its values for the report.
        """
        candidates = sorted(set(tied))
        if len(candidates) == 1:
            return candidates[0]
        if pick not in (PICK_LOWEST, PICK_HIGHEST):
            raise ValueError(f"pick must be 'lowest' or 'highest', not {pick!r}")
        tie = Tie(
            context=context,
            candidates=[names[c] for c in candidates],
            pick=pick,
            rule=self.describe(),
            stage=stage,
        )
        self.ties.append(tie)

        rule = self.rule
        notes = ""
        if rule in ("backwards", "forwards"):
            remaining, detail = self._by_history(candidates, pick, history, rule == "backwards", names, fmt)
            if len(remaining) == 1:
                return self._resolve(tie, remaining[0], rule, detail, names)
            notes = detail
            candidates = remaining
            rule = self.fallback
        if rule == "lot":
            return self._lot(tie, candidates, pick, names, notes)
        return self._commission(tie, candidates, pick, names, notes)

    # ----------------------------------------------------------------- private

    def _resolve(self, tie: Tie, chosen: int, how: str, detail: str, names: Sequence[str]) -> int:
        tie.resolved_by = how
        tie.chosen = names[chosen]
        tie.detail = detail
        return chosen

    @staticmethod
    def _by_history(
        candidates: list[int],
        pick: str,
        history: Sequence[HistoryEntry],
        backwards: bool,
        names: Sequence[str],
        fmt: Callable[[Any], str],
    ) -> tuple[list[int], str]:
        remaining = list(candidates)
        entries = list(history)
        if backwards:
            entries.reverse()
        steps = []
        for stage_no, tally in entries:
            values = {c: tally.get(c, 0) for c in remaining}
            if len(set(values.values())) == 1:
                continue
            target = min(values.values()) if pick == PICK_LOWEST else max(values.values())
            remaining = [c for c in remaining if values[c] == target]
            shown = ", ".join(f"{names[c]} {fmt(v)}" for c, v in values.items())
            steps.append(f"stage {stage_no}: {shown}")
            if len(remaining) == 1:
                break
        direction = "most recent earlier" if backwards else "first"
        if len(remaining) == 1:
            word = "lowest" if pick == PICK_LOWEST else "highest"
            detail = (
                f"decided at the {direction} stage at which they differed ({'; '.join(steps)}): "
                f"{names[remaining[0]]} had the {word} vote"
            )
        elif steps:
            detail = f"still equal after comparing earlier stages ({'; '.join(steps)})"
        else:
            detail = "equal at every earlier stage" if entries else "no earlier stage to compare"
        return remaining, detail

    def _lot(self, tie: Tie, candidates: list[int], pick: str, names: Sequence[str], notes: str) -> int:
        if self._rng is None:
            if self.seed is None:
                self.seed = secrets.randbits(63)
            self._rng = random.Random(self.seed)
        self._draws += 1
        index = self._rng.randrange(len(candidates))
        chosen = candidates[index]
        order = [names[c] for c in candidates]
        tie.seed = self.seed
        tie.draw = {"number": self._draws, "order": order, "index": index}
        role = "to be excluded / to lose" if pick == PICK_LOWEST else "to win / to go first"
        detail = (
            f"drawn by lot (seed {self.seed}, draw {self._draws}, index {index} of {order}): "
            f"{names[chosen]} {role}"
        )
        if notes:
            detail = f"{notes}; {detail}"
        return self._resolve(tie, chosen, "lot", detail, names)

    def _commission(
        self, tie: Tie, candidates: list[int], pick: str, names: Sequence[str], notes: str
    ) -> int:
        tied_names = {names[c] for c in candidates}
        covering = [d for d in (self.decision, *self.decisions) if tied_names <= set(d)]
        order = {name: pos for pos, name in enumerate(covering[-1])} if covering else {}
        if covering:
            ranked = sorted(candidates, key=lambda c: order[names[c]])
            chosen = ranked[-1] if pick == PICK_LOWEST else ranked[0]
            detail = f"commission decision (preference order {[names[c] for c in ranked]})"
            if notes:
                detail = f"{notes}; {detail}"
            return self._resolve(tie, chosen, "commission decision", detail, names)
        tied_now = [names[c] for c in candidates]
        tie.candidates = tied_now
        tie.detail = (f"{notes}; " if notes else "") + (
            f"the commission must decide between {', '.join(tied_now)}"
        )
        raise TieUnresolved(tie)
