"""Who holds how many ballots (seed 003 items 41–43): a pure function, no database.

The CEC produces the ballots (the print run); acts of hand-over move them CEC → TEC → PEC. For
each commission and contest: what it got (produced, for the CEC; received by acts, for the
others), what it handed on (acts signed by the receiver), what is in transit (acts it handed that
the receiver has not signed yet), and what it holds. ``got = handed on + in transit + held``
holds by construction; what does not balance is reported as a difference with its reason:

* a commission handed on more than it got (``over``) — the services refuse this; reported if the
  records say so anyway;
* what a TEC or PEC got (or has on its way to it) differs from what the print run planned for
  its precincts (``short`` or ``extra``);
* a PEC's ballots are not accounted for by the day: received ≠ issued in the premises + issued
  outside + cancelled (``unaccounted``), when the day's figures are given.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Move:
    contest: object
    sender: object  # commission key
    receiver: object
    count: int
    received: bool  # the receiver signed the act


@dataclass
class Balance:
    commission: object
    contest: object
    got: int = 0
    handed_on: int = 0
    in_transit: int = 0
    incoming: int = 0  # handed to it, not yet signed for
    planned: int | None = None
    accounted: int | None = None  # a PEC: issued + cancelled, from the day's records
    differences: list[tuple[str, int]] = field(default_factory=list)

    @property
    def held(self) -> int:
        return self.got - self.handed_on - self.in_transit

    @property
    def balances(self) -> bool:
        return not self.differences


def balances(
    *,
    produced: Mapping[object, int],
    producer: object,
    moves: Iterable[Move],
    planned: Mapping[tuple[object, object], int] | None = None,
    accounted: Mapping[tuple[object, object], int] | None = None,
) -> dict[tuple[object, object], Balance]:
    """``produced``: contest -> ballots the producer (the CEC) got from the printing house;
    ``planned``: (commission, contest) -> what the print run planned for that commission's
    precincts; ``accounted``: (PEC, contest) -> issued + cancelled, from the day's records."""
    planned = dict(planned or {})
    accounted = dict(accounted or {})
    table: dict[tuple[object, object], Balance] = {}

    def row(commission, contest) -> Balance:
        key = (commission, contest)
        if key not in table:
            table[key] = Balance(commission, contest)
        return table[key]

    for contest, count in produced.items():
        row(producer, contest).got += count
    for move in moves:
        if move.received:
            row(move.receiver, move.contest).got += move.count
            row(move.sender, move.contest).handed_on += move.count
        else:
            row(move.sender, move.contest).in_transit += move.count
            row(move.receiver, move.contest).incoming += move.count
    for key in set(planned) | set(accounted):
        row(*key)
    for (commission, contest), balance in table.items():
        if balance.held < 0:
            balance.differences.append(("over", -balance.held))
        plan = planned.get((commission, contest))
        if plan is not None and commission != producer:
            balance.planned = plan
            expected = balance.got + balance.incoming
            if expected < plan:
                balance.differences.append(("short", plan - expected))
            elif expected > plan:
                balance.differences.append(("extra", expected - plan))
        done = accounted.get((commission, contest))
        if done is not None:
            balance.accounted = done
            if done != balance.held:
                balance.differences.append(("unaccounted", balance.held - done))
    return table
