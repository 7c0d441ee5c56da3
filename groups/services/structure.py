"""Electoral groups and commissions. Each service runs in a transaction and leaves an audit entry."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.permissions import require
from elections.audit import audit_log

from ..models import Commission, ElectoralGroup
from ._common import file_digest, refuse_when_archived, voting_has_opened

GROUP_FIELDS = (
    "slug",
    "name_ru",
    "name_en",
    "name_kk",
    "name_ky",
    "description_ru",
    "description_en",
    "description_kk",
    "description_ky",
    "eligibility_ru",
    "eligibility_en",
    "eligibility_kk",
    "eligibility_ky",
    "seats_members",
    "seats_alternates",
    "decision_rule",
    "regulations",
    "order",
)
#: the rules of a group's vote: fixed once voting has opened
GROUP_FROZEN_ONCE_VOTING = ("seats_members", "seats_alternates", "decision_rule", "regulations")
#: the fields of the group that decide its count: its ballot follows them
GROUP_RULE_FIELDS = ("seats_members", "seats_alternates", "decision_rule")
#: functions ``fn(*, group, actor)`` run in ``group_update``'s transaction when a rule field
#: changes; ``ballots`` registers its contest's sync here (dependencies point one way)
GROUP_RULE_FOLLOWERS: list = []


def follow_group_rules(fn):
    if fn not in GROUP_RULE_FOLLOWERS:
        GROUP_RULE_FOLLOWERS.append(fn)
    return fn


COMMISSION_FIELDS = ("kind", "name_ru", "name_kk", "name_ky", "name_en", "parent", "group", "unit")


def _audit_value(field: str, value):
    if field == "regulations":
        return file_digest(value) if value else None
    if hasattr(value, "pk"):
        return value.pk
    return value


@transaction.atomic
def group_create(*, election, actor, slug: str, name_ru: str, name_en: str = "", **fields) -> ElectoralGroup:
    """Add an electoral group (seed 000: a community that elects a member and an alternate)."""
    if actor is not None:
        require(actor, "group.manage", election)
    refuse_when_archived(election)
    unknown = set(fields) - set(GROUP_FIELDS)
    if unknown:
        raise TypeError(f"Unknown group fields: {sorted(unknown)}")
    if not fields.get("regulations"):
        fields.pop("regulations", None)
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
            "decision_rule": group.decision_rule,
            "regulations_sha256": _audit_value("regulations", group.regulations),
        },
    )
    return group


@transaction.atomic
def group_update(*, group: ElectoralGroup, actor, **fields) -> ElectoralGroup:
    """Change a group's description, eligibility, seats, decision rule or regulations.

    The seats, the decision rule and the regulations are the rules of the group's vote: they can
    no longer change once voting has opened (seed 000 stage 5: the member and the alternate are
    named "according to the decision principle of the group's election regulations").
    """
    if actor is not None:
        require(actor, "group.manage", group)
    group = ElectoralGroup.objects.select_for_update(of=("self",)).select_related("election").get(pk=group.pk)
    refuse_when_archived(group.election)
    unknown = set(fields) - set(GROUP_FIELDS)
    if unknown:
        raise TypeError(f"Unknown group fields: {sorted(unknown)}")
    changed = {}
    for field, value in fields.items():
        if field == "regulations":
            if value is None or value == group.regulations:
                continue  # no new file uploaded
            if value is False:
                value = ""
        if getattr(group, field) != value:
            changed[field] = value
    if not changed:
        return group
    frozen = sorted(set(changed) & set(GROUP_FROZEN_ONCE_VOTING))
    if frozen and voting_has_opened(group.election):
        raise ValidationError({f: _("This can no longer change: voting has already opened.") for f in frozen})
    before = {f: _audit_value(f, getattr(group, f)) for f in changed}
    for field, value in changed.items():
        setattr(group, field, value)
    group.full_clean()
    group.save()
    audit_log(
        action="groups.group.updated",
        actor=actor,
        obj=group,
        data={"changed": {f: [before[f], _audit_value(f, getattr(group, f))] for f in changed}},
    )
    if set(changed) & set(GROUP_RULE_FIELDS):
        for follower in GROUP_RULE_FOLLOWERS:
            follower(group=group, actor=actor)
    return group


@transaction.atomic
def commission_create(
    *,
    election,
    actor,
    kind: str,
    name_ru: str,
    name_en: str = "",
    name_kk: str = "",
    name_ky: str = "",
    parent=None,
    group=None,
    unit=None,
) -> Commission:
    """Form a commission (organising committee, mandate/counting commission, CEC, TEC, PEC, …).

    A PEC reports to a TEC and a TEC to the CEC (seed 003); an election has one organising
    committee and one CEC at most.
    """
    if actor is not None:
        require(actor, "commission.manage", election)
    refuse_when_archived(election)
    commission = Commission(
        election=election,
        kind=kind,
        name_ru=name_ru,
        name_en=name_en,
        name_kk=name_kk,
        name_ky=name_ky,
        parent=parent,
        group=group,
        unit=unit,
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
            "unit_id": unit.pk if unit else None,
        },
    )
    return commission


@transaction.atomic
def commission_update(*, commission: Commission, actor, **fields) -> Commission:
    """Rename a commission or change whom it serves and reports to."""
    if actor is not None:
        require(actor, "commission.manage", commission)
    commission = (
        Commission.objects.select_for_update(of=("self",)).select_related("election").get(pk=commission.pk)
    )
    refuse_when_archived(commission.election)
    unknown = set(fields) - set(COMMISSION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown commission fields: {sorted(unknown)}")
    changed = {f: v for f, v in fields.items() if getattr(commission, f) != v}
    if not changed:
        return commission
    if "kind" in changed and (commission.members.exists() or commission.children.exists()):
        raise ValidationError(
            {"kind": _("The kind cannot change while the commission has members or subordinate commissions.")}
        )
    before = {f: _audit_value(f, getattr(commission, f)) for f in changed}
    for field, value in changed.items():
        setattr(commission, field, value)
    commission.full_clean()
    commission.save()
    audit_log(
        action="groups.commission.updated",
        actor=actor,
        obj=commission,
        data={"changed": {f: [before[f], _audit_value(f, getattr(commission, f))] for f in changed}},
    )
    return commission
