"""Voting credentials for online voting (seed 000 stage 5: "online with ballots on equal terms
for all voters").

Each eligible voter — an accepted registration of a group, or an entry of the frozen voter list
that has an e-mail — gets one credential. ``credentials_issue`` creates the missing ones and
queues the invitations in Celery batches (``VOTER_INVITATION_BATCH`` per task, the task rate
limited by ``VOTER_INVITATION_RATE_LIMIT``); the sending task makes the random token, stores
its SHA-256 and sends the single-use link in one transaction per mail, recorded under a unique
(credential, kind, round), so a retried batch sends nothing twice. A resend (the voter lost the
mail) and the reminders (only to those who have not voted yet) send a new link that replaces
the previous one. The voting issue calls ``selectors.credential_for_token`` and
``credential_mark_used`` inside its own transaction.
"""

from __future__ import annotations

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import require
from elections.audit import audit_log
from elections.models import Election

from .. import selectors
from ..mail import absolute, send_templated
from ..models import CredentialMail, RegisterEntry, VoterRegistration, VotingCredential
from ._common import has_reached, is_past, locked_settings, new_token, refuse_observers, refuse_when_archived

M = CredentialMail.Kind


class CredentialAlreadyUsed(ValidationError):
    pass


def batch_size() -> int:
    return int(getattr(django_settings, "VOTER_INVITATION_BATCH", 100))


def _check_stage(election: Election) -> None:
    refuse_when_archived(election)
    if not has_reached(election, Election.State.REGISTRATION) or is_past(election, Election.State.VOTING):
        raise ValidationError(_("Invitations are sent between the registration stage and the end of voting."))


def _queue(credential_ids: list[int], kind: str, round_: int) -> None:
    from .. import tasks

    size = batch_size()
    for start in range(0, len(credential_ids), size):
        chunk = credential_ids[start : start + size]
        transaction.on_commit(lambda chunk=chunk: tasks.send_credential_mails.delay(chunk, kind, round_))


@transaction.atomic
def credentials_issue(*, election: Election, actor) -> dict:
    """Create a credential for every eligible voter that has none and queue the invitations not
    sent yet. Running it again creates and sends only what is missing."""
    if actor is not None:
        require(actor, "voter.manage", election)
    refuse_observers(actor, election)
    _check_stage(election)
    locked_settings(election)
    now = timezone.now()
    registrations = VoterRegistration.objects.filter(
        election=election, status=VoterRegistration.Status.ACCEPTED, credential__isnull=True
    ).values_list("pk", "email", "language")
    new = [
        VotingCredential(
            election=election, registration_id=pk, email=email, language=language, created_at=now
        )
        for pk, email, language in registrations.iterator(chunk_size=2000)
    ]
    if selectors.voter_settings(election).is_list_frozen:
        entries = (
            RegisterEntry.objects.filter(
                election=election, status=RegisterEntry.Status.LISTED, credential__isnull=True
            )
            .exclude(email="")
            .values_list("pk", "email")
        )
        new += [
            VotingCredential(election=election, entry_id=pk, email=email, created_at=now)
            for pk, email in entries.iterator(chunk_size=2000)
        ]
    VotingCredential.objects.bulk_create(new, batch_size=1000)
    pending = list(
        VotingCredential.objects.filter(
            election=election, sent_at__isnull=True, revoked_at__isnull=True, used_at__isnull=True
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    audit_log(
        action="voters.credential.issued",
        actor=actor,
        obj=election,
        data={"created": len(new), "invitations_queued": len(pending)},
    )
    _queue(pending, M.INVITATION, 0)
    return {"created": len(new), "queued": len(pending)}


def credential_mail_send(*, credential_id: int, kind: str, round_: int) -> bool:
    """Send one mail (invitation, resend or reminder) with a new single-use link. The record,
    the token's hash and the mail are one transaction: a failure leaves nothing recorded (the
    next run tries again); once recorded, nothing is sent again."""
    try:
        with transaction.atomic():
            credential = (
                VotingCredential.objects.select_for_update(of=("self",))
                .select_related("election", "registration__group")
                .filter(pk=credential_id, used_at__isnull=True, revoked_at__isnull=True)
                .first()
            )
            if credential is None:
                return False
            if kind == M.REMINDER and selectors.has_voted(
                credential.election, credential.registration or credential.entry
            ):
                return False
            _, created = CredentialMail.objects.get_or_create(credential=credential, kind=kind, round=round_)
            if not created:
                return False
            raw, digest = new_token()
            now = timezone.now()
            credential.token_hash = digest
            credential.sent_at = credential.sent_at or now
            credential.last_sent_at = now
            credential.save(update_fields=["token_hash", "sent_at", "last_sent_at"])
            election = credential.election
            group = credential.registration.group if credential.registration_id else None
            send_templated(
                to=credential.email,
                language=credential.language,
                template=f"credential_{kind}",
                election=election,
                context={
                    "credential": credential,
                    "voter_name": credential.voter_name,
                    "group_name": (lambda: group.name) if group else "",
                    "link": absolute(reverse("voters:invitation", args=[election.slug, raw])),
                    "voting_starts_at": election.voting_starts_at,
                    "voting_ends_at": election.voting_ends_at,
                },
            )
            return True
    except IntegrityError:  # a concurrent run recorded it first
        return False


def credential_mails_send(*, credential_ids: list[int], kind: str, round_: int) -> int:
    """One batch (the rate-limited task)."""
    return sum(credential_mail_send(credential_id=pk, kind=kind, round_=round_) for pk in credential_ids)


@transaction.atomic
def credential_resend(*, credential: VotingCredential, actor) -> VotingCredential:
    """Send a new link to a voter who lost theirs; the previous link stops working."""
    credential = (
        VotingCredential.objects.select_for_update(of=("self",))
        .select_related("election")
        .get(pk=credential.pk)
    )
    election = credential.election
    if actor is not None:
        require(actor, "voter.manage", election)
    refuse_observers(actor, election)
    _check_stage(election)
    if credential.used_at is not None:
        raise ValidationError(_("This voter has already used the link."))
    if credential.revoked_at is not None:
        raise ValidationError(_("This credential is revoked."))
    credential.resend_count += 1
    credential.token_hash = ""  # the old link stops working now, not when the new mail leaves
    credential.save(update_fields=["resend_count", "token_hash"])
    audit_log(
        action="voters.credential.resent",
        actor=actor,
        obj=credential,
        election=election,
        data={"credential_id": credential.pk, "round": credential.resend_count},
    )
    _queue([credential.pk], M.RESEND, credential.resend_count)
    return credential


@transaction.atomic
def credential_reminders_send(*, election: Election, actor) -> dict:
    """Queue a reminder round to the invited voters who have not voted yet (each gets a new link
    that replaces the previous one)."""
    if actor is not None:
        require(actor, "voter.manage", election)
    refuse_observers(actor, election)
    _check_stage(election)
    settings = locked_settings(election)
    settings.reminder_rounds += 1
    settings.save(update_fields=["reminder_rounds"])
    ids = list(
        VotingCredential.objects.filter(
            election=election, sent_at__isnull=False, used_at__isnull=True, revoked_at__isnull=True
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    audit_log(
        action="voters.credential.reminders_queued",
        actor=actor,
        obj=election,
        data={"round": settings.reminder_rounds, "queued": len(ids)},
    )
    _queue(ids, M.REMINDER, settings.reminder_rounds)
    return {"round": settings.reminder_rounds, "queued": len(ids)}


def credential_mark_used(credential: VotingCredential) -> VotingCredential:
    """Use the credential once (the voting issue calls this in its ballot transaction). The
    database decides: ``used_at`` is set only where it is still empty, so of two concurrent
    uses exactly one succeeds; the other raises ``CredentialAlreadyUsed``."""
    now = timezone.now()
    updated = VotingCredential.objects.filter(
        pk=credential.pk, used_at__isnull=True, revoked_at__isnull=True
    ).update(used_at=now)
    if updated != 1:
        raise CredentialAlreadyUsed(_("This invitation has already been used."))
    credential.used_at = now
    return credential
