"""Voting credentials for online voting (seed 000 stage 5: "online with ballots on equal terms
for all voters").

Each eligible voter — an accepted registration of a group, or an entry of the frozen voter list
that has an e-mail — gets one credential. ``credentials_issue`` creates the missing ones and
records the invitations as outbox tasks in batches (``VOTER_INVITATION_BATCH`` per task) in the
same transaction; each batch makes, per voter and in one transaction, the random token (its
SHA-256 stored), the record under a unique (credential, kind, round) and the mail with the
single-use link in the outbox, so a retried batch queues nothing twice and the outbox sends each
mail once (``elections/outbox.py``). A resend (the voter lost the mail) makes the new link and
its mail in the resend's own transaction: it completes or changes nothing. Reminders (only to
those who have not voted yet) also replace the previous link; a round counts as sent only for
the mails the mail server took (``selectors.reminder_rounds``). The voting issue calls ``selectors.credential_for_token`` and
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
from elections.notify import absolute, election_context, notify
from elections.outbox import task_enqueue

from .. import selectors
from ..models import CredentialMail, RegisterEntry, VoterRegistration, VotingCredential
from ._common import has_reached, is_past, locked_settings, new_token, refuse_observers, refuse_when_archived

M = CredentialMail.Kind


class CredentialAlreadyUsed(ValidationError):
    pass


def batch_size() -> int:
    return int(getattr(django_settings, "VOTER_INVITATION_BATCH", 100))


def invitations_open(election: Election) -> bool:
    """Invitations and reminders are sent between the registration stage and the end of voting."""
    return has_reached(election, Election.State.REGISTRATION) and not is_past(election, Election.State.VOTING)


def _check_stage(election: Election) -> None:
    refuse_when_archived(election)
    if not invitations_open(election):
        raise ValidationError(_("Invitations are sent between the registration stage and the end of voting."))


def _queue(credential_ids: list[int], kind: str, round_: int) -> None:
    """Record the batches in the outbox, in the caller's transaction (none is lost if the broker
    is down at the commit)."""
    from .. import tasks

    size = batch_size()
    for start in range(0, len(credential_ids), size):
        task_enqueue(tasks.send_credential_mails.name, credential_ids[start : start + size], kind, round_)


def _link_mail(credential: VotingCredential, kind: str, round_: int) -> None:
    """A new single-use link for a locked credential and its mail in the outbox, in the caller's
    transaction. The previous link stops working; a waiting, unsent mail with it is cancelled."""
    raw, digest = new_token()
    now = timezone.now()
    credential.token_hash = digest
    credential.sent_at = credential.sent_at or now
    credential.last_sent_at = now
    credential.save(update_fields=["token_hash", "sent_at", "last_sent_at"])
    election = credential.election
    group = credential.registration.group if credential.registration_id else None
    notify(
        app="voters",
        to=credential.email,
        language=credential.language,
        template=f"credential_{kind}",
        election=election,
        time_zone=election.tz,
        defaults=election_context(election),
        key=f"voters.credential:{credential.pk}:{kind}:{round_}",
        batch=selectors.reminder_batch(election, round_) if kind == M.REMINDER else "",
        topic=f"voters.credential-link:{credential.pk}",
        context={
            "credential": credential,
            "voter_name": credential.voter_name,
            "group_name": (lambda: group.name) if group else "",
            # reversed inside the recipient's language: the ballot opens in the invitation's language
            "link": lambda: absolute(reverse("voters:invitation", args=[election.slug, raw])),
            "voting_starts_at": election.voting_starts_at,
            "voting_ends_at": election.voting_ends_at,
        },
    )


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
    """Prepare one mail (invitation or reminder) with a new single-use link: the record, the
    token's hash and the mail in the outbox are one transaction; once recorded, nothing is
    queued again (the outbox sends it once)."""
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
            _link_mail(credential, kind, round_)
            return True
    except IntegrityError:  # a concurrent run recorded it first
        return False


def credential_mails_send(*, credential_ids: list[int], kind: str, round_: int) -> int:
    """One batch (the rate-limited task)."""
    return sum(credential_mail_send(credential_id=pk, kind=kind, round_=round_) for pk in credential_ids)


@transaction.atomic
def credential_resend(*, credential: VotingCredential, actor) -> VotingCredential:
    """Send a new link to a voter who lost theirs; the previous link stops working. The new link
    and its mail are recorded in this transaction: it completes or changes nothing, and the
    request never waits on the broker or the mail server (the outbox sends after the commit)."""
    credential = (
        VotingCredential.objects.select_for_update(of=("self",))
        .select_related("election", "registration__group")
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
    credential.save(update_fields=["resend_count"])
    CredentialMail.objects.create(credential=credential, kind=M.RESEND, round=credential.resend_count)
    _link_mail(credential, M.RESEND, credential.resend_count)  # the old link stops working now
    audit_log(
        action="voters.credential.resent",
        actor=actor,
        obj=credential,
        election=election,
        data={"credential_id": credential.pk, "round": credential.resend_count},
    )
    return credential


@transaction.atomic
def credential_reminders_send(*, election: Election, actor) -> dict:
    """Queue a reminder round to the invited voters who have not voted yet (each gets a new link
    that replaces the previous one). The audit entry says how many were queued; how many the
    mail server took is read from the outbox (``selectors.reminder_rounds``)."""
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


def elector_key(credential: VotingCredential) -> str:
    """Who the credential's voter is, as the voting app records participations:
    ``registration:<id>`` (a registered voter) or ``entry:<id>`` (an entry of the frozen list)."""
    return (
        f"registration:{credential.registration_id}"
        if credential.registration_id
        else f"entry:{credential.entry_id}"
    )


def credential_use_sql(*, now: str, credential: str, election: str, also: str = "") -> str:
    """The credential's single use as SQL, for the voting app's one-statement casting path (a
    data-modifying ``WITH`` query: the participation and the ballot are written only if a row
    comes back). Like ``credential_mark_used``: ``used_at`` is set only where it is still empty
    and the credential is not revoked; ``also`` adds the caller's own condition. Returns the
    elector key (``elector_key``). The arguments are SQL placeholders or expressions, never
    values."""
    return f"""UPDATE {VotingCredential._meta.db_table} SET used_at = {now}
            WHERE id = {credential} AND election_id = {election} AND used_at IS NULL AND revoked_at IS NULL
              {also}
            RETURNING CASE WHEN registration_id IS NOT NULL THEN 'registration:' || registration_id
                           ELSE 'entry:' || entry_id END AS elector"""  # noqa: S608 - table name from the model


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
