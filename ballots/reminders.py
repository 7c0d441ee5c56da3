"""Reminders to voters who have not voted, at the times set per election. Each (election, time)
runs once (unique record) and starts one reminder round of the voters app, in the same
transaction (its mails are recorded in the outbox): the run counts what it *queued*; how many
the mail server took is read from the outbox (``voters.selectors.reminder_rounds``)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from elections.models import Election
from voters import services as voter_services

from .models import VoterReminderRun, VotingSettings


def run_due_reminders(now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    queued = 0
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
                    result = _remind(settings_row.election)
                    run.queued, run.round = result["queued"], result["round"]
                    run.save(update_fields=["queued", "round"])
                    queued += run.queued
            except IntegrityError:
                continue  # this time was handled already
    return queued


def _remind(election: Election) -> dict:

    return voter_services.credential_reminders_send(election=election, actor=None)
