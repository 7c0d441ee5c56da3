"""The outbox (elections/outbox.py): a mail or task recorded with its change is carried out once
after the commit, retried while the mail server refuses, and never lost to a broker outage."""

import datetime as dt
import smtplib

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from accounts.models import Role
from electionportal.celery import app
from elections import outbox
from elections.models import AuditEntry, OutboxMail, OutboxTask
from tests.factories import user_with_role
from tests.outbox import send_outbox

pytestmark = pytest.mark.django_db

CALLS: list = []


@app.task(name="tests.outbox.flaky")
def flaky(label: str) -> None:
    """Queues a mail, then fails the first time: the mail must not survive the failure."""
    outbox.mail_enqueue(to=f"{label}@example.org", subject="From a task", body="text", kind="tests.flaky")
    CALLS.append(label)
    if CALLS.count(label) == 1:
        raise RuntimeError("the task failed after queueing its mail")


def _later(minutes: int):
    return freeze_time(timezone.now() + dt.timedelta(minutes=minutes))


def test_a_mail_is_sent_after_the_commit_and_nothing_when_the_change_rolls_back(
    mailoutbox, django_capture_on_commit_callbacks
):
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.mail_enqueue(to="a@example.org", subject="A", body="rolled back", kind="tests.a")
        raise RuntimeError("the change failed")
    assert not OutboxMail.objects.exists()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        outbox.mail_enqueue(to="b@example.org", subject="B", body="kept", kind="tests.b")
        assert mailoutbox == []  # nothing leaves before the commit
    assert [(m.to, m.subject, m.body) for m in mailoutbox] == [(["b@example.org"], "B", "kept")]
    row = OutboxMail.objects.get()
    assert row.status == OutboxMail.Status.DONE and row.sent_at and row.attempts == 1
    assert row.body == ""  # erased once sent: it may hold a single-use link


def test_a_refused_mail_is_retried_with_backoff_and_sent_exactly_once(mailoutbox, monkeypatch, settings):
    settings.OUTBOX_RETRY_SECONDS = 30
    outbox.mail_enqueue(to="c@example.org", subject="C", body="body", kind="tests.c")
    monkeypatch.setattr(
        EmailBackend,
        "send_messages",
        lambda *a, **k: (_ for _ in ()).throw(smtplib.SMTPServerDisconnected("down")),
    )
    assert send_outbox()["failed"] == 1
    assert send_outbox()["failed"] == 0  # not due again before its backoff
    row = OutboxMail.objects.get()
    assert row.status == OutboxMail.Status.PENDING and row.attempts == 1 and "down" in row.last_error
    assert dt.timedelta(seconds=29) < row.next_attempt_at - timezone.now() <= dt.timedelta(seconds=30)
    with _later(1):
        assert send_outbox()["failed"] == 1  # the server still refuses: the wait doubles
        row.refresh_from_db()
        assert row.attempts == 2 and row.next_attempt_at - timezone.now() == dt.timedelta(seconds=60)
    monkeypatch.undo()
    with _later(5):
        assert send_outbox()["sent"] == 1
        assert send_outbox()["sent"] == 0
    assert [m.to for m in mailoutbox] == [["c@example.org"]]
    row.refresh_from_db()
    assert row.status == OutboxMail.Status.DONE and row.attempts == 3 and row.last_error == ""


def test_the_backoff_doubles_up_to_its_cap(settings):
    settings.OUTBOX_RETRY_SECONDS = 30
    settings.OUTBOX_RETRY_MAX_SECONDS = 600
    assert [outbox.backoff(n).total_seconds() for n in (1, 2, 3, 5, 10)] == [30, 60, 120, 480, 600]


def test_an_address_the_server_refuses_does_not_hold_up_the_others(mailoutbox, monkeypatch):
    outbox.mail_enqueue(to="bad@example.org", subject="1", body="x", kind="tests.r")
    outbox.mail_enqueue(to="good@example.org", subject="2", body="y", kind="tests.r")
    real = EmailBackend.send_messages

    def refuse_bad(self, messages):
        if messages[0].to == ["bad@example.org"]:
            raise smtplib.SMTPRecipientsRefused({"bad@example.org": (550, b"no such user")})
        return real(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse_bad)
    assert send_outbox() == {"tasks": 0, "tasks_failed": 0, "sent": 1, "failed": 1}
    assert [m.to for m in mailoutbox] == [["good@example.org"]]


def test_the_same_key_is_queued_once():
    assert outbox.mail_enqueue(to="d@example.org", subject="D", body="1", kind="tests.d", key="k:1")
    assert outbox.mail_enqueue(to="d@example.org", subject="D", body="2", kind="tests.d", key="k:1") is None
    assert OutboxMail.objects.count() == 1


def test_a_newer_link_cancels_the_waiting_older_mail(mailoutbox):
    outbox.mail_enqueue(to="e@example.org", subject="old", body="old link", kind="tests.e", topic="link:1")
    outbox.mail_enqueue(to="e@example.org", subject="new", body="new link", kind="tests.e", topic="link:1")
    send_outbox()
    assert [m.subject for m in mailoutbox] == ["new"]
    assert OutboxMail.objects.get(subject="old").status == OutboxMail.Status.CANCELLED


def test_a_task_and_the_mails_it_queues_commit_together(mailoutbox):
    CALLS.clear()
    outbox.task_enqueue("tests.outbox.flaky", "t1")
    assert send_outbox()["tasks_failed"] == 1
    task = OutboxTask.objects.get()
    assert task.status == OutboxTask.Status.PENDING and "failed after queueing" in task.last_error
    assert not OutboxMail.objects.exists() and mailoutbox == []  # rolled back with the failure
    with _later(5):
        assert send_outbox() == {"tasks": 1, "tasks_failed": 0, "sent": 1, "failed": 0}
        assert send_outbox()["tasks"] == 0  # done: never run again
    task.refresh_from_db()
    assert task.status == OutboxTask.Status.DONE and task.attempts == 2
    assert [m.to for m in mailoutbox] == [["t1@example.org"]]


def test_a_broker_outage_at_the_commit_loses_nothing(
    mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    """With a broker (not eager), a kick that cannot be queued is dropped quietly; the minute's
    beat run sends the mail."""
    from elections import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("Error 111 connecting to 127.0.0.1:6379")

    monkeypatch.setattr(tasks.outbox_kick, "apply_async", broker_down)
    app.conf.task_always_eager = False
    try:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            outbox.mail_enqueue(to="f@example.org", subject="F", body="x", kind="tests.f")
    finally:
        app.conf.task_always_eager = True
    assert mailoutbox == [] and OutboxMail.objects.get().status == OutboxMail.Status.PENDING
    tasks.outbox_drain.apply()  # the beat task
    assert [m.to for m in mailoutbox] == [["f@example.org"]]


def test_the_beat_runs_the_outbox_every_minute(settings):
    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "elections.outbox_drain")
    assert entry["schedule"] <= 60


def test_administration_lists_stuck_mails_without_their_text_and_retries_them(
    client, mailoutbox, monkeypatch
):
    outbox.mail_enqueue(
        to="g@example.org", subject="Your link", body="https://x/invitation/SECRET/", kind="tests.g"
    )
    monkeypatch.setattr(
        EmailBackend, "send_messages", lambda *a, **k: (_ for _ in ()).throw(OSError("connection refused"))
    )
    send_outbox()
    monkeypatch.undo()
    client.force_login(user_with_role(Role.SECRETARIAT))
    changelist = client.get(reverse("admin:elections_outboxmail_changelist") + "?status=pending")
    text = changelist.content.decode()
    assert changelist.status_code == 200 and "g@example.org" in text
    assert "the portal tries again later" in text or "повторит попытку позже" in text  # the reason in words
    row = OutboxMail.objects.get()
    detail = client.get(reverse("admin:elections_outboxmail_change", args=[row.pk])).content.decode()
    assert "SECRET" not in detail and "SECRET" not in text
    response = client.post(
        reverse("admin:elections_outboxmail_changelist"),
        {"action": "retry_now", "_selected_action": [row.pk]},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.next_attempt_at <= timezone.now()
    assert AuditEntry.objects.filter(action="elections.outbox.retried").exists()
    send_outbox()
    assert [m.to for m in mailoutbox] == [["g@example.org"]]


@pytest.mark.django_db(transaction=True)
def test_a_database_restart_while_recording_sent_does_not_send_the_mail_again(mailoutbox, monkeypatch):
    """The mail server took the mail, then the database went away for a moment: the worker waits
    for it and records the mail as sent, instead of leaving it to be sent a second time."""
    from django.db import OperationalError
    from django.db.models import QuerySet

    real_update = QuerySet.update
    failures = []

    def update_once_away(self, **fields):
        if self.model is OutboxMail and fields.get("status") == OutboxMail.Status.DONE and not failures:
            failures.append(fields)
            raise OperationalError("server closed the connection unexpectedly")
        return real_update(self, **fields)

    monkeypatch.setattr(QuerySet, "update", update_once_away)
    monkeypatch.setattr(outbox.time, "sleep", lambda seconds: None)
    outbox.mail_enqueue(to="d@example.org", subject="D", body="once", kind="tests.d")
    outbox.outbox_drain()  # what the kick after the commit does (it may have sent it already)
    assert failures, "the database was away once"
    row = OutboxMail.objects.get()
    assert row.status == OutboxMail.Status.DONE and row.body == ""
    assert outbox.outbox_drain()["sent"] == 0
    assert [m.to for m in mailoutbox] == [["d@example.org"]]


def test_a_mail_whose_worker_died_while_sending_is_sent_again_only_after_its_lease(mailoutbox, settings):
    settings.OUTBOX_SENDING_LEASE_SECONDS = 600
    outbox.mail_enqueue(to="e@example.org", subject="E", body="body", kind="tests.e")
    claimed = outbox._claim_mail()  # a worker claimed it, then died before the mail server answered
    assert claimed.status == OutboxMail.Status.SENDING
    assert send_outbox()["sent"] == 0 and mailoutbox == []  # claimed: no other worker sends it
    assert outbox.batch_counts("")["waiting"] == 1
    with _later(11):
        assert send_outbox()["sent"] == 1
    assert [m.to for m in mailoutbox] == [["e@example.org"]]
    row = OutboxMail.objects.get()
    assert row.status == OutboxMail.Status.DONE and row.attempts == 2


def test_administration_lists_waiting_mails_and_tasks_in_plain_words(client):
    from django.utils import translation

    client.force_login(user_with_role(Role.SECRETARIAT))
    OutboxMail.objects.create(
        kind="voters.credential_invitation",
        to="f@example.org",
        subject="Your voting link",
        body="secret link",
        attempts=2,
        last_error="SMTPServerDisconnected('Connection unexpectedly closed')",
    )
    OutboxTask.objects.create(name="voters.send_credential_mails", args=[[1, 2], "invitation", 0], attempts=1)
    with translation.override("en"):
        mails = client.get(reverse("admin:elections_outboxmail_changelist")).content.decode()
        tasks = client.get(reverse("admin:elections_outboxtask_changelist")).content.decode()
    assert (
        "Your voting link" in mails
        and "The mail server did not take it; the portal tries again later." in mails
    )
    assert "voters.credential_invitation" not in mails and "SMTPServerDisconnected" not in mails
    assert "secret link" not in mails
    assert (
        "Voting invitations or reminders (a batch)" in tasks and "voters.send_credential_mails" not in tasks
    )


def test_administration_lists_are_titled_by_what_they_hold_in_russian(client):
    client.force_login(user_with_role(Role.SECRETARIAT))
    page = client.get(reverse("admin:elections_outboxtask_changelist")).content.decode()
    assert "<h1>Фоновые задачи</h1>" in page and "Выберите фоновая задача" not in page
