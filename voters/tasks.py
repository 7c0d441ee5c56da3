"""Background work of the voters area: thin tasks that take ids and call services. Each is
idempotent: the service records what it did, so a retried task does nothing twice."""

from celery import shared_task


@shared_task(name="voters.send_registration_confirmation")
def send_registration_confirmation(registration_id: int) -> bool:
    from .services import registration_confirmation_send

    return registration_confirmation_send(registration_id=registration_id)


@shared_task(name="voters.send_registration_decision")
def send_registration_decision(registration_id: int) -> bool:
    from .services import registration_notify

    return registration_notify(registration_id=registration_id)


@shared_task(name="voters.send_registration_duplicate_notice")
def send_registration_duplicate_notice(registration_id: int) -> bool:
    from .services import registration_duplicate_notice

    return registration_duplicate_notice(registration_id=registration_id)


@shared_task(name="voters.validate_register_import", acks_late=True)
def validate_register_import(import_id: int) -> bool:
    """Check a register extract row by row (streaming; minutes for a million rows)."""
    from .services import register_import_validate

    return register_import_validate(import_id=import_id)


@shared_task(name="voters.run_register_import", acks_late=True)
def run_register_import(import_id: int) -> bool:
    """Load a checked extract in one transaction."""
    from .services import register_import_run

    return register_import_run(import_id=import_id)


@shared_task(name="voters.recover_stale_imports")
def recover_stale_imports() -> int:
    """End the register imports whose task was lost (periodic), so none blocks the next upload."""
    from .services import register_imports_recover_stale

    return register_imports_recover_stale()


@shared_task(name="voters.send_correction_decision")
def send_correction_decision(request_id: int) -> bool:
    from .services import correction_notify

    return correction_notify(request_id=request_id)


@shared_task(name="voters.send_credential_mails")
def send_credential_mails(credential_ids: list[int], kind: str, round_: int) -> int:
    """One batch of invitations or reminders: each gets its new link and its mail in the outbox
    (an outbox task; the outbox sends, at most ``OUTBOX_MAILS_PER_MINUTE`` per worker)."""
    from .services import credential_mails_send

    return credential_mails_send(credential_ids=credential_ids, kind=kind, round_=round_)


@shared_task(name="voters.render_precinct_list")
def render_precinct_list(precinct_id: int, language: str) -> bool:
    """Render and store the printable list of a precinct (a few seconds for 3,000 voters)."""
    from .pdf import precinct_list_pdf_store

    return precinct_list_pdf_store(precinct_id=precinct_id, language=language)


@shared_task(name="voters.requeue_stalled_imports")
def requeue_stalled_imports() -> int:
    """Every 5 minutes (beat): queue again the register checks and loads whose message the broker
    lost (their state in the database says they are still waiting)."""
    from .services.imports import register_imports_requeue_stalled

    return register_imports_requeue_stalled()
