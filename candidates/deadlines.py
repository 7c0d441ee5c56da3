"""The candidates' dates, all taken from the election's calendar plan (``CandidacySettings``
names the activities): the application window, the decision deadline of each application, the
last day to withdraw or cancel, and the approval of the ballot.

"Inside the window" means ``starts_at <= now < due_at`` of the window activity by the server
clock; no calendar, no chosen activity or no dates means applications are closed, with a message
that says why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from elections.models import CalendarActivity
from elections.selectors import calendar_of, case_due


def _local(election, value: dt.datetime) -> str:
    local = formats.date_format(value.astimezone(election.tz), "DATETIME_FORMAT")
    return f"{local} ({election.time_zone})"


def activity_of(election, number: int | None) -> CalendarActivity | None:
    if number is None:
        return None
    return CalendarActivity.objects.filter(calendar__election=election, number=number).first()


@dataclass
class Window:
    """When applications are accepted; ``problem`` says why there is no window."""

    election: object
    number: int | None = None
    title: str = ""
    opens_at: dt.datetime | None = None
    closes_at: dt.datetime | None = None
    problem: str = ""

    def is_open(self, now: dt.datetime) -> bool:
        return not self.problem and self.opens_at <= now < self.closes_at

    @property
    def state(self) -> str:
        """For pages: ``none`` (no window), ``before``, ``open`` or ``closed`` by the server clock."""
        if self.problem:
            return "none"
        now = timezone.now()
        if now < self.opens_at:
            return "before"
        return "open" if now < self.closes_at else "closed"

    def refusal(self, now: dt.datetime) -> str | None:
        """None when open, else the message the applicant reads."""
        if self.problem:
            return self.problem
        if now < self.opens_at:
            return _(
                "Applications are not accepted yet: they open on %(opens)s (activity № %(number)s of "
                "the calendar plan). Nothing was stored."
            ) % {"opens": _local(self.election, self.opens_at), "number": self.number}
        if now >= self.closes_at:
            return _(
                "Applications are no longer accepted: the window closed on %(closes)s (activity "
                "№ %(number)s of the calendar plan). Nothing was stored."
            ) % {"closes": _local(self.election, self.closes_at), "number": self.number}
        return None


def application_window(election, settings, nomination: str) -> Window:
    """The window of ``nomination`` (party lists may have their own, e.g. seed 003 item 16)."""
    number = settings.window_activity
    if nomination == "party_list" and settings.party_list_window_activity:
        number = settings.party_list_window_activity
    window = Window(election=election, number=number)
    if calendar_of(election) is None:
        window.problem = _(
            "Applications are closed: the election has no calendar plan yet, so there is no "
            "application window."
        )
        return window
    if number is None:
        window.problem = _(
            "Applications are closed: the secretariat has not chosen which activity of the calendar "
            "plan is the application window."
        )
        return window
    activity = activity_of(election, number)
    if activity is None:
        window.problem = _("Applications are closed: activity № %(number)s is not in the calendar plan.") % {
            "number": number
        }
        return window
    window.title = activity.title
    opens_at = activity.starts_at
    if opens_at is None and settings.window_opens_activity:
        opening = activity_of(election, settings.window_opens_activity)
        opens_at = opening.starts_at if opening is not None else None
    if opens_at is None or activity.due_at is None:
        window.problem = _(
            "Applications are closed: the application window (activity № %(number)s) has no dates "
            "in the calendar plan."
        ) % {"number": number}
        return window
    window.opens_at, window.closes_at = opens_at, activity.due_at
    return window


@dataclass
class Deadline:
    """The last instant of something (``due_at``: it is refused from that instant on)."""

    election: object
    due_at: dt.datetime | None
    number: int | None = None

    def has_passed(self, now: dt.datetime) -> bool:
        return self.due_at is not None and now >= self.due_at

    @property
    def label(self) -> str:
        if self.due_at is None:
            return ""
        return _local(self.election, self.due_at)


def _deadline(election, number: int | None) -> Deadline:
    """The deadline of activity ``number``; without one, the opening of voting."""
    activity = activity_of(election, number)
    if activity is not None and activity.due_at is not None:
        return Deadline(election, activity.due_at, number)
    return Deadline(election, election.voting_starts_at, None)


def withdrawal_deadline(election, settings) -> Deadline:
    """Seed 003 item 25: not later than 2 days before voting."""
    return _deadline(election, settings.withdrawal_activity)


def cancellation_deadline(election, settings) -> Deadline:
    """Seed 003 item 26: not later than 2 days before voting."""
    return _deadline(election, settings.cancellation_activity)


def ballot_approved_at(election, settings) -> dt.datetime | None:
    """When the ballot text is fixed: the approval activity (seed 003 item 39) when it is done or
    due, whichever is earlier; without one, when voting opens."""
    activity = activity_of(election, settings.ballot_approval_activity)
    if activity is not None:
        moments = [m for m in (activity.completed_at, activity.due_at) if m is not None]
        if moments:
            return min(moments)
    return election.voting_starts_at


def decision_due(election, settings, received_at: dt.datetime) -> dt.datetime | None:
    """When the commission must decide an application received at ``received_at``: the
    calendar's per-case rule (seed 003 item 20, 7 days from acceptance), else the deadline of the
    decision activity (seed 000 item 16)."""
    if settings.decision_case_kind:
        due = case_due(election, settings.decision_case_kind, received_at)
        if due is not None:
            return due
    activity = activity_of(election, settings.decision_activity)
    return activity.due_at if activity is not None else None
