"""Instant-runoff voting: small cases computed by hand."""

import random

from protocols.counting import STATUS_TIE, TieBreaker, count_irv

from .helpers import profile

# A x12, C x6, B x5, D>C x1, D x3, E>B x2  (29 ballots)
# round 1: A 12, B 5, C 6, D 4, E 2  -> nobody has 15; E (2) excluded, both to B
# round 2: A 12, B 7, C 6, D 4        -> D (4) excluded: 1 to C, 3 exhausted
# round 3: A 12, B 7, C 7 (26 active) -> B and C tie for exclusion:
#   backwards: round 2 had B 7 > C 6, so C goes;  forwards: round 1 had B 5 < C 6, so B goes
# round 4: A 12 against 7, 19 active: 24 > 19 -> A wins
TIE_PROFILE = profile("ABCDE", [(12, "A"), (6, "C"), (5, "B"), (1, "DC"), (3, "D"), (2, "EB")])


def test_irv_transfer_then_majority():
    # A x8, B>A x7, C>B x4, C x1 (20 ballots)
    # round 1: A 8, B 7, C 5; 8 * 2 = 16 is not > 20 -> C excluded: 4 to B, 1 exhausted
    # round 2: A 8, B 11 of 19 active: 22 > 19 -> B wins
    p = profile("ABC", [(8, "A"), (7, "BA"), (4, "CB"), (1, "C")])
    result = count_irv(p)
    assert result.elected == ["B"]
    r1, r2 = result.stages
    assert r1.tallies == {"A": "8", "B": "7", "C": "5"}
    assert r1.excluded == ["C"]
    assert r2.tallies == {"A": "8", "B": "11"}
    assert r2.transfers == {"A": "+0", "B": "+4"}
    assert r2.non_transferable == "1"
    assert r2.elected == ["B"]
    assert result.ties == []


def test_irv_first_round_majority():
    # A 6 of 10: 12 > 10 -> wins at once
    result = count_irv(profile("AB", [(6, "A"), (4, "B")]))
    assert result.elected == ["A"]
    assert len(result.stages) == 1


def test_irv_tie_backwards():
    result = count_irv(TIE_PROFILE, TieBreaker("backwards"))
    assert [s.excluded for s in result.stages] == [["E"], ["D"], ["C"], []]
    assert result.stages[2].tallies == {"A": "12", "B": "7", "C": "7"}
    assert result.stages[2].non_transferable == "3"
    assert result.stages[3].tallies == {"A": "12", "B": "7"}
    assert result.elected == ["A"]
    (tie,) = result.ties
    assert tie.stage == 3
    assert tie.resolved_by == "backwards"
    assert tie.chosen == "C"
    assert "stage 2" in tie.detail


def test_irv_tie_forwards():
    result = count_irv(TIE_PROFILE, TieBreaker("forwards"))
    assert [s.excluded for s in result.stages] == [["E"], ["D"], ["B"], []]
    assert result.stages[3].tallies == {"A": "12", "C": "7"}
    assert result.ties[0].chosen == "B"
    assert "stage 1" in result.ties[0].detail


def test_irv_tie_at_the_first_round_goes_to_the_lot():
    # A 3, B 2, C 2: B and C tie in round 1, no earlier round -> lot with seed 7
    p = profile("ABC", [(3, "A"), (2, "BA"), (2, "CB")])
    result = count_irv(p, TieBreaker("backwards", seed=7))
    excluded = ["B", "C"][random.Random(7).randrange(2)]
    assert result.stages[0].excluded == [excluded]
    assert result.ties[0].resolved_by == "lot"
    assert result.ties[0].seed == 7
    # if B goes, its 2 go to A (5 of 7); if C goes, its 2 go to B (4 of 7)
    assert result.elected == (["A"] if excluded == "B" else ["B"])


def test_irv_commission_tie_stops_and_reports():
    p = profile("ABC", [(3, "A"), (2, "BA"), (2, "CB")])
    stopped = count_irv(p, TieBreaker("commission"))
    assert stopped.status == STATUS_TIE
    assert stopped.unresolved_tie.candidates == ["B", "C"]
    assert stopped.unresolved_tie.stage == 1
    # the commission puts C before B: B (last) is excluded, 2 go to A -> A 5 of 7
    decided = count_irv(p, TieBreaker("commission", decision=["C", "B"]))
    assert decided.elected == ["A"]


def test_irv_batch_elimination_same_winner_fewer_rounds():
    # round 1: A 12, B 5, C 6, D 4, E 2: the lowest two, E 2 + D 4 = 6, are not below B 5,
    # so there is no batch of two or more and the count is the one-at-a-time count
    batch = count_irv(TIE_PROFILE, TieBreaker("backwards"), batch_elimination=True)
    assert batch.elected == ["A"]
    # A 15, B 9, C 4, D 3, E 1 (32): 15 * 2 = 30 is not > 32.  E+D = 4 is not < C 4, but
    # E+D+C = 8 < B 9 -> E, D and C go together; round 2: A 15, B 9 of 24 -> A wins
    p = profile("ABCDE", [(15, "A"), (9, "B"), (4, "C"), (3, "D"), (1, "E")])
    result = count_irv(p, batch_elimination=True)
    assert sorted(result.stages[0].excluded) == ["C", "D", "E"]
    assert result.stages[1].tallies == {"A": "15", "B": "9"}
    assert result.elected == ["A"]
    # one at a time: E goes (A 15 of 31), D goes (A 15 of 28: 30 > 28) -> A wins in round 3
    assert len(count_irv(p).stages) == 3
