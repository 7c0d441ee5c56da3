"""Counting invariants as properties (Hypothesis), and the list methods against published seat
tables. Complements tests/protocols/counting/test_properties.py (seat totals, STV/IRV order)."""

import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from protocols.counting import (
    BallotGroup,
    Profile,
    TieBreaker,
    VoteCounts,
    allocate_seats,
    count_approval,
    count_plurality,
    count_stv_meek,
    count_stv_scottish,
)

FAST = settings(max_examples=150, deadline=None)


@st.composite
def profiles(draw, max_candidates=6, max_groups=12):
    n = draw(st.integers(min_value=2, max_value=max_candidates))
    seats = draw(st.integers(min_value=1, max_value=n - 1))
    groups = []
    for _ in range(draw(st.integers(min_value=1, max_value=max_groups))):
        perm = draw(st.permutations(range(n)))
        k = draw(st.integers(min_value=0, max_value=n))
        groups.append(BallotGroup(draw(st.integers(min_value=1, max_value=9)), tuple(perm[:k])))
    return Profile(tuple(f"C{i}" for i in range(n)), seats, tuple(groups))


votes_lists = st.lists(st.integers(min_value=0, max_value=500), min_size=2, max_size=7)


def counts_of(votes, **kw):
    return VoteCounts(tuple(f"L{i}" for i in range(len(votes))), tuple(votes), **kw)


# --- votes are conserved through every STV stage --------------------------------------------------


@FAST
@given(profile=profiles(), seed=st.integers(0, 10**6))
def test_scottish_stv_conserves_votes_at_every_stage(profile, seed):
    """Rules 45-52 work in 5 decimals: candidates + non-transferable + loss by fractions is exactly
    the number of valid papers at every stage."""
    result = count_stv_scottish(profile, TieBreaker(seed=seed))
    valid = sum(g.weight for g in profile.groups if g.ranking)
    for stage in result.stages:
        total = sum(Fraction(v) for v in stage.tallies.values())
        total += Fraction(stage.non_transferable or 0) + Fraction(stage.loss or 0)
        assert total == valid, (stage.number, stage.to_dict())


@FAST
@given(profile=profiles(), seed=st.integers(0, 10**6))
def test_meek_stv_conserves_votes_at_every_stage(profile, seed):
    """Meek works in 9 decimals (keep values rounded up): what the rounding leaves over goes to the
    excess, so candidates + excess is exactly the number of valid ballots at every stage."""
    result = count_stv_meek(profile, TieBreaker(seed=seed))
    valid = sum(g.weight for g in profile.groups if g.ranking)
    for stage in result.stages:
        total = sum(Fraction(v) for v in stage.tallies.values()) + Fraction(stage.non_transferable or 0)
        assert total == valid, (stage.number, stage.to_dict())


# --- ballot order, seats allocated ---------------------------------------------------------------


@FAST
@given(
    profile=profiles(),
    which=st.sampled_from([count_stv_scottish, count_stv_meek]),
    seed=st.integers(0, 10**6),
    order=st.integers(0, 10**6),
)
def test_stv_ballot_order_changes_neither_the_elected_nor_the_votes(profile, which, seed, order):
    """Every ballot on its own, shuffled: same elected, same vote totals at every stage."""
    singles = [BallotGroup(1, g.ranking) for g in profile.groups for _ in range(g.weight)]
    random.Random(order).shuffle(singles)
    shuffled = Profile(profile.candidates, profile.seats, tuple(singles))
    a, b = which(profile, TieBreaker(seed=seed)), which(shuffled, TieBreaker(seed=seed))
    assert a.elected == b.elected and a.status == b.status
    assert len(a.elected) == profile.seats
    assert [s.tallies for s in a.stages] == [s.tallies for s in b.stages]


@FAST
@given(
    votes=votes_lists,
    seats=st.integers(1, 4),
    method=st.sampled_from(["plurality", "approval"]),
    seed=st.integers(0, 10**6),
    order=st.integers(0, 10**6),
)
def test_single_mark_result_does_not_depend_on_option_order(votes, seats, method, seed, order):
    """The same votes listed in another order elect the same candidates with the same totals
    (ties drawn with a fixed seed, which draws among the tied names, not their positions)."""
    seats = min(seats, len(votes))
    counts = counts_of(votes)
    idx = list(range(len(votes)))
    random.Random(order).shuffle(idx)
    shuffled = VoteCounts(tuple(counts.options[i] for i in idx), tuple(votes[i] for i in idx))
    fn = count_plurality if method == "plurality" else count_approval
    a, b = (
        fn(counts, seats, tie_breaker=TieBreaker(seed=seed)),
        fn(shuffled, seats, tie_breaker=TieBreaker(seed=seed)),
    )
    assert a.status == b.status
    if not a.ties:
        assert sorted(a.elected) == sorted(b.elected)
        assert len(a.elected) == seats
    assert a.stages[0].tallies == b.stages[0].tallies


# --- monotonicity of plurality and approval ------------------------------------------------------


def _no_tie_at_the_cut(votes, seats):
    ordered = sorted(votes, reverse=True)
    return seats >= len(votes) or ordered[seats - 1] != ordered[seats]


@FAST
@given(
    votes=votes_lists,
    seats=st.integers(1, 3),
    extra=st.integers(1, 50),
    method=st.sampled_from(["plurality", "approval"]),
)
def test_more_votes_for_a_winner_never_make_them_lose(votes, seats, extra, method):
    seats = min(seats, len(votes) - 1)
    if not _no_tie_at_the_cut(votes, seats):
        return
    fn = count_plurality if method == "plurality" else count_approval
    before = fn(counts_of(votes), seats)
    for name in before.elected:
        i = int(name[1:])
        more = list(votes)
        more[i] += extra
        assert name in fn(counts_of(more), seats).elected


@FAST
@given(
    votes=votes_lists,
    seats=st.integers(1, 3),
    fewer=st.integers(1, 50),
    method=st.sampled_from(["plurality", "approval"]),
)
def test_fewer_votes_for_a_loser_never_make_them_win(votes, seats, fewer, method):
    seats = min(seats, len(votes) - 1)
    if not _no_tie_at_the_cut(votes, seats):
        return
    fn = count_plurality if method == "plurality" else count_approval
    before = fn(counts_of(votes), seats)
    for i in range(len(votes)):
        name = f"L{i}"
        if name in before.elected:
            continue
        less = list(votes)
        less[i] = max(0, less[i] - fewer)
        assert name not in fn(counts_of(less), seats, tie_breaker=TieBreaker(seed=1)).elected


# --- list methods: published seat tables ---------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "votes", "seats", "expected"),
    [
        # Wikipedia, "D'Hondt method", worked example: 8 seats, parties A-D with
        # 100,000 / 80,000 / 30,000 / 20,000 votes -> 4 / 3 / 1 / 0.
        ("dhondt", [100_000, 80_000, 30_000, 20_000], 8, [4, 3, 1, 0]),
        # Wikipedia, "Sainte-Laguë method", worked example (same votes, 8 seats) -> 3 / 3 / 1 / 1
        # (checked by hand: the 6th and 7th quotients are A 100000/5 and D 20000/1, both 20000).
        ("sainte_lague", [100_000, 80_000, 30_000, 20_000], 8, [3, 3, 1, 1]),
        # Wikipedia, "Largest remainders method", Hare quota example: 10 seats,
        # 47,000 / 16,000 / 15,800 / 12,000 / 6,100 / 3,100 -> 5 / 2 / 1 / 1 / 1 / 0.
        ("hare", [47_000, 16_000, 15_800, 12_000, 6_100, 3_100], 10, [5, 2, 1, 1, 1, 0]),
        # Same article, the D'Hondt column of that table: 5 / 2 / 2 / 1 / 0 / 0.
        ("dhondt", [47_000, 16_000, 15_800, 12_000, 6_100, 3_100], 10, [5, 2, 2, 1, 0, 0]),
    ],
)
def test_list_methods_match_published_tables(method, votes, seats, expected):
    result = allocate_seats(counts_of(votes), seats, method=_method(method))
    assert [result.seats.get(f"L{i}", 0) for i in range(len(votes))] == expected


def _method(short):
    from protocols.counting import party_list

    names = {m.replace("-", "_"): m for m in party_list.LIST_METHODS}
    return next(m for key, m in names.items() if short in key)


@FAST
@given(votes=votes_lists, seats=st.integers(1, 15), method=st.sampled_from(["dhondt", "sainte_lague"]))
def test_divisor_methods_satisfy_the_divisor_condition(votes, seats, method):
    """Highest averages: every list's smallest average among the seats it won is at least every
    list's largest average among the seats it did not win (min over winners >= max over losers)."""
    result = allocate_seats(counts_of(votes), seats, method=_method(method), tie_breaker=TieBreaker(seed=3))
    if not result.complete:
        return
    won = [result.seats.get(f"L{i}", 0) for i in range(len(votes))]
    assert sum(won) == seats

    def divisor(k):
        return k + 1 if method == "dhondt" else 2 * k + 1

    last_won = min(Fraction(v, divisor(w - 1)) for v, w in zip(votes, won, strict=True) if w)
    next_unwon = max(Fraction(v, divisor(w)) for v, w in zip(votes, won, strict=True))
    assert last_won >= next_unwon


@FAST
@given(votes=st.lists(st.integers(1, 500), min_size=2, max_size=6), seats=st.integers(1, 14))
def test_dhondt_is_house_monotonic(votes, seats):
    """One more seat never takes a seat away from a list (when neither count needed a draw)."""
    a = allocate_seats(counts_of(votes), seats, method=_method("dhondt"))
    b = allocate_seats(counts_of(votes), seats + 1, method=_method("dhondt"))
    if a.ties or b.ties or not (a.complete and b.complete):
        return
    for i in range(len(votes)):
        assert b.seats.get(f"L{i}", 0) >= a.seats.get(f"L{i}", 0)


@FAST
@given(votes=st.lists(st.integers(0, 500), min_size=2, max_size=7), seats=st.integers(1, 15))
def test_hare_allocates_every_seat_and_satisfies_the_quota_rule(votes, seats):
    """Largest remainders with the Hare quota: all seats are allocated, and every list gets its exact
    quota (seats x votes / total) rounded down or up, never further off."""
    if sum(votes) == 0:
        return
    result = allocate_seats(counts_of(votes), seats, method=_method("hare"), tie_breaker=TieBreaker(seed=5))
    if not result.complete:
        return
    won = [result.seats.get(f"L{i}", 0) for i in range(len(votes))]
    assert sum(won) == seats
    for v, w in zip(votes, won, strict=True):
        exact = Fraction(seats * v, sum(votes))
        assert exact - 1 < w < exact + 1
