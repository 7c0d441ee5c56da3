"""What the polling services share: the refusal, who acts for which commission, the voting day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import refuse_observers, require
from groups.models import Commission, CommissionMember, TerritorialUnit
from groups.selectors import is_cec_or_secretariat

from ..models import PollingSettings


class PollingRefused(ValidationError):
    """A step of the ballots' or the voting day's records was refused; ``code`` says why."""


def refuse(message, code):
    raise PollingRefused(message, code=code)


#: callables ``(election, unit) -> str | None``: a reason the precinct's day records may no longer
#: change (registered by ``protocols``: its protocol is signed)
FROZEN_BY: list[Callable] = []


def require_not_frozen(election, unit) -> None:
    for guard in FROZEN_BY:
        reason = guard(election, unit)
        if reason:
            refuse(reason, "frozen")


def settings_for(election) -> PollingSettings:
    found = PollingSettings.objects.filter(election=election).first()
    return found or PollingSettings(election=election)


def pec_of(unit: TerritorialUnit) -> Commission:
    if unit.kind != TerritorialUnit.Kind.PRECINCT:
        refuse(_("Choose a precinct."), "not_precinct")
    pec = Commission.objects.filter(election_id=unit.election_id, kind=Commission.Kind.PEC, unit=unit).first()
    if pec is None:
        refuse(_("The precinct has no precinct commission."), "no_pec")
    return pec


def pec_member(actor, unit: TerritorialUnit) -> CommissionMember:
    """The actor's active seat on the precinct's commission: only its members record its day."""
    pec = pec_of(unit)
    require(actor, "polling.record", pec)
    refuse_observers(actor, pec.election)
    member = CommissionMember.objects.filter(commission=pec, user=actor, is_active=True).first()
    if member is None:
        refuse(_("Only a member of the precinct commission records its voting day."), "not_member")
    return member


def cec_or_secretariat(actor, election) -> None:
    """The election's norms and print run are the central commission's (or the secretariat's)."""
    if actor is None:
        return
    require(actor, "polling.manage", election)
    refuse_observers(actor, election)
    if not is_cec_or_secretariat(actor, election):
        refuse(_("Only the central commission or the secretariat does this."), "not_cec")


def voting_day(election) -> dt.date | None:
    if election.voting_starts_at is None:
        return None
    return timezone.localtime(election.voting_starts_at, election.tz).date()


def local(election, moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment, election.tz)


def not_in_future(moment, what: str) -> None:
    if moment is None:
        refuse(_("Give the date and time: %(what)s.") % {"what": what}, "no_time")
    if moment > timezone.now():
        refuse(_("The time cannot be in the future: %(what)s.") % {"what": what}, "future")


def members_of(commission: Commission, ids) -> list[CommissionMember]:
    ids = [int(i) for i in ids or []]
    members = list(CommissionMember.objects.filter(commission=commission, is_active=True, pk__in=ids))
    if len(members) != len(set(ids)):
        refuse(_("Choose members of this commission."), "not_members")
    return members


def hours(election) -> tuple[dt.time | None, dt.time | None]:
    """When voting opens and closes on voting day, in the election's time zone (the election's
    own times: the one source)."""
    opens = local(election, election.voting_starts_at).time() if election.voting_starts_at else None
    closes = local(election, election.voting_ends_at).time() if election.voting_ends_at else None
    return opens, closes


def turnout_times(election) -> list[str]:
    """The hours at which precincts report turnout: the CEC's, or every two hours after voting
    opens and at the closing."""
    stored = settings_for(election).turnout_times
    if stored:
        return list(stored)
    opens, closes = hours(election)
    if opens is None or closes is None:
        return []
    times, hour = [], opens.hour + 2
    while (hour, opens.minute) < (closes.hour, closes.minute):
        times.append(f"{hour:02d}:{opens.minute:02d}")
        hour += 2
    times.append(closes.strftime("%H:%M"))
    return times
