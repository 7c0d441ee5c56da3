"""Handing ballot papers down by act (seed 003 items 42–43): the CEC → the TEC of a district
(7 days before voting), a TEC → the PEC of a precinct (2 days before).

``ballots_hand_over`` draws the act up and the handing member signs it; the receiving side signs
or refuses it with ``acts.act_receive`` / ``acts.act_refuse`` like every act. Refused: a pair of
commissions other than CEC → its TEC or TEC → its PEC; a precinct outside the receiver's area; a
count of zero or less; more ballots than the handing commission holds for the contest (what it
got — produced, for the CEC — less what it handed on or has in transit); before the print run is
produced; when ballots are numbered, a serial range that is not the count's length, falls outside
the precinct's range in the print run, or overlaps a range handed on at the same level.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ballots.models import Contest
from elections.audit import audit_log
from elections.models import Election
from groups.models import Commission, TerritorialUnit
from polling.models import PrintRun, PrintRunRow

from .. import ballot_stock
from ..models import HandoverAct
from .acts import _next_number, _refuse, _signer

A = HandoverAct


def _area(receiver: Commission) -> set[int]:
    """The precincts a receiving TEC or PEC serves."""
    if receiver.kind == Commission.Kind.PEC:
        return {receiver.unit_id} if receiver.unit_id else set()
    return set(
        TerritorialUnit.objects.filter(
            parent_id=receiver.unit_id, kind=TerritorialUnit.Kind.PRECINCT
        ).values_list("pk", flat=True)
    )


def _clean_rows(rows, receiver: Commission, run: PrintRun) -> list[dict]:
    area = _area(receiver)
    planned = {
        (r.contest_id, r.unit_id): r
        for r in PrintRunRow.objects.filter(run=run).select_related("contest", "unit")
    }
    cleaned = []
    seen = set()
    for row in rows:
        contest, unit, count = row["contest"], row["unit"], row.get("count")
        if unit.pk not in area:
            _refuse(
                _("Precinct № %(number)s is not served by %(commission)s.")
                % {"number": unit.number, "commission": receiver.name},
                "outside_area",
            )
        plan_row = planned.get((contest.pk, unit.pk))
        if plan_row is None:
            _refuse(
                _("The print run has no ballots of “%(contest)s” for precinct № %(number)s.")
                % {"contest": contest.title, "number": unit.number},
                "not_printed",
            )
        if (contest.pk, unit.pk) in seen:
            _refuse(_("Each precinct appears once in an act."), "duplicate")
        seen.add((contest.pk, unit.pk))
        try:
            count = int(count)
        except (TypeError, ValueError):
            _refuse(
                _("Precinct № %(number)s: enter the number of ballots.") % {"number": unit.number}, "count"
            )
        if count <= 0:
            _refuse(
                _("Precinct № %(number)s: the number of ballots must be more than zero.")
                % {"number": unit.number},
                "count",
            )
        first, last = row.get("serial_from"), row.get("serial_to")
        if run.numbered:
            if first in (None, "") or last in (None, ""):
                _refuse(
                    _("Precinct № %(number)s: ballots are numbered; give the first and the last number.")
                    % {"number": unit.number},
                    "serials",
                )
            first, last = int(first), int(last)
            if last - first + 1 != count:
                _refuse(
                    _(
                        "Precinct № %(number)s: numbers %(first)s–%(last)s are %(length)s ballots, not %(count)s."
                    )
                    % {
                        "number": unit.number,
                        "first": first,
                        "last": last,
                        "length": last - first + 1,
                        "count": count,
                    },
                    "serial_length",
                )
            if first < plan_row.serial_from or last > plan_row.serial_to:
                _refuse(
                    _("Precinct № %(number)s: its ballots are numbered %(first)s–%(last)s in the print run.")
                    % {"number": unit.number, "first": plan_row.serial_from, "last": plan_row.serial_to},
                    "serial_range",
                )
        else:
            first = last = None
        cleaned.append(
            {
                "contest_id": contest.pk,
                "contest": contest.title_ru,
                "unit_id": unit.pk,
                "precinct": unit.number,
                "count": count,
                "serial_from": first,
                "serial_to": last,
            }
        )
    if not cleaned:
        _refuse(_("List the ballots handed over."), "empty")
    return cleaned


def _overlaps(election, sender: Commission, rows: list[dict]) -> None:
    standing = HandoverAct.objects.filter(
        election=election, kind=A.Kind.BALLOTS, from_commission__kind=sender.kind
    ).exclude(status=A.Status.REFUSED)
    for act in standing:
        for old in act.contents.get("rows", []):
            if old.get("serial_from") is None:
                continue
            for new in rows:
                if (
                    new["contest_id"] == old["contest_id"]
                    and new["serial_from"] <= old["serial_to"]
                    and old["serial_from"] <= new["serial_to"]
                ):
                    _refuse(
                        _("Numbers %(first)s–%(last)s were handed over already by act № %(act)s.")
                        % {"first": old["serial_from"], "last": old["serial_to"], "act": act.number},
                        "serial_overlap",
                    )


@transaction.atomic
def ballots_hand_over(
    *, from_commission: Commission, to_commission: Commission, rows, actor, password: str
) -> HandoverAct:
    """Draw up and sign an act handing ballot papers to the commission below."""
    election = Election.objects.select_for_update().get(pk=from_commission.election_id)
    pair_ok = to_commission.parent_id == from_commission.pk and (
        (from_commission.kind, to_commission.kind)
        in ((Commission.Kind.CEC, Commission.Kind.TEC), (Commission.Kind.TEC, Commission.Kind.PEC))
    )
    if to_commission.election_id != election.pk or not pair_ok:
        _refuse(
            _(
                "Ballots go down by act from the central commission to a territorial commission, and from "
                "it to its precinct commissions."
            ),
            "wrong_pair",
        )
    member = _signer(actor, from_commission, password)
    if election.state not in (Election.State.ANNOUNCED, Election.State.REGISTRATION):
        _refuse(_("Ballots are handed down before voting opens."), "voting_open")
    run = PrintRun.objects.filter(election=election, status=PrintRun.Status.PRODUCED).first()
    if run is None:
        _refuse(
            _("Record the production of the print run first: there are no ballots to hand over yet."),
            "not_produced",
        )
    cleaned = _clean_rows(rows, to_commission, run)
    if run.numbered:
        _overlaps(election, from_commission, cleaned)
    held = ballot_stock.held_by(election, from_commission)
    wanted: dict[int, int] = {}
    for row in cleaned:
        wanted[row["contest_id"]] = wanted.get(row["contest_id"], 0) + row["count"]
    for contest_id, count in wanted.items():
        if count > held.get(contest_id, 0):
            _refuse(
                _(
                    "%(commission)s holds %(held)s ballots of “%(contest)s”, fewer than the %(count)s in the act."
                )
                % {
                    "commission": from_commission.name,
                    "held": held.get(contest_id, 0),
                    "contest": Contest.objects.get(pk=contest_id).title,
                    "count": count,
                },
                "not_held",
            )
    act = HandoverAct(
        election=election,
        number=_next_number(election),
        kind=A.Kind.BALLOTS,
        from_commission=from_commission,
        to_commission=to_commission,
        unit=to_commission.unit if to_commission.kind == Commission.Kind.PEC else None,
        contents={
            "rows": cleaned,
            "total": sum(r["count"] for r in cleaned),
            "numbered": run.numbered,
            "print_run": run.version,
        },
        handed_by=actor,
        handed_by_name=actor.get_full_name() or actor.email,
        handed_by_position=member.position,
    )
    act.save()
    audit_log(
        action="protocols.act.handed",
        actor=actor,
        obj=act,
        election=election,
        data={"number": act.number, "kind": act.kind, "to": to_commission.pk, "rows": cleaned},
    )
    return act
