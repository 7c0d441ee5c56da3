"""Giving and taking roles (the secretariat; services of this and the apps above call them for
the roles their decisions carry: a commission member, an organising-committee member, an observer,
a candidate, a voter). Each runs in a transaction, forgets the user's cached roles and leaves an
audit entry (the action names keep their first prefix, ``accounts.role.*``)."""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from accounts.permissions import forget_cached_roles, require
from elections.audit import audit_log

from ..models import RoleAssignment


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
