"""Scottish STV (SSI 2007/42 rules 45-52) and Meek STV: small cases computed by hand."""

import random

from protocols.counting import (
    STATUS_COMPLETE,
    STATUS_TIE,
    Profile,
    TieBreaker,
    count_stv_meek,
    count_stv_scottish,
)

from .helpers import profile


def test_scottish_surplus_truncated_to_five_places_then_exclusion():
    # A>C x9, A x2, B x5, C x3, D>B x2: 21 valid papers, 2 seats
    # quota (rule 46) = 21 // 3 + 1 = 8; stage 1: A 11 >= 8 -> elected, surplus 3
    # transfer value (rule 48) = 1 x 3 / 11 = 0.272727... -> 0.27272 (remainder ignored)
    #   C gets 9 x 0.27272 = 2.45448 -> 5.45448; A x2 non-transferable 2 x 0.27272 = 0.54544
    #   loss by fraction 3 - 2.45448 - 0.54544 = 0.00008
    # stage 3: D (2) excluded -> B 7; stage 4: C (5.45448) excluded, all non-transferable
    #   -> B is the only continuing candidate for the last seat (rule 52)
    p = profile("ABCD", [(9, "AC"), (2, "A"), (5, "B"), (3, "C"), (2, "DB")], seats=2)
    result = count_stv_scottish(p)
    assert result.quota == "8.00000"
    s1, s2, s3, s4 = result.stages
    assert s1.tallies == {"A": "11.00000", "B": "5.00000", "C": "3.00000", "D": "2.00000"}
    assert s1.elected == ["A"]
    assert s2.action == "surplus" and s2.subject == "A"
    assert s2.details["transfer_values"] == {"1.00000": "0.27272"}
    assert s2.tallies == {"A": "8.00000", "B": "5.00000", "C": "5.45448", "D": "2.00000"}
    assert s2.transfers == {"C": "2.45448"}
    assert s2.non_transferable == "0.54544"
    assert s2.loss == "0.00008"
    assert s3.excluded == ["D"] and s3.tallies["B"] == "7.00000"
    assert s4.excluded == ["C"]
    assert s4.non_transferable == "5.99992"  # 0.54544 + C x3 at 1 + A>C x9 at 0.27272 (2.45448)
    assert s4.elected == ["B"] and "rule 52" in s4.description
    assert result.elected == ["A", "B"]
    assert result.status == STATUS_COMPLETE


def test_scottish_truncation_can_leave_a_candidate_just_below_the_quota():
    # A>B x12, C x6, B x2: 20 papers, 2 seats, quota 20 // 3 + 1 = 7
    # A's surplus 5 at 5/12 = 0.41666 (not 0.41667): B gets 12 x 0.41666 = 4.99992 -> 6.99992 < 7
    # C (6) is then excluded and B fills the last seat under rule 52
    p = profile("ABC", [(12, "AB"), (6, "C"), (2, "B")], seats=2)
    result = count_stv_scottish(p)
    assert result.stages[1].tallies["B"] == "6.99992"
    assert result.stages[1].loss == "0.00008"
    assert result.elected == ["A", "B"]


def test_scottish_inclusive_gregory_second_surplus_uses_each_papers_value():
    # A>B>C x10, B x1, C x4, D x5: 20 papers, 3 seats, quota 20 // 4 + 1 = 6
    # stage 1: A 10 elected, surplus 4, value 4/10 = 0.40000 -> B 1 + 10 x 0.4 = 5.00000
    # stage 3: D 5 vs B 5 vs C 4 -> C (4) excluded, non-transferable; then B, D are the
    # two continuing candidates for the two seats left (rule 52)
    p = profile("ABCD", [(10, "ABC"), (1, "B"), (4, "C"), (5, "D")], seats=3)
    result = count_stv_scottish(p)
    assert result.stages[1].tallies["B"] == "5.00000"
    assert result.elected == ["A", "B", "D"]
    # now make B reach the quota on transferred papers: A>B>C x10, B x3, C x2, D x5
    # stage 2: B 3 + 4 = 7 >= 6 -> elected with surplus 1 held on papers of two values:
    #   B's own 3 papers at 1 -> 1 x 1/7 = 0.14285; A's 10 papers at 0.4 -> 0.4 x 1/7 = 0.05714
    #   C gets 10 x 0.05714 = 0.57140 -> 2.57140; B's 3 papers are non-transferable 0.42855
    q = profile("ABCD", [(10, "ABC"), (3, "B"), (2, "C"), (5, "D")], seats=3)
    second = count_stv_scottish(q)
    s3 = second.stages[2]
    assert s3.subject == "B"
    assert s3.details["transfer_values"] == {"1.00000": "0.14285", "0.40000": "0.05714"}
    assert s3.tallies["C"] == "2.57140"
    assert s3.details["non_transferable_this_stage"] == "0.42855"
    assert s3.details["loss_this_stage"] == "0.00005"  # 1 - 0.57140 - 0.42855
    assert second.elected == ["A", "B", "D"]


# A x12, C x6, B x5, D>C x1, D x3, E>B x2 (29 papers, 1 seat, quota 29 // 2 + 1 = 15)
# stage 2: E excluded -> B 7; stage 3: D excluded -> C 7; stage 4: B 7 = C 7 (rule 51)
TIE_PROFILE = profile("ABCDE", [(12, "A"), (6, "C"), (5, "B"), (1, "DC"), (3, "D"), (2, "EB")])


def test_scottish_exclusion_tie_rule_51_backwards():
    # most recent preceding stage at which they differed: stage 2, B 7 > C 6 -> C excluded
    result = count_stv_scottish(TIE_PROFILE)
    assert result.stages[3].excluded == ["C"]
    (tie,) = result.ties
    assert tie.context == "exclusion (rule 51)"
    assert (tie.stage, tie.chosen, tie.resolved_by) == (4, "C", "backwards")
    assert result.elected == ["A"]


def test_scottish_exclusion_tie_forwards_if_the_election_chose_it():
    # first stage at which they differed: stage 1, B 5 < C 6 -> B excluded
    result = count_stv_scottish(TIE_PROFILE, TieBreaker("forwards"))
    assert result.stages[3].excluded == ["B"]
    assert result.ties[0].chosen == "B"


# A>C x10, B>D x10, C x5, D x5: 30 papers, 3 seats, quota 30 // 4 + 1 = 8
# A and B both elected at stage 1 with equal surpluses of 2 (rule 49(2): equal at all stages)
# A first: C 5 + 10 x 0.2 = 7, then B: D 7; C and D tie 7 = 7 -> backwards to the stage where
# C 7 > D 5 -> D excluded, C elected.  B first: the mirror image, D elected.
SURPLUS_TIE = profile("ABCD", [(10, "AC"), (10, "BD"), (5, "C"), (5, "D")], seats=3)


def test_scottish_surplus_order_tie_for_the_commission():
    stopped = count_stv_scottish(SURPLUS_TIE, TieBreaker("backwards", fallback="commission"))
    assert stopped.status == STATUS_TIE
    assert stopped.unresolved_tie.candidates == ["A", "B"]
    assert stopped.unresolved_tie.context == "order of surplus transfer (rule 49)"
    assert stopped.elected == ["A", "B"]
    a_first = count_stv_scottish(
        SURPLUS_TIE, TieBreaker("backwards", fallback="commission", decision=["A", "B"])
    )
    assert a_first.elected == ["A", "B", "C"]
    assert [t.resolved_by for t in a_first.ties] == ["commission decision", "backwards"]
    b_first = count_stv_scottish(
        SURPLUS_TIE, TieBreaker("backwards", fallback="commission", decision=["B", "A"])
    )
    assert b_first.elected == ["A", "B", "D"]


def test_scottish_surplus_order_tie_by_lot_is_replayable():
    result = count_stv_scottish(SURPLUS_TIE, TieBreaker(seed=2024))
    first = ["A", "B"][random.Random(2024).randrange(2)]
    assert result.stages[1].subject == first
    assert result.elected[2] == ("C" if first == "A" else "D")
    assert result.ties[0].draw["order"] == ["A", "B"]


def test_scottish_withdrawn_candidates_are_skipped():
    # B withdrawn: B>A x4 counts for A; A 4 + 1 = 5, C 3 -> 1 seat, quota 9 // 2 + 1 = 5 -> A
    p = Profile.from_rankings(
        ["A", "B", "C"], [(4, ["B", "A"]), (1, ["A"]), (3, ["C"]), (1, ["B"])], seats=1, withdrawn=["B"]
    )
    result = count_stv_scottish(p)
    assert "B" not in result.stages[0].tallies
    assert result.totals["valid_papers"] == "8"
    assert result.quota == "5.00000"
    assert result.elected == ["A"]


def test_scottish_fewer_candidates_than_seats():
    result = count_stv_scottish(profile("AB", [(3, "A"), (1, "B")], seats=3))
    assert result.elected == ["A", "B"]
    assert result.status == "seats_unfilled"


def test_meek_keep_value_by_hand():
    # A>B x12, C x6, B x2: 20 ballots, 2 seats; 9 decimal places
    # quota = 20 / 3 = 6.666666666 (truncated) + 0.000000001 = 6.666666667; A 12 elected
    # keep(A) = ceil(1 x 6.666666667 / 12) = 0.555555556 (rounded up)
    # A keeps 12 x 0.555555556 = 6.666666672; B gets 12 x 0.444444444 = 5.333333328 + 2
    #   = 7.333333328 >= quota -> B elected (under the Scottish rules B stopped at 6.99992)
    p = profile("ABC", [(12, "AB"), (6, "C"), (2, "B")], seats=2)
    result = count_stv_meek(p)
    assert result.elected == ["A", "B"]
    last = result.stages[-1]
    assert last.elected == ["B"]
    assert last.details["quota"] == "6.666666667"
    assert last.details["keep_values"]["A"] == "0.555555556"
    assert last.tallies == {"A": "6.666666672", "B": "7.333333328", "C": "6.000000000"}


def test_meek_exclusion_and_redistribution():
    # A x5, B x4, C>B x2: 11 ballots, 1 seat; quota 11 / 2 = 5.5 -> 5.500000001
    # nobody has a quota: C (2) excluded, keep(C) = 0, its 2 ballots pass to B -> B 6 wins
    p = profile("ABC", [(5, "A"), (4, "B"), (2, "CB")])
    result = count_stv_meek(p)
    assert result.stages[0].details["quota"] == "5.500000001"
    assert result.stages[1].excluded == ["C"]
    assert result.elected == ["B"]
    assert result.stages[-1].tallies["B"] == "6.000000000"


def test_meek_exclusion_tie_backwards_and_commission():
    result = count_stv_meek(TIE_PROFILE)
    assert [t.chosen for t in result.ties] == ["C"]
    assert result.elected == ["A"]
    stopped = count_stv_meek(TIE_PROFILE, TieBreaker("commission"))
    assert stopped.status == STATUS_TIE
    assert stopped.unresolved_tie.candidates == ["B", "C"]
