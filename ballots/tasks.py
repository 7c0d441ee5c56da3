"""Background work of the voting app: confirmations (never the choices) and reminders."""

from celery import shared_task

from elections.models import Election
from elections.outbox import mail_enqueue
from voters.models import VotingCredential


@shared_task(name="ballots.send_vote_confirmation")
def send_vote_confirmation(credential_id: int) -> bool:
    """Tell a voter that their participation was recorded — once: the mail is recorded in the
    outbox in the transaction that sets ``confirmation_sent_at`` on the locked credential, so a
    retry or a second sweep finds it queued, and the outbox sends it once, retrying while the mail
    server is unavailable. No choices and no receipt are mailed: with the public bulletin board, a
    receipt would reveal the vote to whoever reads the mail. The outbox row names the credential's
    address and the participation time only, like the credential itself (docs/secrecy.md)."""
    from django.db import transaction
    from django.utils import timezone, translation
    from django.utils.translation import gettext as _

    with transaction.atomic():
        credential = (
            VotingCredential.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("election")
            .filter(pk=credential_id, used_at__isnull=False, confirmation_sent_at__isnull=True)
            .first()
        )
        if credential is None:
            return False
        election = credential.election
        with translation.override(credential.language or "ru"):
            when = timezone.localtime(credential.used_at, election.tz).strftime("%d.%m.%Y %H:%M")
            subject = _("Your vote is recorded: %(election)s") % {"election": election.title}
            body = "\n".join(
                [
                    _("Your ballot in “%(election)s” was received at %(time)s (%(tz)s).")
                    % {"election": election.title, "time": when, "tz": election.time_zone},
                    "",
                    _(
                        "For the secrecy of the vote this message does not repeat your choices or your receipt code. "
                        "Keep the receipt code from the confirmation page: after voting closes you can find your "
                        "ballot by it on the public bulletin board."
                    ),
                ]
            )
        mail_enqueue(
            to=credential.email,
            subject=subject,
            body=body,
            kind="ballots.vote_confirmation",
            election=election,
            key=f"ballots.vote_confirmation:{credential.pk}",
        )
        VotingCredential.objects.filter(pk=credential.pk).update(confirmation_sent_at=timezone.now())
    return True


@shared_task(name="ballots.send_pending_vote_confirmations")
def send_pending_vote_confirmations(limit: int = 2000) -> int:
    """Every minute (beat): queue in the outbox the confirmations of the votes cast since the last
    run (no broker message per vote). Looks at elections that are voting or counting; each mail
    is queued once and the outbox sends it once."""

    pending = (
        VotingCredential.objects.filter(
            election__state__in=[Election.State.VOTING, Election.State.COUNTING],
            used_at__isnull=False,
            confirmation_sent_at__isnull=True,
        )
        .order_by("used_at")
        .values_list("pk", flat=True)[:limit]
    )
    from django.db import transaction

    with transaction.atomic():  # one commit, one outbox kick for the whole sweep
        return sum(send_vote_confirmation(pk) for pk in list(pending))


@shared_task(name="ballots.send_voter_reminders")
def send_voter_reminders() -> int:
    """Every 10 minutes (beat): at the reminder times set per election, remind the voters who have
    not voted yet (through the voters app's credential reminders)."""
    from .reminders import run_due_reminders

    return run_due_reminders()


@shared_task(name="ballots.audit_participations")
def audit_participations() -> int:
    """Every minute (beat): seal new online participations into the audit log."""

    from .services import participation_audit

    return sum(participation_audit(election=e) for e in Election.objects.filter(state=Election.State.VOTING))


@shared_task(name="ballots.mix_ballots")
def mix_ballots() -> int:
    """Every minute (beat): move waiting online ballots into the ballot table in random order,
    per contest once ``BALLOT_MIX_BATCH`` wait, and all that wait once voting has closed
    (``ballots.mixing``)."""
    from .mixing import mix_due

    return mix_due()
