"""Reminders to voters who have not voted, at the times set per election. Each (election, time)
runs once (unique record); the mails themselves are the voters app's idempotent reminders."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from elections.models import Election

from .models import VoterReminderRun, VotingSettings


def run_due_reminders(now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    sent = 0
    for settings_row in VotingSettings.objects.filter(election__state=Election.State.VOTING).select_related(
        "election"
    ):
        for value in settings_row.reminder_times:
            try:
                at = dt.datetime.fromisoformat(value)
            except ValueError:
                continue
            if at.tzinfo is None:
                at = at.replace(tzinfo=settings_row.election.tz)
            if at > now or (
                settings_row.election.voting_ends_at and at >= settings_row.election.voting_ends_at
            ):
                continue
            try:
                with transaction.atomic():
                    run = VoterReminderRun.objects.create(election=settings_row.election, scheduled_for=value)
                    run.sent = _remind(settings_row.election)
                    run.save(update_fields=["sent"])
                    sent += run.sent
            except IntegrityError:
                continue  # this time was handled already
    return sent


def _remind(election: Election) -> int:
    from voters import services as voter_services

    return voter_services.credential_reminders_send(election=election, actor=None)["queued"]
