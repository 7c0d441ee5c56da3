"""Calendar reminders: 7, 3 and 1 days before and on the due day to the responsible users, and an
overdue notice to them and the secretariat. Sent by the one engine, ``elections.reminders``:
each (activity, user, kind) is recorded once, with its notice and its mail."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from ..models import CalendarActivity, CalendarReminder, Election
from ..reminders import OVERDUE_LOOKBACK, due_kind, send_once
from ..responsibility import responsible_users, secretariat_users

logger = logging.getLogger(__name__)

#: kind -> days left before the last day; checked from the nearest
THRESHOLDS = [("d0", 0), ("d1", 1), ("d3", 3), ("d7", 7)]
ACTIVE_STATES = [s for s in Election.State.values if s not in (Election.State.DRAFT, Election.State.ARCHIVED)]


def reminder_kind(activity: CalendarActivity, now: dt.datetime) -> str | None:
    """Which reminder is due now. The last day is the local day before the due instant."""
    if activity.completed_at or activity.is_not_applicable:
        return None
    return due_kind(activity.due_at, now, activity.calendar.election.tz, THRESHOLDS, OVERDUE_LOOKBACK)


def _texts(activity: CalendarActivity, kind: str, language: str) -> tuple[str, str]:
    election = activity.calendar.election
    with translation.override(language), timezone.override(election.tz):
        due = formats.date_format(timezone.localtime(activity.due_at), "DATETIME_FORMAT")
        lead = {
            "d7": _("7 days left"),
            "d3": _("3 days left"),
            "d1": _("1 day left"),
            "d0": _("today is the last day"),
            "overdue": _("the deadline has passed"),
        }[kind]
        subject = _("Calendar plan, activity %(number)s: %(lead)s") % {
            "number": activity.number,
            "lead": lead,
        }
        body = "\n".join(
            [
                str(election.title),
                "",
                f"{activity.number}. {activity.title}",
                _("Deadline: %(due)s (the activity is overdue from this moment).") % {"due": due},
                _("Responsible: %(who)s") % {"who": activity.responsible},
                "",
                _("Mark it as done in the portal's calendar:")
                + f" {settings.SITE_URL}"
                + reverse("elections:calendar", args=[election.slug]),
            ]
        )
    return subject, body


def _send_one(activity: CalendarActivity, user, kind: str) -> bool:
    def record() -> bool:
        return CalendarReminder.objects.get_or_create(activity=activity, user=user, kind=kind)[1]

    election = activity.calendar.election
    return send_once(
        record=record,
        user=user,
        election=election,
        texts=lambda language: _texts(activity, kind, language),
        notification_kind=f"calendar.reminder.{kind}",
        mail_kind=f"elections.calendar_reminder.{kind}",
        url=reverse("elections:calendar", args=[election.slug]),
    )


def send_calendar_reminders(now: dt.datetime | None = None) -> int:
    """Queue every reminder that is due now; returns the number of mails queued."""
    now = now or timezone.now()
    activities = (
        CalendarActivity.objects.filter(
            completed_at__isnull=True,
            is_not_applicable=False,
            due_at__isnull=False,
            due_at__gte=now - OVERDUE_LOOKBACK,
            due_at__lte=now + dt.timedelta(days=9),
            calendar__election__state__in=ACTIVE_STATES,
        )
        .select_related("calendar__election")
        .order_by("due_at", "pk")
    )
    sent = 0
    for activity in activities:
        kind = reminder_kind(activity, now)
        if kind is None:
            continue
        election = activity.calendar.election
        recipients = {u.pk: u for u in responsible_users(election, activity.responsible_roles)}
        if kind == "overdue":
            recipients.update({u.pk: u for u in secretariat_users(election)})
        for user in recipients.values():
            sent += _send_one(activity, user, kind)
    if sent:
        logger.info("calendar reminders queued: %s", sent)
    return sent
