"""The reminder the day before a meeting: each invited person of a planned meeting that starts
within ``REMIND_BEFORE`` gets one notice in the portal and one mail in their language, through the
one reminder engine (``elections.reminders.send_once``); ``Participant.reminded_at`` records it, so
a second run sends nothing twice."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from elections.notify import absolute, render_mail
from elections.reminders import send_once

from .models import Meeting, Participant

REMIND_BEFORE = dt.timedelta(hours=24)


def _texts(meeting: Meeting, language: str) -> tuple[str, str]:
    election = meeting.election
    return render_mail(
        app="meetings",
        template="reminder",
        language=language,
        time_zone=election.tz,
        context={
            "meeting": meeting,
            "election_title": lambda: election.title,
            "body": lambda: meeting.body_name,
            "time_zone": election.time_zone,
            "items": [item.title for item in meeting.items.all()],
            "page_link": absolute(reverse("meetings:detail", args=[election.slug, meeting.pk])),
            "ics_link": absolute(reverse("meetings:ics", args=[election.slug, meeting.pk])),
        },
    )


def send_meeting_reminders(now: dt.datetime | None = None) -> int:
    """Remind the invited of the meetings starting within a day; returns how many were queued."""
    now = now or timezone.now()
    sent = 0
    participants = Participant.objects.filter(
        reminded_at__isnull=True,
        meeting__status=Meeting.Status.PLANNED,
        meeting__starts_at__gt=now,
        meeting__starts_at__lte=now + REMIND_BEFORE,
    ).select_related("meeting__election", "meeting__commission", "user")
    for participant in participants:
        meeting = participant.meeting

        def record(pk=participant.pk) -> bool:
            return Participant.objects.filter(pk=pk, reminded_at__isnull=True).update(reminded_at=now) == 1

        sent += send_once(
            record=record,
            user=participant.user,
            election=meeting.election,
            texts=lambda language, meeting=meeting: _texts(meeting, language),
            notification_kind="meeting_reminder",
            mail_kind="meetings.reminder",
            url=reverse("meetings:detail", args=[meeting.election.slug, meeting.pk]),
        )
    return sent
