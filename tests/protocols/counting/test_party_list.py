"""Hare / D'Hondt / Sainte-Laguë with thresholds: small cases computed by hand."""

from decimal import Decimal
from fractions import Fraction

import pytest

from protocols.counting import (
    STATUS_TIE,
    CountingInputError,
    TieBreaker,
    allocate_seats,
    dhondt,
    hare_largest_remainder,
    sainte_lague,
)

from .helpers import counts

# A 53, B 24, C 23 (100 votes), 7 seats
CLASSIC = counts({"A": 53, "B": 24, "C": 23})


def test_dhondt_by_hand():
    # averages: A 53, 26.5, 17.67, 13.25, 10.6 | B 24, 12, 8 | C 23, 11.5
    # the 7 largest: 53 A, 26.5 A, 24 B, 23 C, 17.67 A, 13.25 A, 12 B -> A 4, B 2, C 1
    result = dhondt(CLASSIC, 7)
    assert result.seats == {"A": 4, "B": 2, "C": 1}
    awards = result.stages[1].details["awards"]
    assert [a["list"] for a in awards] == ["A", "A", "B", "C", "A", "A", "B"]
    assert [a["average"] for a in awards] == ["53", "53/2", "24", "23", "53/3", "53/4", "12"]
    assert result.elected == ["A", "B", "C"]


def test_sainte_lague_by_hand():
    # averages: A 53, 17.67, 10.6, 7.57 | B 24, 8, 4.8 | C 23, 7.67
    # the 7 largest: 53 A, 24 B, 23 C, 17.67 A, 10.6 A, 8 B, 7.67 C -> A 3, B 2, C 2
    result = sainte_lague(CLASSIC, 7)
    assert result.seats == {"A": 3, "B": 2, "C": 2}
    awards = result.stages[1].details["awards"]
    assert [a["average"] for a in awards] == ["53", "24", "23", "53/3", "53/5", "8", "23/3"]


def test_hare_largest_remainder_by_hand():
    # quota 100 / 7; quotients A 3.71, B 1.68, C 1.61 -> 3 + 1 + 1 = 5 whole seats
    # remainders A 0.71, B 0.68, C 0.61 -> the 2 seats left go to A and B -> A 4, B 2, C 1
    result = hare_largest_remainder(CLASSIC, 7)
    assert result.seats == {"A": 4, "B": 2, "C": 1}
    details = result.stages[1].details
    assert details["quota"] == "100/7"
    # remainders as exact fractions: 371/100 -> 71/100, 168/100 -> 68/100 = 17/25, 161/100 -> 61/100
    assert details["remainders"] == {"A": "71/100", "B": "17/25", "C": "61/100"}
    assert details["remainder_seats"] == ["A", "B"]


def test_hare_differs_from_dhondt():
    # A 47, B 16, C 15, D 12, E 6, F 4 (100), 10 seats
    # Hare: quotients 4.7, 1.6, 1.5, 1.2, 0.6, 0.4 -> whole 4+1+1+1 = 7, remainders .7 A, .6 B,
    #       .6 E -> 3 more: A, then B and E (0.6 each, both fit) -> A 5, B 2, C 1, D 1, E 1
    # D'Hondt: A 47, 23.5, 15.67, 11.75, 9.4, 7.83 | B 16, 8 | C 15, 7.5 | D 12, 6 | E 6 | F 4
    #       10 largest: 47, 23.5, 16, 15.67, 15, 12, 11.75, 9.4, 8, 7.83 -> A 6, B 2, C 1, D 1
    votes = counts({"A": 47, "B": 16, "C": 15, "D": 12, "E": 6, "F": 4})
    assert hare_largest_remainder(votes, 10).seats == {"A": 5, "B": 2, "C": 1, "D": 1, "E": 1}
    assert dhondt(votes, 10).seats == {"A": 6, "B": 2, "C": 1, "D": 1}


# A 100, B 80, C 30, D 4 (214 list votes), against all 10, blank 5, invalid 7
# valid = 214 + 10 + 5 = 229, participants = 229 + 7 = 236
SPECIAL = counts({"A": 100, "B": 80, "C": 30, "D": 4}, against_all=10, blank=5, invalid=7)


def test_threshold_bases():
    # 13.5% of participants 236 = 31.86 -> C (30) is out; of list votes 214 = 28.89 -> C is in
    by_participants = dhondt(SPECIAL, 8, threshold="13.5", threshold_base="participants")
    assert by_participants.stages[0].excluded == ["C", "D"]
    assert by_participants.stages[0].details["base_total"] == "236"
    assert by_participants.stages[0].details["threshold_votes"] == "1593/50"  # 236 x 13.5 / 100 = 31.86
    assert "C" not in by_participants.seats
    by_list = dhondt(SPECIAL, 8, threshold=Decimal("13.5"), threshold_base="list")
    assert by_list.stages[0].details["base_total"] == "214"
    assert by_list.seats == {"A": 4, "B": 3, "C": 1}
    by_valid = dhondt(SPECIAL, 8, threshold=Fraction(27, 2), threshold_base="valid")
    assert by_valid.stages[0].details["base_total"] == "229"  # 13.5% = 30.915 -> C out
    assert "C" not in by_valid.seats
    # A and B share the 8 seats when C is out: A 100, 50, 33.3, 25, 20 | B 80, 40, 26.7, 20
    # 8 largest: 100, 80, 50, 40, 33.3, 26.7, 25, then A 20 = B 20 for the last seat:
    # backwards compares the vote totals, A 100 > B 80 -> A
    assert by_valid.seats == {"A": 5, "B": 3}
    assert by_valid.ties[0].candidates == ["A", "B"] and by_valid.ties[0].chosen == "A"


def test_threshold_is_at_least_and_exact():
    # exactly 5% of list votes 200 = 10 votes qualifies ("at least")
    votes = counts({"A": 190, "B": 10})
    assert hare_largest_remainder(votes, 20, threshold="5", threshold_base="list").seats == {"A": 19, "B": 1}
    assert hare_largest_remainder(votes, 20, threshold="5.01", threshold_base="list").seats == {"A": 20}
    with pytest.raises(CountingInputError):
        dhondt(votes, 3, threshold=5.0)  # floats are not exact
    with pytest.raises(CountingInputError):
        dhondt(votes, 3, threshold="101")


def test_special_ballots_never_win_seats():
    result = sainte_lague(counts({"A": 1, "B": 1}, against_all=1000, blank=1000), 2)
    assert result.seats == {"A": 1, "B": 1}
    assert set(result.seats) <= {"A", "B"}


def test_dhondt_tie_equal_votes_goes_to_the_lot_or_the_commission():
    votes = counts({"A": 30, "B": 30})
    stopped = dhondt(votes, 1, tie_breaker=TieBreaker("commission"))
    assert stopped.status == STATUS_TIE
    assert stopped.unresolved_tie.candidates == ["A", "B"]
    decided = dhondt(votes, 1, tie_breaker=TieBreaker("commission", decision=["B", "A"]))
    assert decided.seats == {"B": 1}
    lot = dhondt(votes, 1, tie_breaker=TieBreaker(seed=5))
    assert lot.ties[0].resolved_by == "lot"
    assert lot.ties[0].detail.startswith("equal at every earlier stage")


def test_hare_remainder_tie():
    # A 50, B 50, 1 seat: quota 100, both 0 whole seats, remainders 1/2 and 1/2 -> tie
    result = allocate_seats(
        counts({"A": 50, "B": 50}),
        1,
        "hare",
        tie_breaker=TieBreaker("forwards", fallback="commission", decision=["B", "A"]),
    )
    assert result.seats == {"B": 1}
    assert result.ties[0].context == "largest remainder seat"


def test_no_list_passes_the_threshold():
    result = dhondt(counts({"A": 1, "B": 1}, invalid=100), 3, threshold="10", threshold_base="participants")
    assert result.seats == {}
    assert result.status == "seats_unfilled"
