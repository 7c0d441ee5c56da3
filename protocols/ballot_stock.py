"""Who holds how many ballot papers (seed 003 items 41–45): the print run, the acts of kind
``ballots`` and the precincts' day records, put through ``polling.balance``.

``stock(election)`` is the table a commission, the secretariat or an observer reads: per
commission and contest what the print run planned, what it got, what is on its way to it, what it
handed on or has in transit, what it holds and — for a precinct — what the day's records account
for, with every difference named. ``held_by`` is what the hand-over service checks against.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from ballots.models import Contest
from groups.models import Commission, TerritorialUnit
from polling.balance import Balance, Move, balances
from polling.models import MobileRun, PrecinctDay, PrintRun, PrintRunRow

from .models import HandoverAct

A = HandoverAct


def current_run(election) -> PrintRun | None:
    return PrintRun.objects.filter(election=election).exclude(status=PrintRun.Status.SUPERSEDED).first()


def _moves(election) -> list[Move]:
    moves = []
    acts = (
        HandoverAct.objects.filter(election=election, kind=A.Kind.BALLOTS)
        .exclude(status=A.Status.REFUSED)
        .only("from_commission_id", "to_commission_id", "status", "contents")
    )
    for act in acts:
        for row in act.contents.get("rows", []):
            moves.append(
                Move(
                    contest=row["contest_id"],
                    sender=act.from_commission_id,
                    receiver=act.to_commission_id,
                    count=int(row["count"]),
                    received=act.status == A.Status.RECEIVED,
                )
            )
    return moves


def _produced(election) -> dict[int, int]:
    run = PrintRun.objects.filter(election=election, status=PrintRun.Status.PRODUCED).first()
    if run is None:
        return {}
    produced: dict[int, int] = {}
    for contest_id, total in PrintRunRow.objects.filter(run=run).values_list("contest_id", "total"):
        produced[contest_id] = produced.get(contest_id, 0) + total
    return produced


def _cec(election) -> Commission | None:
    return Commission.objects.filter(election=election, kind=Commission.Kind.CEC).first()


def held_by(election, commission: Commission) -> dict[int, int]:
    """Contest id -> ballots ``commission`` holds now (got, less handed on and in transit)."""
    cec = _cec(election)
    table = balances(produced=_produced(election), producer=cec.pk if cec else None, moves=_moves(election))
    return {contest: b.held for (key, contest), b in table.items() if key == commission.pk}


def day_accounted(election) -> dict[tuple[int, int], int]:
    """(PEC id, contest id) -> ballots issued in the premises, issued outside and cancelled, for
    each precinct whose voting day is closed."""
    pecs = dict(
        Commission.objects.filter(
            election=election, kind=Commission.Kind.PEC, unit__isnull=False
        ).values_list("unit_id", "pk")
    )
    outside: dict[tuple[int, str], int] = {}
    for run in MobileRun.objects.filter(election=election):
        for contest_id, row in run.counts.items():
            key = (run.unit_id, contest_id)
            outside[key] = outside.get(key, 0) + int(row.get("issued") or 0)
    accounted = {}
    for day in PrecinctDay.objects.filter(election=election, closed_at__isnull=False):
        if day.unit_id not in pecs:
            continue
        for contest_id, row in day.closing.items():
            accounted[(pecs[day.unit_id], int(contest_id))] = (
                int(row.get("issued_premises") or 0)
                + int(row.get("cancelled") or 0)
                + outside.get((day.unit_id, contest_id), 0)
            )
    return accounted


def _planned(election, run: PrintRun | None) -> dict[tuple[int, int], int]:
    if run is None:
        return {}
    pecs = dict(
        Commission.objects.filter(
            election=election, kind=Commission.Kind.PEC, unit__isnull=False
        ).values_list("unit_id", "pk")
    )
    tecs = dict(
        Commission.objects.filter(
            election=election, kind=Commission.Kind.TEC, unit__isnull=False
        ).values_list("unit_id", "pk")
    )
    parents = dict(TerritorialUnit.objects.filter(election=election).values_list("pk", "parent_id"))
    planned: dict[tuple[int, int], int] = {}
    for contest_id, unit_id, total in PrintRunRow.objects.filter(run=run).values_list(
        "contest_id", "unit_id", "total"
    ):
        if unit_id in pecs:
            planned[(pecs[unit_id], contest_id)] = planned.get((pecs[unit_id], contest_id), 0) + total
        tec = tecs.get(parents.get(unit_id))
        if tec is not None:
            planned[(tec, contest_id)] = planned.get((tec, contest_id), 0) + total
    return planned


@dataclass
class StockRow:
    commission: Commission
    contest: Contest
    balance: Balance
    notes: list[str]


KIND_ORDER = {Commission.Kind.CEC: 0, Commission.Kind.TEC: 1, Commission.Kind.PEC: 2}


def _note(code: str, amount: int, balance: Balance) -> str:
    if code == "over":
        return _("handed on %(n)s more than it got") % {"n": amount}
    if code == "short":
        return _("%(n)s fewer than the print run planned for its precincts (%(planned)s)") % {
            "n": amount,
            "planned": balance.planned,
        }
    if code == "extra":
        return _("%(n)s more than the print run planned for its precincts (%(planned)s)") % {
            "n": amount,
            "planned": balance.planned,
        }
    if amount > 0:
        return _(
            "%(n)s ballots not accounted for by the day's records (issued in the premises and outside, "
            "cancelled: %(accounted)s)"
        ) % {"n": amount, "accounted": balance.accounted}
    return _("the day's records account for %(n)s more ballots than the commission received") % {"n": -amount}


def stock(election) -> dict:
    """The whole table, ordered CEC, TECs, PECs, with the totals and the print run."""
    cec = _cec(election)
    run = current_run(election)
    table = balances(
        produced=_produced(election),
        producer=cec.pk if cec else None,
        moves=_moves(election),
        planned=_planned(election, run),
        accounted=day_accounted(election),
    )
    commissions = {
        c.pk: c for c in Commission.objects.filter(pk__in={k for k, _c in table}).select_related("unit")
    }
    contests = {c.pk: c for c in Contest.objects.filter(pk__in={c for _k, c in table})}
    rows = [
        StockRow(
            commissions[key],
            contests[contest],
            balance,
            [_note(code, amount, balance) for code, amount in balance.differences],
        )
        for (key, contest), balance in table.items()
        if key in commissions and contest in contests
    ]
    rows.sort(
        key=lambda r: (
            KIND_ORDER.get(r.commission.kind, 9),
            r.commission.unit.number if r.commission.unit_id else 0,
            r.contest.pk,
        )
    )
    return {
        "run": run,
        "rows": rows,
        "differences": sum(1 for r in rows if r.notes),
        "produced": sum(_produced(election).values()),
    }


def received_by_precinct(election, unit, contest) -> int | None:
    """Ballots of ``contest`` the PEC of ``unit`` received by signed acts (None: no act yet)."""
    acts = HandoverAct.objects.filter(
        election=election,
        kind=A.Kind.BALLOTS,
        status=A.Status.RECEIVED,
        to_commission__unit=unit,
        to_commission__kind=Commission.Kind.PEC,
    )
    total = None
    for act in acts:
        for row in act.contents.get("rows", []):
            if row["contest_id"] == contest.pk and row["unit_id"] == unit.pk:
                total = (total or 0) + int(row["count"])
    return total


def precinct_ballot_figures(election, unit, contest) -> dict[str, int]:
    """Lines 2–5 of the precinct protocol from the records the portal keeps: ballots received by
    signed acts, issued in the premises and cancelled at the day's closing, issued outside by the
    mobile ballot box. A line is left out when its record does not exist (typed by hand)."""
    figures: dict[str, int] = {}
    received = received_by_precinct(election, unit, contest)
    if received is not None:
        figures["ballots_received"] = received
    runs = list(MobileRun.objects.filter(election=election, unit=unit))
    day = PrecinctDay.objects.filter(election=election, unit=unit, closed_at__isnull=False).first()
    if day is not None and day.closing_count(contest.pk, "issued_premises") is not None:
        figures["ballots_issued_premises"] = day.closing_count(contest.pk, "issued_premises")
        figures["ballots_cancelled"] = day.closing_count(contest.pk, "cancelled")
    if runs or day is not None:
        figures["ballots_issued_outside"] = sum(run.count(contest.pk, "issued") for run in runs)
    return figures
