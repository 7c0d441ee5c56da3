"""Changes to the electoral structure. Each runs in a transaction and leaves an audit entry."""

from __future__ import annotations

from django.db import transaction

from accounts.permissions import require
from elections.audit import audit_log

from .models import Commission, ElectoralGroup


@transaction.atomic
def group_create(*, election, actor, slug: str, name_ru: str, name_en: str = "", **fields) -> ElectoralGroup:
    """Add an electoral group (seed 000: a community that elects a member and an alternate)."""
    if actor is not None:
        require(actor, "group.manage", election)
    group = ElectoralGroup(election=election, slug=slug, name_ru=name_ru, name_en=name_en, **fields)
    group.full_clean()
    group.save()
    audit_log(
        action="groups.group.created",
        actor=actor,
        obj=group,
        election=election,
        data={
            "slug": slug,
            "name_ru": name_ru,
            "seats_members": group.seats_members,
            "seats_alternates": group.seats_alternates,
        },
    )
    return group


@transaction.atomic
def commission_create(
    *, election, actor, kind: str, name_ru: str, name_en: str = "", parent=None, group=None
) -> Commission:
    """Form a commission (organising committee, mandate/counting commission, CEC, TEC, PEC, …)."""
    if actor is not None:
        require(actor, "commission.manage", election)
    commission = Commission(
        election=election, kind=kind, name_ru=name_ru, name_en=name_en, parent=parent, group=group
    )
    commission.full_clean()
    commission.save()
    audit_log(
        action="groups.commission.created",
        actor=actor,
        obj=commission,
        election=election,
        data={
            "kind": kind,
            "name_ru": name_ru,
            "parent_id": parent.pk if parent else None,
            "group_id": group.pk if group else None,
        },
    )
    return commission
