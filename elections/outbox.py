"""The outbox: no mail and no important task is lost when the broker or the mail server is down.

A service that causes a mail (or a background task) records it here, in its own transaction:
``mail_enqueue`` / ``task_enqueue``. If the transaction rolls back, nothing is sent; once it
commits, the row stays until it is carried out. After the commit a *kick* is queued (with Celery,
``elections.outbox_kick``; without a broker, the embedded default, the drain runs right away in the
same process). If the broker is down the kick is dropped silently: the Celery beat task
``elections.outbox_drain`` runs every minute and picks the rows up, as does the next kick.

``outbox_drain`` carries out what is due:

* a task row is claimed with ``SELECT … FOR UPDATE SKIP LOCKED`` and run *in the transaction that
  marks it done*, so its writes (e.g. the mails it queues) and "done" commit together; if it fails,
  both roll back and the row is retried later;
* a mail row is claimed the same way and marked *being sent* with a lease
  (``OUTBOX_SENDING_LEASE_SECONDS``) in a short transaction of its own; only after that commit is
  it handed to the mail server, outside any transaction, and then marked sent (its body erased: it
  may hold a single-use link). If the database is away at that moment (a restart), the worker keeps
  trying to record "sent" until it is back, for up to half the lease: the mail is not sent again.
  On a mail-server error the row goes back to waiting with its attempts, the last error and the
  time of the next attempt (exponential backoff, capped).

Exactly once, except one window that no outbox can close: the worker process dies (killed,
out of memory, the machine stops) after the mail server accepted a mail and before "sent" is
recorded, or the database stays away longer than half the lease. The row then stays *being sent*
until its lease ends, goes back to waiting and the mail is sent again: at least once, one mail per
dead worker. A database restart while mails leave does not send any twice (``make chaos`` checks
it). Concurrent drains never send one row twice: a claimed row is no longer waiting.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import smtplib
import threading
import time

from celery import current_app
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.utils import timezone

from .models import OutboxMail, OutboxStatus, OutboxTask

logger = logging.getLogger(__name__)

_state = threading.local()


def _setting(name: str, default):
    return getattr(settings, name, default)


# --- recording -------------------------------------------------------------------------------


def mail_enqueue(
    *,
    to: str,
    subject: str,
    body: str,
    kind: str,
    election=None,
    key: str | None = None,
    batch: str = "",
    topic: str = "",
    headers: dict | None = None,
) -> OutboxMail | None:
    """Record one mail to one address in the caller's transaction; it is sent after the commit.

    ``key`` makes it idempotent: a mail already recorded under the same key is not recorded again
    (None is returned). ``topic`` names what the mail replaces: the waiting mails of the same
    topic are cancelled (e.g. a new voting link makes the previous, unsent one useless).
    ``batch`` groups mails counted together (a reminder round)."""
    if topic:
        OutboxMail.objects.filter(topic=topic, status=OutboxStatus.PENDING).update(
            status=OutboxStatus.CANCELLED, last_error="replaced by a newer mail"
        )
    try:
        with transaction.atomic():
            mail = OutboxMail.objects.create(
                election=election,
                kind=kind,
                to=to,
                subject=" ".join(str(subject).split())[:998],
                body=body,
                headers=headers or {},
                key=key,
                batch=batch,
                topic=topic,
            )
    except IntegrityError:
        if key is None:
            raise
        return None  # already recorded under this key
    _kick_on_commit()
    return mail


def task_enqueue(name: str, *args, key: str | None = None) -> OutboxTask | None:
    """Record a background task (its Celery name and JSON arguments) in the caller's transaction;
    it runs after the commit, and again until it succeeds. The task must be idempotent."""
    try:
        with transaction.atomic():
            task = OutboxTask.objects.create(name=name, args=list(args), key=key)
    except IntegrityError:
        if key is None:
            raise
        return None
    _kick_on_commit()
    return task


def _kick_on_commit() -> None:
    """Kick once per transaction, however many rows it records: every row registers a callback
    (so a test capturing the callbacks sees them), and the callbacks of one transaction share a
    token, so only the first one kicks."""
    conn = transaction.get_connection()
    token = getattr(conn, "_outbox_kick_token", None)
    if token is None or token["ran"] or token["hooks"] is not conn.run_on_commit:
        token = {"ran": False, "hooks": conn.run_on_commit}
        conn._outbox_kick_token = token

    def kick_once():
        if not token["ran"]:
            token["ran"] = True
            _kick()

    transaction.on_commit(kick_once, robust=True)


def _kick() -> None:
    """Ask a worker to drain now. Never raises and never blocks long: if the broker is down, the
    minute's beat run (or the next kick) sends instead."""
    if getattr(_state, "draining", False):
        return  # the running drain loops until nothing is due
    from .tasks import outbox_kick

    try:
        outbox_kick.apply_async(retry=False)
    except Exception as exc:  # noqa: BLE001 - the rows are safe in the database
        logger.warning("outbox: could not queue the kick (%s); the periodic run will send", exc)


def queue_now(task, *args) -> bool:
    """Publish a Celery task without ever failing or blocking the caller for long: a broker that
    is down is logged and False is returned. For work whose pending state is kept in the database
    and re-queued by a periodic sweep (so a lost message is not lost work)."""
    try:
        task.apply_async(args=list(args), retry=False)
    except Exception as exc:  # noqa: BLE001 - the sweep re-queues it
        logger.warning("could not queue %s%r (%s); the periodic sweep re-queues it", task.name, args, exc)
        return False
    return True


def queue_after_commit(task, *args) -> None:
    """``queue_now`` after the caller's transaction commits."""
    transaction.on_commit(lambda: queue_now(task, *args), robust=True)


# --- carrying out ----------------------------------------------------------------------------


def backoff(attempts: int) -> dt.timedelta:
    base = int(_setting("OUTBOX_RETRY_SECONDS", 30))
    cap = int(_setting("OUTBOX_RETRY_MAX_SECONDS", 3600))
    return dt.timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def _due(model):
    return (
        model.objects.select_for_update(skip_locked=True)
        .filter(status=OutboxStatus.PENDING, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at", "pk")
    )


def _run_one_task() -> bool | None:
    """Run the next due task; None when none is due."""
    with transaction.atomic():
        row = _due(OutboxTask).first()
        if row is None:
            return None
        row.attempts += 1
        try:
            with transaction.atomic():
                current_app.tasks[row.name].run(*row.args)
        except Exception as exc:
            logger.warning("outbox: task %s #%s failed (attempt %s): %r", row.name, row.pk, row.attempts, exc)
            row.last_error = repr(exc)[:2000]
            row.next_attempt_at = timezone.now() + backoff(row.attempts)
            row.save(update_fields=["attempts", "last_error", "next_attempt_at"])
            return False
        row.status = OutboxStatus.DONE
        row.done_at = timezone.now()
        row.last_error = ""
        row.save(update_fields=["attempts", "status", "done_at", "last_error"])
        return True


class _ServerDown(Exception):
    pass


def _send_one_mail(connection) -> bool | None:
    """Send the next due mail; None when none is due; raises ``_ServerDown`` (after committing
    the failed attempt) when the mail server does not answer, so the round stops."""
    if (result := _attempt_one_mail(connection)) == "down":
        raise _ServerDown
    return result


def _claim_mail() -> OutboxMail | None:
    """Take the next due mail for this worker: mark it *being sent* until the lease ends, and
    commit, so no other drain takes it while it is handed to the mail server."""
    lease = dt.timedelta(seconds=int(_setting("OUTBOX_SENDING_LEASE_SECONDS", 600)))
    with transaction.atomic():
        row = _due(OutboxMail).first()
        if row is None:
            return None
        row.attempts += 1
        row.status = OutboxStatus.SENDING
        row.next_attempt_at = timezone.now() + lease
        row.save(update_fields=["attempts", "status", "next_attempt_at"])
    return row


def _record(row: OutboxMail, **fields) -> bool:
    """Write the outcome of a claimed mail, waiting for the database to come back if it went
    away (for up to half the lease); False if it did not come back."""
    patience = int(_setting("OUTBOX_SENDING_LEASE_SECONDS", 600)) / 2
    deadline = time.monotonic() + patience
    pause = 0.5
    while True:
        try:
            OutboxMail.objects.filter(pk=row.pk, status=OutboxStatus.SENDING).update(**fields)
            return True
        except (OperationalError, InterfaceError) as exc:
            if transaction.get_connection().in_atomic_block or time.monotonic() >= deadline:
                logger.error("outbox: could not record the outcome of mail #%s: %r", row.pk, exc)
                return False
            logger.warning("outbox: database away while recording mail #%s; retrying: %r", row.pk, exc)
            time.sleep(pause)
            pause = min(pause * 2, 5.0)
            with contextlib.suppress(Exception):
                transaction.get_connection().close()  # the next query reconnects


def _recover_expired_claims() -> int:
    """Mails whose worker died while sending them (the lease ended): back to waiting. Their mail
    may have left already: this is the documented at-least-once case."""
    return OutboxMail.objects.filter(status=OutboxStatus.SENDING, next_attempt_at__lte=timezone.now()).update(
        status=OutboxStatus.PENDING, last_error="the worker sending it stopped; sent again"
    )


def _attempt_one_mail(connection) -> bool | None | str:
    row = _claim_mail()
    if row is None:
        return None
    message = EmailMessage(
        row.subject, row.body, None, [row.to], headers=row.headers or None, connection=connection
    )
    try:
        message.send()
    except Exception as exc:
        logger.warning("outbox: mail #%s (%s) not sent (attempt %s): %r", row.pk, row.kind, row.attempts, exc)
        _record(
            row,
            status=OutboxStatus.PENDING,
            last_error=repr(exc)[:2000],
            next_attempt_at=timezone.now() + backoff(row.attempts),
        )
        if isinstance(exc, smtplib.SMTPRecipientsRefused):
            return False  # this address only
        return "down"
    # the server has it: record it, waiting for the database if it is away
    _record(row, status=OutboxStatus.DONE, sent_at=timezone.now(), body="", last_error="")
    return True


def outbox_drain(*, seconds: float | None = None) -> dict:
    """Carry out what is due: tasks first (they may queue mails), then mails, until nothing is due
    or ``seconds`` (``OUTBOX_DRAIN_SECONDS``) have passed. Safe to run in several processes at
    once. Returns the counts of this run."""
    budget = float(seconds if seconds is not None else _setting("OUTBOX_DRAIN_SECONDS", 50))
    pause = 60.0 / rate if (rate := int(_setting("OUTBOX_MAILS_PER_MINUTE", 0))) > 0 else 0.0
    deadline = time.monotonic() + budget
    counts = {"tasks": 0, "tasks_failed": 0, "sent": 0, "failed": 0}
    _recover_expired_claims()
    was_draining = getattr(_state, "draining", False)
    _state.draining = True
    try:
        while time.monotonic() < deadline:
            progressed = False
            while time.monotonic() < deadline and (done := _run_one_task()) is not None:
                counts["tasks" if done else "tasks_failed"] += 1
                progressed = progressed or done
            connection = get_connection()
            with contextlib.suppress(Exception):  # a refusal is recorded on the row below
                connection.open()  # one connection for the round
            try:
                while time.monotonic() < deadline and (sent := _send_one_mail(connection)) is not None:
                    counts["sent" if sent else "failed"] += 1
                    progressed = True
                    if pause:
                        time.sleep(pause)
            except _ServerDown:
                counts["failed"] += 1
                break
            finally:
                with contextlib.suppress(Exception):  # a broken connection is closed anyway
                    connection.close()
            if not progressed:
                break
    finally:
        _state.draining = was_draining
    if any(counts.values()):
        logger.info("outbox: %s", counts)
    return counts


# --- operators -------------------------------------------------------------------------------


@transaction.atomic
def outbox_retry_now(*, model, ids: list[int], actor) -> int:
    """Administration: try the chosen waiting mails or tasks again at the next run (now, if a
    worker is kicked), instead of waiting for their backoff."""
    from .audit import audit_log

    updated = model.objects.filter(pk__in=ids, status=OutboxStatus.PENDING).update(
        next_attempt_at=timezone.now()
    )
    if updated:
        audit_log(
            action="elections.outbox.retried",
            actor=actor,
            data={"kind": model._meta.model_name, "count": updated},
        )
        _kick_on_commit()
    return updated


@transaction.atomic
def outbox_cancel(*, model, ids: list[int], actor) -> int:
    """Administration: give up the chosen waiting mails or tasks (e.g. an address that does not
    exist); they are kept, marked cancelled."""
    from .audit import audit_log

    updated = model.objects.filter(pk__in=ids, status=OutboxStatus.PENDING).update(
        status=OutboxStatus.CANCELLED, last_error="cancelled in Administration"
    )
    if updated:
        audit_log(
            action="elections.outbox.cancelled",
            actor=actor,
            data={"kind": model._meta.model_name, "count": updated},
        )
    return updated


# --- reading ---------------------------------------------------------------------------------


def batch_counts(batch: str) -> dict:
    """How many mails of a batch were queued, handed to the mail server, are waiting, or were
    cancelled (replaced by a newer link)."""
    from django.db.models import Count

    rows = OutboxMail.objects.filter(batch=batch).values("status").annotate(n=Count("pk"))
    by = {r["status"]: r["n"] for r in rows}
    return {
        "queued": sum(by.values()),
        "sent": by.get(OutboxStatus.DONE, 0),
        "waiting": by.get(OutboxStatus.PENDING, 0) + by.get(OutboxStatus.SENDING, 0),
        "cancelled": by.get(OutboxStatus.CANCELLED, 0),
    }
