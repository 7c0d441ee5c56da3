"""Results mail: queued on commit when an election enters "published" (and when a subscriber
confirms after publication). Idempotent: a retried task mails nobody twice."""

from celery import shared_task

from elections.models import Election

__all__ = ["mail_results"]


@shared_task(name="protocols.mail_results", acks_late=True)
def mail_results(election_id: int) -> int:
    """Mail the published results of the election to its confirmed subscribers who have not had
    them yet. Returns the number of mails sent."""

    from ..services.publication import results_mail_subscribers

    election = Election.objects.filter(pk=election_id).first()
    if election is None:
        return 0
    return results_mail_subscribers(election=election)
