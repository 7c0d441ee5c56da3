"""The precinct's voting day (seed 003 item 45: voting from 8:00 to 20:00).

* ``day_open`` — the PEC opens the polling station: the time, the members present, the empty
  ballot boxes shown to those present and sealed (refused without it), who watched;
* ``turnout_report`` — at each hour the CEC set, how many voters have received a ballot; never
  fewer than at the hour before, never more than the voters on the list; a correction gives its
  reason;
* ``incident_record`` — what happened, with its time (append-only: the log is what observers read);
* ``day_close`` — voting closed (not before the closing hour) with, per contest, the ballots
  issued in the premises and the unused ballots counted and cancelled.

Each is recorded by a member of the precinct's commission; none after its protocol is signed.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from elections.audit import audit_log
from voters.selectors import precinct_list_sizes

from .. import plan
from ..models import Incident, PrecinctDay, TurnoutReport
from ._common import (
    hours,
    local,
    members_of,
    not_in_future,
    pec_member,
    pec_of,
    refuse,
    require_not_frozen,
    turnout_times,
    voting_day,
)
from .home_voting import contests_at


def _on_voting_day(election, moment, what: str) -> None:
    day = voting_day(election)
    if day is not None and local(election, moment).date() != day:
        refuse(
            _("%(what)s: voting day is %(date)s.") % {"what": what, "date": day.strftime("%d.%m.%Y")},
            "not_voting_day",
        )


def _at(election, day: dt.date, hhmm: str) -> dt.datetime:
    hours, minutes = (int(x) for x in hhmm.split(":"))
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hours, minutes)), election.tz)


@transaction.atomic
def day_open(*, unit, actor, opened_at, member_ids, boxes_shown: bool, witnesses: str = "") -> PrecinctDay:
    """Open the precinct's voting day."""
    pec_member(actor, unit)
    election = unit.election
    require_not_frozen(election, unit)
    not_in_future(opened_at, _("when voting opened"))
    _on_voting_day(election, opened_at, _("The opening"))
    if PrecinctDay.objects.select_for_update().filter(election=election, unit=unit).exists():
        refuse(_("The voting day of this precinct has been opened already."), "opened")
    if not boxes_shown:
        refuse(
            _(
                "Before the first voter, the empty ballot boxes are shown to everyone present and sealed. "
                "Confirm that this was done."
            ),
            "boxes",
        )
    members = members_of(pec_of(unit), member_ids)
    if not members:
        refuse(_("Tick the members present at the opening."), "nobody")
    opens, _closes = hours(election)
    if opens is not None and local(election, opened_at).time() > opens and not witnesses.strip():
        # opened late: it happens, but the record must say why
        refuse(
            _("Voting opens at %(time)s. Say in the field on who was present why it opened late.")
            % {"time": opens.strftime("%H:%M")},
            "late_opening",
        )
    day = PrecinctDay(
        election=election,
        unit=unit,
        opened_at=opened_at,
        boxes_shown=True,
        witnesses=witnesses.strip(),
        opened_by=actor,
    )
    day.save()
    day.members_present.set(members)
    audit_log(
        action="polling.day.opened",
        actor=actor,
        obj=day,
        election=election,
        data={
            "precinct": unit.number,
            "opened_at": opened_at.isoformat(),
            "members": [m.pk for m in members],
            "witnesses": day.witnesses,
        },
    )
    return day


def _day(unit) -> PrecinctDay:
    day = PrecinctDay.objects.select_for_update().filter(election_id=unit.election_id, unit=unit).first()
    if day is None:
        refuse(_("Record the opening of the voting day first."), "not_open")
    return day


@transaction.atomic
def turnout_report(*, unit, actor, time: str, voters: int, correction_reason: str = "") -> TurnoutReport:
    """Report turnout at one of the CEC's hours."""
    pec_member(actor, unit)
    election = unit.election
    require_not_frozen(election, unit)
    day = _day(unit)
    times = turnout_times(election)
    if time not in times:
        refuse(_("Turnout is reported at %(times)s.") % {"times": ", ".join(times)}, "time")
    moment = _at(election, local(election, day.opened_at).date(), time)
    if moment > timezone.now():
        refuse(_("It is not %(time)s yet.") % {"time": time}, "future")
    if voters is None or voters < 0:
        refuse(_("Enter the number of voters who have received a ballot."), "voters")
    on_list = precinct_list_sizes(election, [unit]).get(unit.pk, 0)
    if voters > on_list:
        refuse(
            _("%(voters)s is more than the voters on the list (%(on_list)s).")
            % {"voters": voters, "on_list": on_list},
            "over_list",
        )
    earlier = TurnoutReport.objects.filter(day=day, time__lt=time).order_by("-time").first()
    later = TurnoutReport.objects.filter(day=day, time__gt=time).order_by("time").first()
    if earlier is not None and voters < earlier.voters:
        refuse(
            _("At %(time)s already %(voters)s voters had received a ballot: turnout does not go down.")
            % {"time": earlier.time, "voters": earlier.voters},
            "decreasing",
        )
    if later is not None and voters > later.voters:
        refuse(
            _("At %(time)s %(voters)s voters were reported: an earlier hour cannot have more.")
            % {"time": later.time, "voters": later.voters},
            "increasing",
        )
    existing = TurnoutReport.objects.filter(day=day, time=time).first()
    if existing is not None and not correction_reason.strip():
        refuse(
            _("Turnout at %(time)s has been reported (%(voters)s). To correct it, give the reason.")
            % {"time": time, "voters": existing.voters},
            "reported",
        )
    before = existing.voters if existing else None
    report = existing or TurnoutReport(day=day, time=time, reported_by=actor)
    report.voters = voters
    report.reported_at = timezone.now()
    report.reported_by = actor
    report.correction_reason = correction_reason.strip() if existing else ""
    report.save()
    audit_log(
        action="polling.turnout.corrected" if existing else "polling.turnout.reported",
        actor=actor,
        obj=day,
        election=election,
        data={
            "precinct": unit.number,
            "time": time,
            "voters": voters,
            "before": before,
            "reason": report.correction_reason,
        },
    )
    return report


@transaction.atomic
def incident_record(*, unit, actor, occurred_at, text: str) -> Incident:
    """Log an incident with its time; the log is append-only."""
    pec_member(actor, unit)
    election = unit.election
    require_not_frozen(election, unit)
    day = _day(unit)
    not_in_future(occurred_at, _("when it happened"))
    if (
        occurred_at < day.opened_at - dt.timedelta(hours=2)
        or local(election, occurred_at).date() != local(election, day.opened_at).date()
    ):
        refuse(_("An incident of the voting day happens on voting day."), "not_today")
    if not text.strip():
        refuse(_("Say what happened and what the commission did."), "text")
    incident = Incident(
        day=day,
        occurred_at=occurred_at,
        text=text.strip(),
        recorded_by=actor,
        recorded_by_name=actor.get_full_name() or actor.email,
    )
    incident.save()
    audit_log(
        action="polling.incident.recorded",
        actor=actor,
        obj=day,
        election=election,
        data={"precinct": unit.number, "occurred_at": occurred_at.isoformat(), "text": incident.text},
    )
    return incident


@transaction.atomic
def day_close(*, unit, actor, closed_at, counts: dict, note: str = "") -> PrecinctDay:
    """Close voting: per contest the ballots issued in the premises (the voters' signatures on the
    list) and the unused ballots counted and cancelled, those returned by the mobile box included."""
    pec_member(actor, unit)
    election = unit.election
    require_not_frozen(election, unit)
    day = _day(unit)
    if day.is_closed:
        refuse(_("Voting at this precinct has been closed already."), "closed")
    not_in_future(closed_at, _("when voting closed"))
    _on_voting_day(election, closed_at, _("The closing"))
    _opens, closes = hours(election)
    if closes is not None and local(election, closed_at).time() < closes:
        refuse(
            _("Voting closes at %(time)s; voters in the queue then still vote.")
            % {"time": closes.strftime("%H:%M")},
            "early",
        )
    cleaned = {}
    on_list = precinct_list_sizes(election, [unit]).get(unit.pk, 0)
    for contest in contests_at(unit):
        row = counts.get(str(contest.pk)) or counts.get(contest.pk) or {}
        values = {}
        for key in ("issued_premises", "cancelled"):
            raw = row.get(key)
            if raw in (None, ""):
                refuse(
                    _(
                        "%(contest)s: enter the ballots issued in the premises and the unused ballots cancelled."
                    )
                    % {"contest": contest.title},
                    "missing",
                )
            try:
                values[key] = int(raw)
            except (TypeError, ValueError):
                refuse(_("Enter whole numbers of ballots."), "not_a_number")
            if values[key] < 0:
                refuse(_("Numbers of ballots cannot be negative."), "negative")
        if values["issued_premises"] > on_list:
            refuse(
                _("%(contest)s: %(issued)s ballots issued, more than the voters on the list (%(on_list)s).")
                % {"contest": contest.title, "issued": values["issued_premises"], "on_list": on_list},
                "over_list",
            )
        cleaned[str(contest.pk)] = values
    day.closed_at = closed_at
    day.closing = cleaned
    day.closing_note = note.strip()
    day.closed_by = actor
    day.save()
    audit_log(
        action="polling.day.closed",
        actor=actor,
        obj=day,
        election=election,
        data={
            "precinct": unit.number,
            "closed_at": closed_at.isoformat(),
            "counts": cleaned,
            "note": day.closing_note,
        },
    )
    _day_fulfil(election, closed_at)
    return day


def _day_fulfil(election, when) -> None:
    """Item 45 is done once every precinct with a commission has closed its voting day."""
    from groups.models import Commission

    units = set(
        Commission.objects.filter(
            election=election, kind=Commission.Kind.PEC, unit__isnull=False
        ).values_list("unit_id", flat=True)
    )
    closed = set(
        PrecinctDay.objects.filter(election=election, closed_at__isnull=False).values_list(
            "unit_id", flat=True
        )
    )
    if units and units <= closed:
        plan.complete(election, "day", _("Every precinct has closed its voting day."), when)
