"""Background work of candidates: thin tasks that take ids and call services. Each is
idempotent: the service records what it sent, so a retried task sends nothing twice."""

from celery import shared_task


@shared_task(name="candidates.send_application_status")
def send_application_status(application_id: int) -> bool:
    from .services import application_notify

    return application_notify(application_id=application_id)


@shared_task(name="candidates.send_account_link")
def send_account_link(user_id: int, election_id: int) -> bool:
    from .services.accounts import account_link_send

    return account_link_send(user_id=user_id, election_id=election_id)


@shared_task(name="candidates.send_decision_reminders")
def send_decision_reminders() -> int:
    """Hourly (Celery beat): reminders 3/1/0 days before each application's decision deadline
    and overdue notices, to the members of the verifying commission."""
    from .services import send_decision_reminders as run

    return run()
