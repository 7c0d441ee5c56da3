"""Signing the minutes of a meeting and making their PDFs.

The minutes are signed by the member who chaired the meeting and by its secretary, each after
re-entering the password (as protocols are signed, seed 003 item 50). For a commission, the chair
signs — or the deputy chair when the chair was absent — and the secretary signs, or, when the
secretary was absent, a member present whom the meeting chose to keep the minutes. At a meeting of
the organising committee any two representatives present sign; at one of the secretariat, two of
its staff. The second signature makes the minutes final: their SHA-256 is kept, nothing in them
changes any more, and the signed PDFs (Russian and English, PAdES with the portal's key) are made
after the commit by the task ``meetings.render_minutes``.
"""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Position, Role
from accounts.permissions import roles_in
from elections import signing
from elections.audit import audit_log
from elections.outbox import task_enqueue

from .. import tasks
from ..minutes import minutes_pdf_render, minutes_sha256
from ..models import Meeting, MinutesDocument, MinutesSignature, Participant
from .meeting import locked_for_minutes

R = MinutesSignature.Role


def _may_sign_as(meeting: Meeting, actor, role: str, present: list[Participant]) -> bool:
    if meeting.commission_id is None:
        return Role.SECRETARIAT in roles_in(actor, meeting.election)
    mine = next((p for p in present if p.user_id == actor.pk), None)
    if mine is None:
        return False
    positions = {p.position for p in present}
    if not positions & set(Position.values):  # the organising committee: no positions
        return True
    if role == R.CHAIR:
        if Position.CHAIR in positions:
            return mine.position == Position.CHAIR
        return mine.position == Position.DEPUTY
    if Position.SECRETARY in positions:
        return mine.position == Position.SECRETARY
    return True


@transaction.atomic
def minutes_sign(*, meeting: Meeting, actor, role: str, password: str) -> MinutesSignature:
    """``actor`` signs the minutes of a held meeting as its chair or its secretary; the second
    signature makes them final and queues their PDFs."""
    # who signs is checked below (the chair and the secretary present), not who manages the meeting
    meeting = locked_for_minutes(meeting, actor, capability=None)
    if role not in R.values:
        raise ValidationError({"role": _("Choose whether you sign as the chair or as the secretary.")})
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError(_("The minutes are signed once the meeting is held (record who was present)."))
    if not password or not actor.check_password(password):
        raise ValidationError({"password": _("The password is not correct; the minutes were not signed.")})
    signed = {s.role: s for s in meeting.minutes_signatures.all()}
    if role in signed:
        raise ValidationError(
            {"role": _("The minutes are signed as %(role)s already.") % {"role": R(role).label.lower()}}
        )
    if any(s.user_id == actor.pk for s in signed.values()):
        raise ValidationError(
            _("You have signed these minutes already: the other signature is another person's.")
        )
    present = list(meeting.participants.filter(role=Participant.Role.MEMBER, present=True))
    if not _may_sign_as(meeting, actor, role, present):
        raise ValidationError(
            {
                "role": _(
                    "The minutes are signed by the chair of the meeting (the deputy when the chair was "
                    "absent) and by its secretary (a member present when the secretary was absent)."
                )
            }
        )
    position = next((p.position for p in present if p.user_id == actor.pk), "")
    now = timezone.now()
    signature = MinutesSignature.objects.create(
        meeting=meeting,
        role=role,
        user=actor,
        full_name=actor.get_full_name() or actor.email,
        position=position,
        signed_at=now,
    )
    final = len(signed) + 1 == len(R.values)
    if final:
        meeting.minutes_signed_at = now
        meeting.minutes_sha256 = minutes_sha256(meeting)
        meeting.save(update_fields=["minutes_signed_at", "minutes_sha256"])
        task_enqueue(tasks.render_minutes.name, meeting.pk, key=f"meetings.render_minutes:{meeting.pk}")
    audit_log(
        action="meetings.minutes.signed",
        actor=actor,
        obj=meeting,
        election=meeting.election,
        data={
            "meeting_id": meeting.pk,
            "role": role,
            "final": final,
            "sha256": meeting.minutes_sha256 or None,
        },
    )
    return signature


def _is_complete(document: MinutesDocument | None) -> bool:
    return (
        document is not None
        and document.is_signed
        and bool(document.file)
        and document.file.storage.exists(document.file.name)
    )


def minutes_documents_render(*, meeting: Meeting) -> list[MinutesDocument]:
    """Render, sign and store the missing PDFs of signed minutes; returns those made now.
    Idempotent, and safe when two workers race (the unique constraint keeps one per language).
    Raises ``ImproperlyConfigured`` before rendering when the portal has no signing key."""
    meeting = Meeting.objects.select_related("election", "commission").get(pk=meeting.pk)
    if not meeting.minutes_signed:
        raise ValidationError(
            _("Only minutes signed by the chair and the secretary are made into documents.")
        )
    existing = {d.language: d for d in meeting.minutes_documents.all()}
    missing = [
        language for language in meeting.election.copy_languages if not _is_complete(existing.get(language))
    ]
    if not missing:
        return []
    material = signing.signing_material()
    made = []
    for language in missing:
        content = signing.sign_pdf(
            minutes_pdf_render(meeting, language=language),
            key_pem=material.key_pem,
            cert_pem=material.cert_pem,
            key_passphrase=material.passphrase,
            reason="Minutes of a meeting, issued by Election Portal",
        )
        document = existing.get(language) or MinutesDocument(meeting=meeting, language=language)
        old_name = document.file.name if document.file else ""
        document.sha256 = hashlib.sha256(content).hexdigest()
        document.size = len(content)
        document.is_signed = True
        document.rendered_at = timezone.now()
        document.file.save(
            f"{meeting.election.slug}-minutes-{meeting.pk}-{language}.pdf", ContentFile(content), save=False
        )
        try:
            with transaction.atomic():
                document.save()
        except IntegrityError:
            document.file.storage.delete(document.file.name)
            continue
        if old_name and old_name != document.file.name:
            document.file.storage.delete(old_name)
        made.append(document)
    if made:
        with transaction.atomic():
            audit_log(
                action="meetings.minutes.documents_rendered",
                actor=None,
                obj=meeting,
                election=meeting.election,
                data={
                    "meeting_id": meeting.pk,
                    "documents": [{"language": d.language, "sha256": d.sha256, "size": d.size} for d in made],
                },
            )
    return made
