"""Background work of the electoral structure: thin tasks that take ids and call services.

Each is idempotent: the service records what it sent, so a retried task sends nothing twice.
"""

from celery import shared_task


@shared_task(name="groups.send_member_invitation")
def send_member_invitation(member_id: int) -> bool:
    from .services import member_invitation_send

    return member_invitation_send(member_id=member_id)


@shared_task(name="groups.send_nomination_decision")
def send_nomination_decision(nomination_id: int) -> bool:
    from .services import nomination_notify

    return nomination_notify(nomination_id=nomination_id)


@shared_task(name="groups.send_observer_decision")
def send_observer_decision(application_id: int) -> bool:
    from .services import observer_notify

    return observer_notify(application_id=application_id)


@shared_task(name="groups.run_file_import", acks_late=True)
def run_file_import(import_id: int) -> bool:
    """Read an uploaded CSV (districts and precincts, preliminary figures) outside the request."""
    from .services.file_imports import file_import_run

    return file_import_run(import_id=import_id)


@shared_task(name="groups.recover_stale_file_imports")
def recover_stale_file_imports() -> int:
    """End the CSV imports whose task was lost (periodic), so none stays "being read"."""
    from .services.file_imports import file_imports_recover_stale

    return file_imports_recover_stale()
