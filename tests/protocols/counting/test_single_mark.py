"""Plurality, approval and absolute majority: small cases computed by hand."""

import random

from protocols.counting import (
    STATUS_COMPLETE,
    STATUS_RUNOFF,
    STATUS_TIE,
    TieBreaker,
    approval_counts,
    count_absolute_majority,
    count_approval,
    count_plurality,
    first_preference_counts,
)

from .helpers import counts, profile


def test_plurality_member_and_alternate_by_default():
    # A 10 > B 8 > C 5 > D 2: member = 1st (A), alternate = 2nd (B)
    result = count_plurality(counts({"A": 10, "B": 8, "C": 5, "D": 2}))
    assert result.status == STATUS_COMPLETE
    assert result.elected == ["A"]
    assert result.alternates == ["B"]
    assert result.seats == {"A": 1}
    assert result.stages[0].tallies == {"A": "10", "B": "8", "C": "5", "D": "2"}
    assert result.ties == []


def test_plurality_n_seats_and_configurable_alternates():
    # 2 seats, 2 alternates: A 10, B 8 elected; C 5 then D 2 are alternates 1 and 2
    result = count_plurality(counts({"A": 10, "B": 8, "C": 5, "D": 2}), seats=2, alternates=2)
    assert result.elected == ["A", "B"]
    assert result.alternates == ["C", "D"]


def test_plurality_tie_inside_the_member_block_is_no_tie():
    # 3 seats: A 10, then B 7 and C 7 both fit in the two seats left -> no tie to resolve;
    # D 2 is the alternate
    result = count_plurality(counts({"A": 10, "B": 7, "C": 7, "D": 2}), seats=3)
    assert result.elected == ["A", "B", "C"]
    assert result.alternates == ["D"]
    assert result.ties == []


def test_plurality_tie_for_the_alternate_place_by_lot_is_recorded_and_replayable():
    # A 10 is the member; B 7 = C 7 compete for one alternate place. Plurality has one stage, so
    # "backwards" has nothing to compare and falls back to the lot: Random(42).randrange(2)
    # picks the index in ballot order [B, C].
    result = count_plurality(counts({"A": 10, "B": 7, "C": 7}), tie_breaker=TieBreaker(seed=42))
    expected = ["B", "C"][random.Random(42).randrange(2)]
    assert result.alternates == [expected]
    (tie,) = result.ties
    assert tie.candidates == ["B", "C"]
    assert tie.resolved_by == "lot"
    assert tie.seed == 42
    assert tie.draw == {"number": 1, "order": ["B", "C"], "index": ["B", "C"].index(expected)}
    assert result.parameters["seed"] == 42


def test_plurality_commission_tie_then_decision():
    votes = counts({"A": 10, "B": 7, "C": 7})
    stopped = count_plurality(votes, tie_breaker=TieBreaker("commission"))
    assert stopped.status == STATUS_TIE
    assert stopped.unresolved_tie.candidates == ["B", "C"]
    assert stopped.elected == ["A"]  # the member is clear; only the alternate place is tied
    assert stopped.alternates == []
    decided = count_plurality(votes, tie_breaker=TieBreaker("commission", decision=["C", "B"]))
    assert decided.status == STATUS_COMPLETE
    assert decided.elected == ["A"]
    assert decided.alternates == ["C"]
    assert decided.ties[0].resolved_by == "commission decision"


def test_plurality_special_ballots_never_win():
    # against all 50 is more than anybody, but it is not a candidate
    result = count_plurality(counts({"A": 10, "B": 8}, against_all=50, blank=3, invalid=4))
    assert result.elected == ["A"]
    assert result.totals["valid"] == str(10 + 8 + 50 + 3)
    assert result.totals["participants"] == str(10 + 8 + 50 + 3 + 4)
    assert any("against all" in note for note in result.notes)


def test_first_preferences_of_ranked_ballots():
    # 3 x A>B, 2 x B, 4 x C>A, 1 blank -> A 3, B 2, C 4, blank 1
    p = profile("ABC", [(3, "AB"), (2, "B"), (4, "CA"), (1, "")])
    votes = first_preference_counts(p)
    assert votes.votes == (3, 2, 4)
    assert votes.blank == 1
    assert count_plurality(votes).elected == ["C"]


def test_approval_counts_every_mark():
    # {A,B} x3, {B} x2, {C} x4, {A,C} x1:
    # A = 3 + 1 = 4, B = 3 + 2 = 5, C = 4 + 1 = 5; 10 ballots with marks
    p = profile("ABC", [(3, "AB"), (2, "B"), (4, "C"), (1, "AC")])
    votes = approval_counts(p)
    assert votes.votes == (4, 5, 5)
    assert votes.marked_ballots == 10
    result = count_approval(votes, seats=2)
    assert sorted(result.elected) == ["B", "C"]
    assert result.ties == []  # B and C both fit in the two seats
    one_seat = count_approval(votes, seats=1, tie_breaker=TieBreaker("commission", decision=["C", "B"]))
    assert one_seat.elected == ["C"]


def test_absolute_majority_depends_on_the_base():
    # A 52, B 40, C 8 (100 candidate votes), blank 5, invalid 3
    votes = counts({"A": 52, "B": 40, "C": 8}, blank=5, invalid=3)
    # base "list" = 100: 52 * 2 = 104 > 100 -> A elected
    by_list = count_absolute_majority(votes, base="list")
    assert by_list.status == STATUS_COMPLETE
    assert by_list.elected == ["A"]
    assert by_list.quota == "51"  # 100 // 2 + 1
    # base "valid" = 105 (blank counts): 104 > 105 is false -> runoff between A and B
    by_valid = count_absolute_majority(votes, base="valid")
    assert by_valid.status == STATUS_RUNOFF
    assert by_valid.elected == []
    assert by_valid.runoff == ["A", "B"]
    # base "participants" = 108: also a runoff
    assert count_absolute_majority(votes, base="participants").status == STATUS_RUNOFF


def test_absolute_majority_runoff_place_tie():
    # A 45, B 30, C 30 of 105: nobody has 53; B and C tie for the second runoff place
    votes = counts({"A": 45, "B": 30, "C": 30})
    result = count_absolute_majority(votes, tie_breaker=TieBreaker("commission", decision=["C", "B"]))
    assert result.runoff == ["A", "C"]
    assert result.ties[0].candidates == ["B", "C"]
