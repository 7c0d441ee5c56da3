"""Background work of the elections app: thin tasks that take ids and call services."""

from celery import shared_task


@shared_task(name="elections.verify_audit_chain")
def verify_audit_chain() -> dict:
    """Verify the audit chain and the heads published before (scheduled nightly by Celery beat;
    also used by the broker test)."""
    from .audit_anchors import verify_anchored

    report = verify_anchored()
    chain = report.chain
    if not report.ok:
        import logging

        log = logging.getLogger("elections.audit")
        if chain.bad_seq is not None:
            log.error("Audit chain broken at #%s: %s", chain.bad_seq, chain.reason)
        for problem in chain.anchor_problems:
            log.error("Audit log does not match a published head: %s", problem.message)
        for problem in report.signature_problems:
            log.error("Published audit head altered: %s", problem)
    return {
        "ok": report.ok,
        "count": chain.count,
        "head": chain.head_hash,
        "bad_seq": chain.bad_seq,
        "anchor_problems": [p.message for p in chain.anchor_problems] + report.signature_problems,
    }


@shared_task(name="elections.publish_audit_head")
def publish_audit_head() -> dict:
    """Every ``AUDIT_HEAD_PUBLISH_MINUTES`` (Celery beat): publish the head when it moved, and sign
    every published head that has no signature yet."""
    from .audit_anchors import publish_scheduled_head, sign_pending_heads

    head = publish_scheduled_head()
    return {"published": head.seq if head is not None else None, "signed": sign_pending_heads()}


@shared_task(name="elections.sign_audit_heads", acks_late=True)
def sign_audit_heads() -> int:
    """Sign the published heads that have no signature yet (queued when one is published)."""
    from .audit_anchors import sign_pending_heads

    return sign_pending_heads()


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
