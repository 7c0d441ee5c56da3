"""Background work of the elections app: thin tasks that take ids and call services."""

from celery import shared_task

from .audit import verify_chain


@shared_task(name="elections.verify_audit_chain")
def verify_audit_chain() -> dict:
    """Verify the audit chain (scheduled nightly by Celery beat; also used by the broker test)."""
    report = verify_chain()
    if not report.ok:
        import logging

        logging.getLogger("elections.audit").error(
            "Audit chain broken at #%s: %s", report.bad_seq, report.reason
        )
    return {"ok": report.ok, "count": report.count, "head": report.head_hash, "bad_seq": report.bad_seq}


@shared_task(name="elections.send_calendar_reminders")
def send_calendar_reminders() -> int:
    """Hourly (Celery beat): reminders 7/3/1/0 days before each deadline and overdue notices."""
    from .services.reminders import send_calendar_reminders as run

    return run()


@shared_task(name="elections.outbox_drain", ignore_result=True)
def outbox_drain() -> dict:
    """Every minute (beat): send the waiting mails and run the waiting tasks of the outbox that
    are due (``elections.outbox``)."""
    from .outbox import outbox_drain as drain

    return drain()


@shared_task(name="elections.outbox_kick", ignore_result=True)
def outbox_kick() -> dict:
    """Queued after a commit that recorded mails or tasks, so they leave at once rather than at
    the next minute."""
    from .outbox import outbox_drain as drain

    return drain()
