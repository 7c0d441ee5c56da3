"""Counting invariants as properties (issue 15, deliverable 10), beside test_properties.py: votes are
conserved through every STV stage; plurality and approval are monotonic; divisor methods satisfy
their defining condition and D'Hondt is house-monotonic; list methods give the published seat
tables of textbook examples. Ties are settled by a fixed commission order, so every count here is
deterministic and no property depends on a lot."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from protocols.counting import (
    TieBreaker,
    VoteCounts,
    allocate_seats,
    count_approval,
    count_plurality,
    count_stv_meek,
    count_stv_scottish,
)

from .test_properties import profiles

PROPERTIES = settings(max_examples=150, deadline=None)
votes_lists = st.lists(st.integers(min_value=0, max_value=400), min_size=2, max_size=7)


def fixed_order(names):
    """A commission decision covering every candidate: ties settled the same way every time."""
    return TieBreaker("commission", decision=list(names))


@PROPERTIES
@given(profile=profiles())
def test_scottish_stv_conserves_the_votes_at_every_stage(profile):
    """Votes of the candidates + non-transferable papers + loss by fraction = valid papers, exactly
    (five-decimal fixed point, SSI 2007/42 rule 48), at every stage."""
    result = count_stv_scottish(profile, tie_breaker=fixed_order(profile.candidates))
    valid = Decimal(result.totals.get("valid_papers", "0"))
    for stage in result.stages:
        held = sum(Decimal(v) for v in stage.tallies.values())
        lost = Decimal(stage.non_transferable or "0") + Decimal(stage.loss or "0")
        assert held + lost == valid, (stage.number, stage.action)


@PROPERTIES
@given(profile=profiles())
def test_meek_stv_keeps_the_votes_within_the_quota_arithmetic(profile):
    """Meek: the candidates' votes never exceed the valid ballots, and at every stage the quota is
    (votes held) / (seats + 1) truncated plus one unit of 10⁻⁹ — what is not held is excess."""
    result = count_stv_meek(profile, tie_breaker=fixed_order(profile.candidates))
    total = Decimal(result.totals.get("valid_ballots", "0"))
    unit = Decimal("0.000000001")
    for stage in result.stages:
        held = sum(Decimal(v) for v in stage.tallies.values())
        assert held <= total + unit * len(stage.tallies)
        quota = stage.details.get("quota")
        if quota is not None and total:
            quota = Decimal(quota)
            slack = unit * (len(stage.tallies) + profile.seats + 2)
            assert (quota - unit) * (profile.seats + 1) - slack <= held <= quota * (profile.seats + 1) + slack


@PROPERTIES
@given(votes=votes_lists, seats=st.integers(1, 3), alternates=st.integers(0, 2), data=st.data())
def test_plurality_is_monotonic(votes, seats, alternates, data):
    names = tuple(f"C{i}" for i in range(len(votes)))
    before = count_plurality(VoteCounts(names, tuple(votes)), seats, alternates, fixed_order(names))
    assume(before.status == "complete")
    # more votes for an elected candidate never makes them lose
    winner = data.draw(st.sampled_from(before.elected))
    more = list(votes)
    more[names.index(winner)] += data.draw(st.integers(1, 50))
    after = count_plurality(VoteCounts(names, tuple(more)), seats, alternates, fixed_order(names))
    assert winner in after.elected
    # fewer votes for a candidate who lost never makes them win
    losers = [n for n in names if n not in before.elected]
    assume(losers)
    loser = data.draw(st.sampled_from(losers))
    fewer = list(votes)
    fewer[names.index(loser)] -= data.draw(st.integers(0, fewer[names.index(loser)]))
    after = count_plurality(VoteCounts(names, tuple(fewer)), seats, alternates, fixed_order(names))
    assert loser not in after.elected


@PROPERTIES
@given(votes=votes_lists, seats=st.integers(1, 3), data=st.data())
def test_approval_is_monotonic(votes, seats, data):
    names = tuple(f"C{i}" for i in range(len(votes)))
    marked = max(votes)
    before = count_approval(
        VoteCounts(names, tuple(votes), marked_ballots=marked), seats, 0, fixed_order(names)
    )
    assume(before.status == "complete")
    winner = data.draw(st.sampled_from(before.elected))
    more = list(votes)
    more[names.index(winner)] += data.draw(st.integers(1, 50))
    after = count_approval(
        VoteCounts(names, tuple(more), marked_ballots=max(more)), seats, 0, fixed_order(names)
    )
    assert winner in after.elected


@PROPERTIES
@given(votes=votes_lists, seats=st.integers(1, 40), method=st.sampled_from(["dhondt", "sainte-lague"]))
def test_divisor_methods_satisfy_their_condition(votes, seats, method):
    """No list could take a seat from another by the method's own averages: the highest average a
    list would have with one more seat is at most the lowest average among the seats given."""
    assume(sum(votes) > 0)
    names = tuple(f"L{i}" for i in range(len(votes)))
    result = allocate_seats(VoteCounts(names, tuple(votes)), seats, method, tie_breaker=fixed_order(names))
    got = [result.seats.get(n, 0) for n in names]
    assert sum(got) == seats

    def divisor(k):  # the divisor of a list's k-th seat (k from 1)
        return k if method == "dhondt" else 2 * k - 1

    next_best = max(Fraction(v, divisor(s + 1)) for v, s in zip(votes, got, strict=True))
    last_given = min(Fraction(v, divisor(s)) for v, s in zip(votes, got, strict=True) if s > 0)
    assert next_best <= last_given


@PROPERTIES
@given(votes=votes_lists, seats=st.integers(1, 30))
def test_dhondt_is_house_monotonic(votes, seats):
    """One more seat in the council never takes a seat away from any list."""
    assume(sum(votes) > 0)
    names = tuple(f"L{i}" for i in range(len(votes)))
    counts = VoteCounts(names, tuple(votes))
    small = allocate_seats(counts, seats, "dhondt", tie_breaker=fixed_order(names))
    large = allocate_seats(counts, seats + 1, "dhondt", tie_breaker=fixed_order(names))
    assert all(large.seats.get(n, 0) >= small.seats.get(n, 0) for n in names)


# Published worked examples. D'Hondt and Sainte-Laguë: 8 seats, 100,000 / 80,000 / 30,000 / 20,000
# votes — the example of the "D'Hondt method" and "Sainte-Laguë method" articles of the English
# Wikipedia (A 4, B 3, C 1, D 0; and A 3, B 3, C 1, D 1). Hare quota with largest remainders: 10
# seats, 47,000 / 16,000 / 15,800 / 12,000 / 6,100 / 3,100 votes — the example of the "Largest
# remainder method" article (Hare: 5, 2, 1, 1, 1, 0; D'Hondt on the same votes: 5, 2, 2, 1, 0, 0).
PUBLISHED = [
    ("dhondt", 8, (100_000, 80_000, 30_000, 20_000), (4, 3, 1, 0)),
    ("sainte-lague", 8, (100_000, 80_000, 30_000, 20_000), (3, 3, 1, 1)),
    ("hare", 10, (47_000, 16_000, 15_800, 12_000, 6_100, 3_100), (5, 2, 1, 1, 1, 0)),
    ("dhondt", 10, (47_000, 16_000, 15_800, 12_000, 6_100, 3_100), (5, 2, 2, 1, 0, 0)),
]


@pytest.mark.parametrize(("method", "seats", "votes", "expected"), PUBLISHED)
def test_list_methods_give_the_published_seat_tables(method, seats, votes, expected):
    names = tuple(f"L{i}" for i in range(len(votes)))
    result = allocate_seats(VoteCounts(names, votes), seats, method)
    assert tuple(result.seats.get(n, 0) for n in names) == expected
    assert not result.ties
