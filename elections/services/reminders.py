"""Calendar reminders: 7, 3 and 1 days before and on the due day to the responsible users, and an
overdue notice to them and the secretariat. Idempotent: each (activity, user, kind) is recorded
under a unique constraint in the transaction that records its mail in the outbox, so a second
run or a retried task queues nothing twice, and the outbox sends it once (``elections/outbox.py``)."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from ..models import CalendarActivity, CalendarReminder, Election, Notification
from ..outbox import mail_enqueue
from ..responsibility import responsible_users, secretariat_users

logger = logging.getLogger(__name__)

#: kind -> days left before the last day; checked from the nearest
THRESHOLDS = [("d0", 0), ("d1", 1), ("d3", 3), ("d7", 7)]
#: overdue notices are sent for activities that became overdue at most this long ago
OVERDUE_LOOKBACK = dt.timedelta(days=30)
ACTIVE_STATES = [s for s in Election.State.values if s not in (Election.State.DRAFT, Election.State.ARCHIVED)]


def reminder_kind(activity: CalendarActivity, now: dt.datetime) -> str | None:
    """Which reminder is due now. The last day is the local day before the due instant."""
    if activity.due_at is None or activity.completed_at or activity.is_not_applicable:
        return None
    if now >= activity.due_at:
        return "overdue" if now - activity.due_at <= OVERDUE_LOOKBACK else None
    tz = activity.calendar.election.tz
    last_day = (activity.due_at - dt.timedelta(microseconds=1)).astimezone(tz).date()
    days_left = (last_day - now.astimezone(tz).date()).days
    for kind, n in THRESHOLDS:
        if days_left <= n:
            return kind
    return None


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
    try:
        with transaction.atomic():
            _, created = CalendarReminder.objects.get_or_create(activity=activity, user=user, kind=kind)
            if not created:
                return False
            ru_subject, ru_body = _texts(activity, kind, "ru")
            en_subject, en_body = _texts(activity, kind, "en")
            Notification.objects.create(
                user=user,
                election=activity.calendar.election,
                kind=f"calendar.reminder.{kind}",
                title_ru=ru_subject,
                title_en=en_subject,
                body_ru=ru_body,
                body_en=en_body,
                url=reverse("elections:calendar", args=[activity.calendar.election.slug]),
            )
            subject, body = (en_subject, en_body) if user.language == "en" else (ru_subject, ru_body)
            mail_enqueue(
                to=user.email,
                subject=subject,
                body=body,
                kind=f"elections.calendar_reminder.{kind}",
                election=activity.calendar.election,
            )
            return True
    except IntegrityError:  # a concurrent run recorded it first
        return False


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
