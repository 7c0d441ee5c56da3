"""Cross-checks against independent implementations (test dependencies only):
votelib 0.4 for Hare / D'Hondt / Sainte-Laguë, pyrankvote 2.0 for IRV.

Inputs with a tie that decides a seat are left out (the libraries break ties by their own rules).
"""

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from protocols.counting import Profile, VoteCounts, allocate_seats, count_irv

votelib_proportional = pytest.importorskip("votelib.evaluate.proportional")
pyrankvote = pytest.importorskip("pyrankvote")

VOTELIB = {
    "dhondt": lambda: votelib_proportional.HighestAverages("d_hondt"),
    "sainte-lague": lambda: votelib_proportional.HighestAverages("sainte_lague"),
    "hare": lambda: votelib_proportional.LargestRemainder("hare"),
}

party_votes = st.lists(st.integers(min_value=0, max_value=20_000), min_size=2, max_size=7)


@settings(max_examples=100, deadline=None)
@given(
    votes=party_votes, seats=st.integers(min_value=1, max_value=40), method=st.sampled_from(sorted(VOTELIB))
)
def test_list_methods_agree_with_votelib(votes, seats, method):
    assume(sum(votes) > 0)
    names = [f"P{i}" for i in range(len(votes))]
    ours = allocate_seats(VoteCounts(tuple(names), tuple(votes)), seats, method)
    assume(not ours.ties)
    theirs = VOTELIB[method]().evaluate(dict(zip(names, votes, strict=True)), seats)
    assert all(isinstance(k, str) for k in theirs)  # no votelib Tie objects either
    assert {n: ours.seats.get(n, 0) for n in names} == {n: theirs.get(n, 0) for n in names}


def test_dhondt_agrees_with_votelib_on_a_constituency_sized_case():
    # a constituency-sized case: 37 seats, six lists, votes in thousands (made-up numbers)
    votes = {"PSOE": 955, "PP": 899, "VOX": 667, "MP": 206, "UP": 478, "Cs": 333}
    ours = allocate_seats(VoteCounts.from_mapping(votes), 37, "dhondt")
    theirs = VOTELIB["dhondt"]().evaluate(votes, 37)
    assert ours.seats == {k: v for k, v in theirs.items() if v}
    assert sum(ours.seats.values()) == 37


@st.composite
def ranked_profiles(draw):
    n = draw(st.integers(min_value=2, max_value=5))
    names = [chr(ord("A") + i) for i in range(n)]
    ballots = draw(
        st.lists(
            st.permutations(range(n)).flatmap(
                lambda perm: st.integers(min_value=1, max_value=len(perm)).map(lambda k, p=perm: tuple(p[:k]))
            ),
            min_size=1,
            max_size=25,
        )
    )
    return names, ballots


@settings(max_examples=100, deadline=None)
@given(data=ranked_profiles())
def test_irv_winner_agrees_with_pyrankvote(data):
    names, ballots = data
    profile = Profile.from_rankings(names, [[names[c] for c in b] for b in ballots])
    ours = count_irv(profile)
    assume(not ours.ties)
    cands = {name: pyrankvote.Candidate(name) for name in names}
    theirs = pyrankvote.instant_runoff_voting(
        list(cands.values()),
        [pyrankvote.Ballot(ranked_candidates=[cands[names[c]] for c in b]) for b in ballots],
    )
    assert [c.name for c in theirs.get_winners()] == ours.elected
