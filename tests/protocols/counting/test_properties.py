"""Property tests (hypothesis): seat totals, independence of ballot order, determinism,
round trips of the file formats."""

import json
import random
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from protocols.counting import (
    BallotGroup,
    Profile,
    TieBreaker,
    VoteCounts,
    allocate_seats,
    count_irv,
    count_plurality,
    count_stv_meek,
    count_stv_scottish,
    parse_blt,
    parse_list_votes,
    to_json,
    write_blt,
    write_list_votes,
)

SETTINGS = settings(max_examples=60, deadline=None)


@st.composite
def profiles(draw, max_candidates=6, max_groups=14):
    n = draw(st.integers(min_value=1, max_value=max_candidates))
    seats = draw(st.integers(min_value=1, max_value=n + 1))
    groups = []
    for _ in range(draw(st.integers(min_value=0, max_value=max_groups))):
        perm = draw(st.permutations(range(n)))
        k = draw(st.integers(min_value=0, max_value=n))
        groups.append(BallotGroup(draw(st.integers(min_value=1, max_value=9)), tuple(perm[:k])))
    names = tuple(f"C{i}" for i in range(n))
    return Profile(names, seats, tuple(groups))


def shuffled(profile: Profile, seed: int) -> Profile:
    """Same ballots in another order, and every group split into single ballots."""
    singles = [BallotGroup(1, g.ranking) for g in profile.groups for _ in range(g.weight)]
    random.Random(seed).shuffle(singles)
    return Profile(profile.candidates, profile.seats, tuple(singles))


STV = (count_stv_scottish, count_stv_meek)


@SETTINGS
@given(profile=profiles(), which=st.sampled_from(STV), seed=st.integers(0, 10**6))
def test_stv_fills_min_of_seats_and_candidates(profile, which, seed):
    result = which(profile, TieBreaker(seed=seed))
    assert len(result.elected) == min(profile.seats, len(profile.candidates))
    assert len(set(result.elected)) == len(result.elected)
    json.dumps(result.to_dict())  # plain JSON data


@SETTINGS
@given(
    profile=profiles(), which=st.sampled_from(STV), seed=st.integers(0, 10**6), order=st.integers(0, 10**6)
)
def test_stv_does_not_depend_on_ballot_order(profile, which, seed, order):
    a = which(profile, TieBreaker(seed=seed)).to_dict()
    b = which(shuffled(profile, order), TieBreaker(seed=seed)).to_dict()
    assert a == b


@SETTINGS
@given(profile=profiles(max_candidates=5), seed=st.integers(0, 10**6), order=st.integers(0, 10**6))
def test_irv_does_not_depend_on_ballot_order_and_winner_has_majority(profile, seed, order):
    a = count_irv(profile, TieBreaker(seed=seed))
    assert a.to_dict() == count_irv(shuffled(profile, order), TieBreaker(seed=seed)).to_dict()
    last = a.stages[-1]
    (winner,) = a.elected
    active = sum(int(v) for v in last.tallies.values())
    assert int(last.tallies[winner]) * 2 > active or len(last.tallies) == 1


@SETTINGS
@given(profile=profiles(), which=st.sampled_from((*STV, count_irv)), seed=st.integers(0, 10**6))
def test_same_input_and_seed_give_the_same_report(profile, which, seed):
    first = to_json(which(profile, TieBreaker("lot", seed=seed)))
    second = to_json(which(profile, TieBreaker("lot", seed=seed)))
    assert first == second


list_votes = st.lists(st.integers(min_value=0, max_value=5000), min_size=1, max_size=8)


@SETTINGS
@given(
    votes=list_votes,
    seats=st.integers(0, 60),
    method=st.sampled_from(["hare", "dhondt", "sainte-lague"]),
    seed=st.integers(0, 10**6),
    order=st.integers(0, 10**6),
)
def test_list_seats_add_up_and_do_not_depend_on_list_order(votes, seats, method, seed, order):
    names = [f"L{i}" for i in range(len(votes))]
    result = allocate_seats(
        VoteCounts(tuple(names), tuple(votes)), seats, method, tie_breaker=TieBreaker(seed=seed)
    )
    expected_total = seats if sum(votes) > 0 else 0
    assert sum(result.seats.values()) == expected_total
    assert all(votes[names.index(n)] > 0 for n in result.seats)  # no seat without a vote
    if method == "hare" and sum(votes) > 0:
        # quota rule: every list gets its exact quota rounded down or up
        for name, v in zip(names, votes, strict=True):
            exact = Fraction(v * seats, sum(votes))
            assert exact - 1 < result.seats.get(name, 0) < exact + 1
    # permuting the lists changes nothing (ties are drawn in a canonical order, so only tie-free)
    if not result.ties:
        perm = list(range(len(votes)))
        random.Random(order).shuffle(perm)
        other = allocate_seats(
            VoteCounts(tuple(names[i] for i in perm), tuple(votes[i] for i in perm)), seats, method
        )
        assert other.seats == result.seats


@SETTINGS
@given(votes=list_votes, seats=st.integers(1, 4), alternates=st.integers(0, 3), seed=st.integers(0, 10**6))
def test_plurality_places(votes, seats, alternates, seed):
    names = [f"C{i}" for i in range(len(votes))]
    result = count_plurality(VoteCounts(tuple(names), tuple(votes)), seats, alternates, TieBreaker(seed=seed))
    assert len(result.elected) == min(seats, len(names))
    assert len(result.alternates) == min(alternates, len(names) - len(result.elected))
    worst_member = min(votes[names.index(n)] for n in result.elected)
    assert all(votes[names.index(a)] <= worst_member for a in result.alternates)


names_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=12
)


@SETTINGS
@given(profile=profiles(), names=st.lists(names_text, min_size=6, max_size=6, unique=True), title=names_text)
def test_blt_roundtrip(profile, names, title):
    names = [n.strip() or "x" for n in names]
    if len(set(names)) < len(names):
        names = [f"{n}{i}" for i, n in enumerate(names)]
    p = Profile(
        tuple(names[: len(profile.candidates)]),
        profile.seats,
        profile.groups,
        frozenset(),
        title.strip() or "t",
    )
    assert parse_blt(write_blt(p)) == p


@SETTINGS
@given(votes=list_votes, special=st.tuples(*[st.integers(0, 99)] * 3))
def test_list_votes_roundtrip(votes, special):
    counts = VoteCounts(tuple(f'List "{i}", ok' for i in range(len(votes))), tuple(votes), *special)
    assert parse_list_votes(write_list_votes(counts)) == counts
