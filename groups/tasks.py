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
