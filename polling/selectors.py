"""Reads of ballot papers and the voting day, narrowed to who may see them.

Who sees a precinct's day: the secretariat and observers of the election (observers watch, so the
log is theirs to read), the members of the CEC, of the precinct's TEC and of its PEC. The names and
addresses in the home-voting register only the commissions and the secretariat
(``polling.view_personal``). Turnout by hour is public once voting has opened; it never holds a
result.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.permissions import can, roles_in
from ballots.models import Contest
from ballots.selectors import PrecinctTurnout
from elections.models import Election
from groups.models import Commission, CommissionMember, TerritorialUnit
from groups.selectors import is_cec_or_secretariat
from voters.selectors import precinct_list_sizes

from . import plan
from .models import HomeVotingRequest, Incident, MobileRun, PrecinctDay, PrintRun, TurnoutReport
from .services._common import turnout_times


def _public_turnout_states():
    S = Election.State
    return {s for s in S.values if s not in (S.DRAFT, S.ANNOUNCED, S.REGISTRATION)}


def turnout_is_public(election) -> bool:
    return election.state in _public_turnout_states()


def precincts(election) -> list[TerritorialUnit]:
    """The precincts that have a precinct commission, in number order."""
    ids = Commission.objects.filter(
        election=election, kind=Commission.Kind.PEC, unit__isnull=False
    ).values_list("unit_id", flat=True)
    return list(TerritorialUnit.objects.filter(pk__in=ids).select_related("parent").order_by("number"))


def _member_commissions(user, election) -> set[int]:
    return set(
        CommissionMember.objects.filter(commission__election=election, user=user, is_active=True).values_list(
            "commission_id", flat=True
        )
    )


def may_view_day(user, unit: TerritorialUnit) -> bool:
    election = unit.election
    if not can(user, "polling.view", election):
        return False
    if user.is_superuser or {Role.SECRETARIAT, Role.OBSERVER} & set(roles_in(user, election)):
        return True
    mine = _member_commissions(user, election)
    related = Commission.objects.filter(election=election).filter(
        kind=Commission.Kind.CEC
    ) | Commission.objects.filter(election=election, unit_id__in=[unit.pk, unit.parent_id])
    return bool(mine & set(related.values_list("pk", flat=True)))


def visible_precincts(user, election) -> list[TerritorialUnit]:
    return [u for u in precincts(election) if may_view_day(user, u)]


def may_record(user, unit: TerritorialUnit) -> bool:
    pec = Commission.objects.filter(election_id=unit.election_id, kind=Commission.Kind.PEC, unit=unit).first()
    return (
        pec is not None
        and can(user, "polling.record", pec)
        and CommissionMember.objects.filter(commission=pec, user=user, is_active=True).exists()
    )


def may_see_personal(user, unit: TerritorialUnit) -> bool:
    if not can(user, "polling.view_personal", unit.election):
        return False
    if user.is_superuser or Role.SECRETARIAT in roles_in(user, unit.election):
        return True
    mine = _member_commissions(user, unit.election)
    related = Commission.objects.filter(
        election_id=unit.election_id, kind=Commission.Kind.CEC
    ) | Commission.objects.filter(election_id=unit.election_id, unit_id__in=[unit.pk, unit.parent_id])
    return bool(mine & set(related.values_list("pk", flat=True)))


def may_manage(user, election) -> bool:
    """The CEC's members and the secretariat (``polling.manage``, narrowed as the services do)."""
    return can(user, "polling.manage", election) and is_cec_or_secretariat(user, election)


def day_of(unit) -> PrecinctDay | None:
    return PrecinctDay.objects.filter(election_id=unit.election_id, unit=unit).first()


@dataclass
class DayRow:
    unit: TerritorialUnit
    day: PrecinctDay | None
    on_list: int
    last_turnout: TurnoutReport | None
    incidents: int
    requests: int
    runs: int

    @property
    def percent(self):
        if not self.last_turnout or not self.on_list:
            return None
        return round(100 * self.last_turnout.voters / self.on_list, 1)


def days_overview(user, election) -> list[DayRow]:
    units = visible_precincts(user, election)
    days = {d.unit_id: d for d in PrecinctDay.objects.filter(election=election, unit__in=units)}
    sizes = precinct_list_sizes(election, units)
    latest: dict[int, TurnoutReport] = {}
    for report in TurnoutReport.objects.filter(day__in=days.values()).order_by("time"):
        latest[report.day_id] = report
    incidents = dict(
        Incident.objects.filter(day__in=days.values())
        .values("day_id")
        .annotate(n=Count("pk"))
        .values_list("day_id", "n")
    )
    requests = dict(
        HomeVotingRequest.objects.filter(election=election)
        .values("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
    )
    runs = dict(
        MobileRun.objects.filter(election=election)
        .values("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
    )
    rows = []
    for unit in units:
        day = days.get(unit.pk)
        rows.append(
            DayRow(
                unit=unit,
                day=day,
                on_list=sizes.get(unit.pk, 0),
                last_turnout=latest.get(day.pk) if day else None,
                incidents=incidents.get(day.pk, 0) if day else 0,
                requests=requests.get(unit.pk, 0),
                runs=runs.get(unit.pk, 0),
            )
        )
    return rows


@dataclass
class TurnoutTable:
    times: list[str]
    rows: list[dict] = field(default_factory=list)
    totals: list[dict] = field(default_factory=list)
    on_list: int = 0


def turnout_table(election) -> TurnoutTable:
    """Per precinct and hour: voters who received a ballot and the share of the list; the
    election's total per hour counts only the precincts that reported ("5 of 6 precincts")."""
    units = precincts(election)
    sizes = precinct_list_sizes(election, units)
    reports: dict[tuple[int, str], int] = {}
    for unit_id, time, voters in TurnoutReport.objects.filter(day__election=election).values_list(
        "day__unit_id", "time", "voters"
    ):
        reports[(unit_id, time)] = voters
    table = TurnoutTable(times=turnout_times(election), on_list=sum(sizes.values()))
    for unit in units:
        cells = []
        for time in table.times:
            voters = reports.get((unit.pk, time))
            on_list = sizes.get(unit.pk, 0)
            cells.append(
                {
                    "voters": voters,
                    "percent": round(100 * voters / on_list, 1) if voters is not None and on_list else None,
                }
            )
        table.rows.append({"unit": unit, "on_list": sizes.get(unit.pk, 0), "cells": cells})
    for index, time in enumerate(table.times):
        reported = [r for r in table.rows if r["cells"][index]["voters"] is not None]
        voters = sum(r["cells"][index]["voters"] for r in reported)
        base = sum(r["on_list"] for r in reported)
        table.totals.append(
            {
                "time": time,
                "reported": len(reported),
                "precincts": len(table.rows),
                "voters": voters,
                "percent": round(100 * voters / base, 1) if base else None,
            }
        )
    return table


def contest_turnout(election) -> dict[int, PrecinctTurnout]:
    """Per contest voted at precincts (of a district, or of one precinct): the turnout-by-hour
    table (``turnout_table``) summed over the contest's precincts at the latest hour any of them
    reported — the voters who had received a ballot, of the precincts that reported then, and
    the share of their lists. The voting page's turnout shows it (``ballots`` asks for it)."""
    table = turnout_table(election)
    result = {}
    for contest_id, unit_id in Contest.objects.filter(election=election, unit__isnull=False).values_list(
        "pk", "unit_id"
    ):
        rows = [r for r in table.rows if unit_id in (r["unit"].pk, r["unit"].parent_id)]
        if not rows:
            continue
        latest = max(
            (i for i in range(len(table.times)) if any(r["cells"][i]["voters"] is not None for r in rows)),
            default=None,
        )
        reported = [] if latest is None else [r for r in rows if r["cells"][latest]["voters"] is not None]
        voters = sum(r["cells"][latest]["voters"] for r in reported)
        base = sum(r["on_list"] for r in reported)
        result[contest_id] = PrecinctTurnout(
            time=None if latest is None else table.times[latest],
            voters=voters,
            percent=round(100 * voters / base, 1) if base else None,
            reported=len(reported),
            precincts=len(rows),
            on_list=sum(r["on_list"] for r in rows),
        )
    return result


def current_run(election) -> PrintRun | None:
    return PrintRun.objects.filter(election=election).exclude(status=PrintRun.Status.SUPERSEDED).first()


def run_summary(run: PrintRun) -> dict:
    """The run's rows with the totals per TEC (district) and per contest, and the whole run."""
    rows = list(
        run.rows.select_related("contest", "unit", "unit__parent").order_by("contest_id", "unit__number")
    )
    tecs = {
        c.unit_id: c
        for c in Commission.objects.filter(
            election_id=run.election_id, kind=Commission.Kind.TEC, unit__isnull=False
        )
    }
    by_district: dict[tuple[int, int], dict] = {}
    by_contest: dict[int, dict] = {}
    for row in rows:
        district = row.unit.parent
        key = (row.contest_id, district.pk if district else 0)
        entry = by_district.setdefault(
            key,
            {
                "contest": row.contest,
                "district": district,
                "tec": tecs.get(district.pk) if district else None,
                "precincts": 0,
                "voters_on_list": 0,
                "reserve": 0,
                "total": 0,
            },
        )
        contest_entry = by_contest.setdefault(
            row.contest_id,
            {"contest": row.contest, "precincts": 0, "voters_on_list": 0, "reserve": 0, "total": 0},
        )
        for entry_ in (entry, contest_entry):
            entry_["precincts"] += 1
            entry_["voters_on_list"] += row.voters_on_list
            entry_["reserve"] += row.reserve
            entry_["total"] += row.total
    return {
        "rows": rows,
        "districts": list(by_district.values()),
        "contests": list(by_contest.values()),
        "total": sum(r.total for r in rows),
        "voters_on_list": sum(r.voters_on_list for r in rows),
        "reserve": sum(r.reserve for r in rows),
    }


def calendar_work(user, election) -> dict[int, list[tuple[str, str]]]:
    """Links on the calendar plan's rows: the print run (41), home voting and the precincts'
    voting day (44, 45)."""
    links: dict[int, list[tuple[str, str]]] = {}
    if not can(user, "polling.view", election):
        return links
    slug = election.slug
    number = plan.activity_number(election, "print")
    if number:
        run = current_run(election)
        label = (
            _("Print run of ballots: %(status)s") % {"status": run.get_status_display()}
            if run
            else _("Print run of ballots: not calculated yet")
        )
        links.setdefault(number, []).append((label, reverse("polling:print_run", args=[slug])))
    for what, label in (
        ("home", _("Voting out of the premises at the precincts")),
        ("day", _("The precincts' voting day: opening, turnout, incidents, closing")),
    ):
        number = plan.activity_number(election, what)
        if number:
            links.setdefault(number, []).append((label, reverse("polling:days", args=[slug])))
    return links
