"""Voting links through the outbox: a resend completes or changes nothing and never waits on the
broker; a reminder round counts as sent only what the mail server took."""

import datetime as dt
import re

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from electionportal.celery import app
from elections import tasks as election_tasks
from elections.models import AuditEntry, OutboxMail
from tests.outbox import send_outbox
from voters import selectors, services
from voters.models import CredentialMail, VotingCredential

from .factories import registration

pytestmark = pytest.mark.django_db


def _token(mail) -> str:
    return re.search(r"/invitation/([^/\s]+)/", mail.body).group(1)


@pytest.fixture
def invited(ccm, mailoutbox):
    for i in range(4):
        registration(ccm["group_a"], email=f"v{i}@example.org", name=f"Избиратель {i}", decided="accept")
    services.credentials_issue(election=ccm["election"], actor=None)
    send_outbox()
    tokens = {m.to[0]: _token(m) for m in mailoutbox if "/invitation/" in m.body}
    assert len(tokens) == 4
    mailoutbox.clear()
    return dict(ccm, tokens=tokens)


def _smtp_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("[Errno 111] Connection refused")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)


def test_a_resend_that_fails_changes_nothing_and_the_old_link_keeps_working(invited, monkeypatch):
    election = invited["election"]
    credential = VotingCredential.objects.get(email="v0@example.org")
    from voters.services import credentials as credential_services

    def broken(**kwargs):
        raise RuntimeError("rendering failed")

    monkeypatch.setattr(credential_services, "notify", broken)
    with pytest.raises(RuntimeError):
        services.credential_resend(credential=credential, actor=None)
    credential.refresh_from_db()
    assert credential.resend_count == 0
    assert selectors.credential_for_token(election, invited["tokens"]["v0@example.org"]).pk == credential.pk
    assert not CredentialMail.objects.filter(kind="resend").exists()
    assert not OutboxMail.objects.filter(kind="voters.credential_resend").exists()
    assert not AuditEntry.objects.filter(action="voters.credential.resent").exists()


def test_a_resend_with_the_broker_down_completes_and_its_mail_leaves_with_the_next_run(
    invited, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    election = invited["election"]
    credential = VotingCredential.objects.get(email="v1@example.org")

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(election_tasks.outbox_kick, "apply_async", broker_down)
    app.conf.task_always_eager = False
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.credential_resend(credential=credential, actor=None)  # no error, no wait
    finally:
        app.conf.task_always_eager = True
    assert selectors.credential_for_token(election, invited["tokens"]["v1@example.org"]) is None
    waiting = OutboxMail.objects.get(kind="voters.credential_resend")
    assert waiting.status == OutboxMail.Status.PENDING and waiting.to == "v1@example.org"
    assert mailoutbox == []
    election_tasks.outbox_drain.apply()  # the minute's beat run
    assert [m.to for m in mailoutbox] == [["v1@example.org"]]
    assert selectors.credential_for_token(election, _token(mailoutbox[0])).pk == credential.pk


def test_a_reminder_round_counts_as_sent_only_what_the_mail_server_took(
    client, invited, mailoutbox, monkeypatch
):
    election = invited["election"]
    services.credential_mark_used(
        selectors.credential_for_token(election, invited["tokens"]["v3@example.org"])
    )
    _smtp_down(monkeypatch)
    assert services.credential_reminders_send(election=election, actor=None) == {"round": 1, "queued": 3}
    send_outbox()
    assert mailoutbox == []
    audit = AuditEntry.objects.get(action="voters.credential.reminders_queued")
    assert audit.data == {"round": 1, "queued": 3}  # queued, not "sent"
    [round_1] = selectors.reminder_rounds(election)
    assert (round_1["queued"], round_1["sent"], round_1["waiting"]) == (3, 0, 3)
    client.force_login(invited["users"]["secretariat"])
    page = client.get(reverse("voters:credentials", args=[election.slug])).content.decode()
    row = re.search(r'<tr data-round="1">(.*?)</tr>', page, re.S).group(1)
    assert re.search(r'data-count="queued">3<', row) and re.search(r'data-count="sent">0<', row)
    assert re.search(r'data-count="waiting">3<', page)

    monkeypatch.undo()  # the mail server is back
    with freeze_time(timezone.now() + dt.timedelta(minutes=2)):
        send_outbox()
    assert sorted(m.to[0] for m in mailoutbox) == ["v0@example.org", "v1@example.org", "v2@example.org"]
    [round_1] = selectors.reminder_rounds(election)
    assert (round_1["queued"], round_1["sent"], round_1["waiting"]) == (3, 3, 0)
    page = client.get(reverse("voters:credentials", args=[election.slug])).content.decode()
    row = re.search(r'<tr data-round="1">(.*?)</tr>', page, re.S).group(1)
    assert re.search(r'data-count="sent">3<', row)
    # each reminder's link works; the invitation's no longer does
    for mail in mailoutbox:
        assert selectors.credential_for_token(election, _token(mail)) is not None
        assert selectors.credential_for_token(election, invited["tokens"][mail.to[0]]) is None


def test_the_invitation_count_is_what_the_mail_server_took(invited, monkeypatch):
    election = invited["election"]
    assert selectors.credential_counts(election)["sent"] == 4
    registration(invited["group_a"], email="late@example.org", name="Поздний", decided="accept")
    _smtp_down(monkeypatch)
    services.credentials_issue(election=election, actor=None)
    send_outbox()
    counts = selectors.credential_counts(election)
    assert counts["issued"] == 5 and counts["sent"] == 4 and counts["waiting"] == 1


def test_the_beat_reminder_run_records_what_it_queued(invited):
    from ballots.models import VoterReminderRun
    from ballots.reminders import run_due_reminders
    from ballots.selectors import voting_settings

    election = invited["election"]
    settings_row = voting_settings(election)
    at = timezone.now() - dt.timedelta(minutes=1)
    settings_row.reminder_times = [at.isoformat()]
    settings_row.save()
    election.state = election.State.VOTING
    election.save(update_fields=["state"])
    assert run_due_reminders() == 4
    run = VoterReminderRun.objects.get()
    assert run.queued == 4 and run.round == 1
    assert run_due_reminders() == 0
