"""The tie rules on their own."""

import random

import pytest

from protocols.counting import CountingInputError, TieBreaker
from protocols.counting.ties import TieUnresolved

NAMES = ["A", "B", "C", "D"]
# three earlier stages, oldest first
HISTORY = [
    (1, {0: 5, 1: 3, 2: 4, 3: 3}),
    (2, {0: 6, 1: 5, 2: 4, 3: 5}),
    (3, {0: 7, 1: 6, 2: 6, 3: 6}),
]


def test_backwards_narrows_step_by_step():
    # B, C, D tie now. Stage 3: all 6 -> go back. Stage 2: B 5, C 4, D 5 -> lowest is C alone
    tb = TieBreaker("backwards")
    assert (
        tb.break_tie([1, 2, 3], pick="lowest", names=NAMES, context="exclusion", stage=4, history=HISTORY)
        == 2
    )
    # highest at stage 2: B 5 = D 5 -> narrowed to B, D; stage 1: B 3 = D 3 -> fallback lot
    tb = TieBreaker("backwards", seed=11)
    chosen = tb.break_tie([1, 2, 3], pick="highest", names=NAMES, context="seat", stage=4, history=HISTORY)
    assert chosen == [1, 3][random.Random(11).randrange(2)]
    (tie,) = tb.ties
    assert tie.resolved_by == "lot"
    assert tie.draw["order"] == ["B", "D"]
    assert "stage 2" in tie.detail


def test_forwards_starts_at_the_first_stage():
    # stage 1: B 3, C 4, D 3 -> lowest B, D; stage 2: B 5 = D 5; stage 3: 6 = 6 -> lot
    tb = TieBreaker("forwards", seed=1)
    tb.break_tie([1, 2, 3], pick="lowest", names=NAMES, context="exclusion", stage=4, history=HISTORY)
    assert tb.ties[0].draw["order"] == ["B", "D"]
    # highest at stage 1 is C (4) alone
    tb = TieBreaker("forwards")
    assert tb.break_tie([1, 2, 3], pick="highest", names=NAMES, context="seat", stage=4, history=HISTORY) == 2
    assert tb.ties[0].resolved_by == "forwards"


def test_lot_is_deterministic_per_seed_and_records_every_draw():
    def draws(seed):
        tb = TieBreaker("lot", seed=seed)
        picks = [tb.break_tie([0, 1, 2, 3], pick="lowest", names=NAMES, context="x") for _ in range(5)]
        return picks, [t.draw for t in tb.ties]

    assert draws(99) == draws(99)
    rng = random.Random(99)
    assert draws(99)[0] == [rng.randrange(4) for _ in range(5)]
    assert [d["number"] for d in draws(99)[1]] == [1, 2, 3, 4, 5]


def test_lot_without_a_seed_generates_and_records_one():
    tb = TieBreaker("lot")
    tb.break_tie([0, 1], pick="lowest", names=NAMES, context="x")
    assert isinstance(tb.seed, int)
    assert tb.ties[0].seed == tb.seed
    assert tb.parameters()["seed"] == tb.seed


def test_commission_without_decision_raises_with_the_tie():
    tb = TieBreaker("commission")
    with pytest.raises(TieUnresolved) as info:
        tb.break_tie([2, 0], pick="lowest", names=NAMES, context="exclusion", stage=3)
    assert info.value.tie.candidates == ["A", "C"]
    assert info.value.tie.stage == 3
    assert not info.value.tie.resolved


def test_commission_decision_is_an_ordered_preference_list():
    tb = TieBreaker("commission", decision=["C", "A", "B"])
    assert tb.break_tie([0, 1, 2], pick="highest", names=NAMES, context="seat") == 2  # C first
    assert tb.break_tie([0, 1, 2], pick="lowest", names=NAMES, context="exclusion") == 1  # B last
    # a decision that does not name every tied candidate does not decide
    with pytest.raises(TieUnresolved):
        tb.break_tie([0, 3], pick="lowest", names=NAMES, context="exclusion")


def test_single_candidate_is_no_tie_and_bad_rules_are_rejected():
    tb = TieBreaker()
    assert tb.break_tie([3], pick="lowest", names=NAMES, context="x") == 3
    assert tb.ties == []
    with pytest.raises(CountingInputError):
        TieBreaker("coin")
    with pytest.raises(CountingInputError):
        TieBreaker("backwards", fallback="forwards")
    with pytest.raises(CountingInputError):
        TieBreaker("lot", seed="42")  # type: ignore[arg-type]


def test_fresh_copies_configuration_not_state():
    tb = TieBreaker("lot", seed=3, decision=["A"])
    tb.break_tie([0, 1], pick="lowest", names=NAMES, context="x")
    copy = tb.fresh()
    assert (copy.rule, copy.seed, copy.decision) == ("lot", 3, ["A"])
    assert copy.ties == []
