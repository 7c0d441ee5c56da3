"""How many ballots to print (seed 003 item 41): a pure function, no database.

For each precinct of each contest: the voters on its list, plus the reserve — ``reserve_percent``
of the list, rounded up to a whole ballot, and never less than ``reserve_minimum``. When the
election numbers its ballots, each contest's ballots are numbered from 1 in the order of the
precincts, so every precinct gets one unbroken range and no two ranges overlap.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal


@dataclass(frozen=True)
class Quantity:
    contest: object  # a key: the contest's id
    unit: object  # a key: the precinct's id
    voters_on_list: int
    reserve: int
    total: int
    serial_from: int | None = None
    serial_to: int | None = None


def reserve_for(voters: int, reserve_percent: Decimal, reserve_minimum: int) -> int:
    share = (Decimal(voters) * Decimal(reserve_percent) / Decimal(100)).to_integral_value(
        rounding=ROUND_CEILING
    )
    return max(int(share), int(reserve_minimum))


def quantities(
    lists: Iterable[tuple[object, object, int]],
    *,
    reserve_percent: Decimal,
    reserve_minimum: int,
    numbered: bool,
) -> list[Quantity]:
    """``lists``: (contest, precinct, voters on the list) in the order the ranges are given."""
    rows: list[Quantity] = []
    next_serial: dict[object, int] = {}
    for contest, unit, voters in lists:
        if voters < 0:
            raise ValueError("a list cannot have fewer than no voters")
        reserve = reserve_for(voters, reserve_percent, reserve_minimum)
        total = voters + reserve
        first = last = None
        if numbered and total:
            first = next_serial.get(contest, 1)
            last = first + total - 1
            next_serial[contest] = last + 1
        rows.append(Quantity(contest, unit, voters, reserve, total, first, last))
    return rows
