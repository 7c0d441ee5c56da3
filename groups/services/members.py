"""Commission members: invitation, position, removal and the conflict-of-interest declaration.

A membership is a ``CommissionMember`` row plus the role "commission member" scoped to the
commission (``role_assign`` in ``roles.py``), so that ``accounts.permissions`` decides what the
member may do. Before acting as a member (verifying candidates, signing protocols) the member
signs a declaration of no conflict of interest (seed 000 stage 3: "the commission declares no
conflict of interest"); ``require_coi_declared`` is the guard those actions call.
"""

from __future__ import annotations

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.permissions import require
from accounts.services import user_create
from elections.audit import audit_log
from elections.notify import absolute, account_setup_link, notify
from elections.outbox import task_enqueue

from ..models import Commission, CommissionMember, RoleAssignment
from ._common import refuse_when_archived
from .roles import role_assign, role_revoke


class CommissionActionRefused(PermissionDenied):
    """A member action refused; ``message`` says why, in the active language."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)

    def __str__(self):
        return self.message


class NotACommissionMember(CommissionActionRefused):
    pass


class ConflictOfInterestNotDeclared(CommissionActionRefused):
    pass


def coi_declaration_text(member: CommissionMember) -> str:
    """The declaration the member signs, in the active language (stored as signed)."""
    return _(
        "I, %(name)s, %(position)s of the commission “%(commission)s” (%(election)s), declare that "
        "I have no conflict of interest in this election: I am not a candidate, nor a relative, "
        "spouse, employee or manager of a candidate, and I have no personal, financial or "
        "organisational interest in its outcome that could affect my impartiality. I will treat "
        "candidates and voters equally and keep their personal data confidential. If a conflict "
        "of interest arises, I will tell the commission and the secretariat at once and will not "
        "take part in the decisions concerned."
    ) % {
        "name": member.user.get_full_name(),
        "position": member.get_position_display().lower(),
        "commission": member.commission.name,
        "election": member.commission.election.title,
    }


def active_membership(user, commission: Commission) -> CommissionMember | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return CommissionMember.objects.filter(commission=commission, user=user, is_active=True).first()


def require_coi_declared(user, commission: Commission) -> CommissionMember:
    """The guard before a member acts (verifying candidates, signing protocols).

    Returns the membership; raises ``NotACommissionMember`` or ``ConflictOfInterestNotDeclared``
    (both ``PermissionDenied``) with a message that tells the user what to do.
    """
    member = active_membership(user, commission)
    if member is None:
        raise NotACommissionMember(
            _("You are not a member of the commission “%(commission)s”.") % {"commission": commission.name}
        )
    if member.coi_declared_at is None:
        raise ConflictOfInterestNotDeclared(
            _(
                "Before acting as a member of the commission “%(commission)s”, sign the declaration "
                "of no conflict of interest on the page “My commissions”."
            )
            % {"commission": commission.name}
        )
    return member


def _sync_role(member: CommissionMember, actor) -> None:
    """Make the member's role assignment match the membership (position included)."""
    current = RoleAssignment.objects.filter(
        user=member.user, role=Role.COMMISSION_MEMBER, commission=member.commission
    ).first()
    if current is not None and current.position == member.position and member.is_active:
        return
    if current is not None:
        role_revoke(assignment=current, actor=actor)
    if member.is_active:
        role_assign(
            user=member.user,
            role=Role.COMMISSION_MEMBER,
            commission=member.commission,
            position=member.position,
            actor=actor,
        )


@transaction.atomic
def member_invite(
    *,
    commission: Commission,
    actor,
    email: str,
    position: str,
    full_name: str = "",
    nominated_by: str = "",
    language: str = "ru",
) -> CommissionMember:
    """Add a person to a commission and invite them by e-mail to set up their account.

    An unknown address gets a new account without a password; the e-mail (in the person's
    language) carries a link to set one. Seed 000 item 7: partners propose the members.
    """
    if actor is not None:
        require(actor, "commission.manage", commission)
    refuse_when_archived(commission.election)
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = user_create(email=email, full_name=full_name, language=language, actor=actor)
    elif not user.full_name and full_name:
        user.full_name = full_name
        user.save(update_fields=["full_name"])
    member = CommissionMember(
        commission=commission, user=user, position=position, nominated_by=nominated_by, is_active=True
    )
    member.full_clean()
    member.save()
    _sync_role(member, actor)
    audit_log(
        action="groups.commission.member_invited",
        actor=actor,
        obj=member,
        election=commission.election,
        data={
            "commission_id": commission.pk,
            "user_id": user.pk,
            "email": user.email,
            "position": position,
            "nominated_by": nominated_by,
        },
    )
    from .. import tasks

    member_id = member.pk
    task_enqueue(tasks.send_member_invitation.name, member_id)
    return member


@transaction.atomic
def member_update(*, member: CommissionMember, actor, position: str, nominated_by: str) -> CommissionMember:
    """Change a member's position or who nominated them."""
    if actor is not None:
        require(actor, "commission.manage", member.commission)
    member = (
        CommissionMember.objects.select_for_update(of=("self",))
        .select_related("commission__election", "user")
        .get(pk=member.pk)
    )
    refuse_when_archived(member.commission.election)
    if not member.is_active:
        raise ValidationError(_("This person is no longer a member of the commission."))
    changed = {
        f: [getattr(member, f), v]
        for f, v in (("position", position), ("nominated_by", nominated_by))
        if getattr(member, f) != v
    }
    if not changed:
        return member
    member.position, member.nominated_by = position, nominated_by
    member.full_clean()
    member.save()
    _sync_role(member, actor)
    audit_log(
        action="groups.commission.member_updated",
        actor=actor,
        obj=member,
        election=member.commission.election,
        data={"commission_id": member.commission_id, "user_id": member.user_id, "changed": changed},
    )
    return member


@transaction.atomic
def member_remove(*, member: CommissionMember, actor, reason: str = "") -> CommissionMember:
    """End a membership; the person loses the member's role in the commission."""
    if actor is not None:
        require(actor, "commission.manage", member.commission)
    member = (
        CommissionMember.objects.select_for_update(of=("self",))
        .select_related("commission__election", "user")
        .get(pk=member.pk)
    )
    refuse_when_archived(member.commission.election)
    if not member.is_active:
        raise ValidationError(_("This person is no longer a member of the commission."))
    member.is_active = False
    member.removed_at = timezone.now()
    member.save(update_fields=["is_active", "removed_at"])
    _sync_role(member, actor)
    audit_log(
        action="groups.commission.member_removed",
        actor=actor,
        obj=member,
        election=member.commission.election,
        data={"commission_id": member.commission_id, "user_id": member.user_id, "reason": reason},
    )
    return member


@transaction.atomic
def member_declare_coi(*, member: CommissionMember, actor) -> CommissionMember:
    """The member signs the declaration of no conflict of interest (and so accepts the seat).

    Only the member signs their own declaration (``actor=None`` is the system, for the demo).
    The text signed is stored and its SHA-256 goes to the audit log.
    """
    member = (
        CommissionMember.objects.select_for_update(of=("self",))
        .select_related("commission__election", "user")
        .get(pk=member.pk)
    )
    if actor is not None and actor.pk != member.user_id:
        raise PermissionDenied(_("Only the member signs their own declaration."))
    refuse_when_archived(member.commission.election)
    if not member.is_active:
        raise ValidationError(_("This person is no longer a member of the commission."))
    if member.coi_declared_at is not None:
        raise ValidationError(_("The declaration is already signed."))
    now = timezone.now()
    member.coi_text = coi_declaration_text(member)
    member.coi_declared_at = now
    member.accepted_at = member.accepted_at or now
    member.save(update_fields=["coi_text", "coi_declared_at", "accepted_at"])
    audit_log(
        action="groups.commission.coi_declared",
        actor=actor,
        obj=member,
        election=member.commission.election,
        data={
            "commission_id": member.commission_id,
            "user_id": member.user_id,
            "text_sha256": hashlib.sha256(member.coi_text.encode("utf-8")).hexdigest(),
        },
    )
    return member


@transaction.atomic
def member_invitation_send(*, member_id: int) -> bool:
    """Send the invitation e-mail once (a retried task sends nothing more). True when sent."""
    member = (
        CommissionMember.objects.select_for_update(of=("self",))
        .select_related("commission__election", "user")
        .filter(pk=member_id, is_active=True)
        .first()
    )
    if member is None or member.invited_at is not None:
        return False
    user, commission = member.user, member.commission
    notify(
        app="groups",
        election=commission.election,
        to=user.email,
        language=user.language,
        template="member_invitation",
        context={
            "user": user,
            "member": member,
            "commission_name": lambda: commission.name,
            "election_title": lambda: commission.election.title,
            "position": lambda: member.get_position_display(),
            "setup_link": lambda: account_setup_link(user),
            "memberships_link": lambda: absolute(
                reverse("groups:my_memberships", args=[commission.election.slug])
            ),
        },
    )
    member.invited_at = timezone.now()
    member.save(update_fields=["invited_at"])
    return True
