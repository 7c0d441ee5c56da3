"""Reminders to the verifying commission about undecided applications: 3 and 1 days before the
last day of the decision deadline, on that day, and once it is overdue (seed 003 item 20,
"within 7 days from acceptance"). Sent by the one engine, ``elections.reminders``: each
(application, member, kind) is recorded once, with its notice and its mail."""

from __future__ import annotations

import datetime as dt
import logging

from django.urls import reverse
from django.utils import timezone

from elections.models import Election
from elections.notify import absolute, render_mail
from elections.reminders import OVERDUE_LOOKBACK, due_kind, send_once
from groups.models import CommissionMember

from ..models import Application, DecisionReminder

logger = logging.getLogger(__name__)

#: kind -> days left before the last day; checked from the nearest
THRESHOLDS = [("d0", 0), ("d1", 1), ("d3", 3)]
ACTIVE_STATES = [s for s in Election.State.values if s not in (Election.State.DRAFT, Election.State.ARCHIVED)]


def reminder_kind(application: Application, now: dt.datetime) -> str | None:
    """Which reminder is due now. The last day is the local day before the due instant."""
    if not application.is_undecided:
        return None
    return due_kind(application.decision_due_at, now, application.election.tz, THRESHOLDS, OVERDUE_LOOKBACK)


def _texts(application: Application, kind: str, language: str) -> tuple[str, str]:
    election = application.election
    return render_mail(
        app="candidates",
        language=language,
        template="decision_reminder",
        time_zone=election.tz,
        context={
            "application": application,
            "kind": kind,
            "election_title": lambda: election.title,
            "contest_name": lambda: application.contest_name,
            "commission_name": lambda: application.commission.name,
            "due": application.decision_due_at,
            "link": lambda: absolute(reverse("candidates:application", args=[election.slug, application.pk])),
        },
    )


def _send_one(application: Application, user, kind: str) -> bool:
    def record() -> bool:
        return DecisionReminder.objects.get_or_create(application=application, user=user, kind=kind)[1]

    return send_once(
        record=record,
        user=user,
        election=application.election,
        texts=lambda language: _texts(application, kind, language),
        notification_kind=f"candidates.reminder.{kind}",
        mail_kind=f"candidates.decision_reminder.{kind}",
        url=reverse("candidates:application", args=[application.election.slug, application.pk]),
    )


def send_decision_reminders(now: dt.datetime | None = None) -> int:
    """Queue every reminder due now; returns the number of mails queued."""
    now = now or timezone.now()
    applications = (
        Application.objects.filter(
            status__in=Application.UNDECIDED,
            decision_due_at__isnull=False,
            decision_due_at__gte=now - OVERDUE_LOOKBACK,
            decision_due_at__lte=now + dt.timedelta(days=5),
            election__state__in=ACTIVE_STATES,
        )
        .select_related("election", "commission", "group", "unit")
        .order_by("decision_due_at", "pk")
    )
    sent = 0
    for application in applications:
        kind = reminder_kind(application, now)
        if kind is None:
            continue
        members = CommissionMember.objects.filter(
            commission=application.commission, is_active=True, user__is_active=True
        ).select_related("user")
        for member in members:
            sent += _send_one(application, member.user, kind)
    if sent:
        logger.info("candidate decision reminders sent: %s", sent)
    return sent
