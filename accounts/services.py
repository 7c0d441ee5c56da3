"""Changes to users and their roles. Each runs in a transaction and leaves an audit entry."""

from __future__ import annotations

from django.db import transaction

from .audit import audit_log
from .models import RoleAssignment, User
from .permissions import forget_cached_roles, require


@transaction.atomic
def user_create(
    *, email: str, full_name: str = "", password: str | None = None, language: str = "ru", actor=None
) -> User:
    """Create a portal account (login by e-mail)."""
    if actor is not None:
        require(actor, "roles.manage")
    user = User(email=User.objects.normalize_email(email).lower(), full_name=full_name, language=language)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit_log(action="accounts.user.created", actor=actor, obj=user, data={"email": user.email})
    return user


@transaction.atomic
def role_assign(
    *, user: User, role: str, actor, election=None, group=None, commission=None, position: str = ""
) -> RoleAssignment:
    """Give ``user`` a role in a scope (secretariat only). Idempotent for an existing assignment."""
    if election is None:
        election = (group.election if group else None) or (commission.election if commission else None)
    if actor is not None:
        require(actor, "roles.manage", election)
    existing = RoleAssignment.objects.filter(
        user=user, role=role, election=election, group=group, commission=commission
    ).first()
    if existing:
        return existing
    assignment = RoleAssignment(
        user=user, role=role, election=election, group=group, commission=commission, position=position
    )
    assignment.full_clean(validate_constraints=False)
    assignment.save()
    forget_cached_roles(user)
    audit_log(
        action="accounts.role.assigned",
        actor=actor,
        obj=assignment,
        election=election,
        data={
            "user": user.email,
            "role": role,
            "group_id": group.pk if group else None,
            "commission_id": commission.pk if commission else None,
            "position": position,
        },
    )
    return assignment


@transaction.atomic
def role_revoke(*, assignment: RoleAssignment, actor) -> None:
    if actor is not None:
        require(actor, "roles.manage", assignment.election)
    data = {"user": assignment.user.email, "role": assignment.role, "assignment_id": assignment.pk}
    election = assignment.election
    user = assignment.user
    assignment.delete()
    forget_cached_roles(user)
    audit_log(action="accounts.role.revoked", actor=actor, election=election, data=data)


@transaction.atomic
def user_unlock(*, user: User, actor) -> int:
    """Lift a lockout after repeated failed logins (django-axes) before its cool-off ends: forget
    the account's failed attempts (the secretariat, in Administration → Users). Returns how many
    records were removed."""
    from axes.utils import reset

    require(actor, "roles.manage")
    removed = reset(username=user.email)
    audit_log(action="accounts.user.unlocked", actor=actor, obj=user, data={"user": user.email})
    return removed
