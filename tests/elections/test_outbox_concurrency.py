"""Several outbox runs at once (worker processes, beat and kicks overlapping) send each mail once:
rows are claimed with SELECT … FOR UPDATE SKIP LOCKED (PostgreSQL)."""

import threading
import time
from collections import Counter

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection, connections

from elections.models import OutboxMail
from elections.outbox import outbox_drain

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the locking test runs on PostgreSQL"),
]


@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_send_each_mail_exactly_once(monkeypatch, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    OutboxMail.objects.bulk_create(
        OutboxMail(to=f"r{i}@example.org", subject=f"S{i}", body="x", kind="tests.concurrent")
        for i in range(60)
    )
    real = EmailBackend.send_messages

    def slow(self, messages):
        time.sleep(0.01)  # a mail server that takes a moment, so the runs overlap
        return real(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", slow)
    results, errors = [], []

    def run():
        try:
            results.append(outbox_drain(seconds=60))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert Counter(m.to[0] for m in mail.outbox) == {f"r{i}@example.org": 1 for i in range(60)}
    assert sum(r["sent"] for r in results) == 60
    assert sum(1 for r in results if r["sent"]) > 1  # the work was shared, not serialised
    assert set(OutboxMail.objects.values_list("status", flat=True)) == {OutboxMail.Status.DONE}
