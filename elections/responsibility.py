"""Who in the portal answers for a calendar activity.

Templates name responsible bodies by role keys (``cec``, ``secretariat``, ``mandate_commission``
…; see the ``roles:`` list of each template). This module maps those keys to portal users of one
election: holders of a role, or members of the election's commissions of a kind. Keys with no
portal counterpart (``media``, ``grs``, ``parties`` …) map to nobody; their overdue notices still
reach the secretariat.
"""

from __future__ import annotations

from django.db.models import Q

from accounts.models import Role, User
from accounts.permissions import role_assignments

#: template role key -> ("role", Role) or ("commission", commission kind)
ROLE_KEYS: dict[str, tuple[str, str]] = {
    "secretariat": ("role", Role.SECRETARIAT),
    "org_committee": ("role", Role.ORG_COMMITTEE),
    "org_committee_member": ("role", Role.ORG_COMMITTEE),
    "observers": ("role", Role.OBSERVER),
    "candidates": ("role", Role.CANDIDATE),
    "voters": ("role", Role.VOTER),
    "parties": ("role", Role.PARTY_REPRESENTATIVE),
    "cec": ("commission", "cec"),
    "tec": ("commission", "tec"),
    "pec": ("commission", "pec"),
    "mandate_commission": ("commission", "mandate"),
    "counting_commission": ("commission", "counting"),
}


def _assignment_filter(election, keys) -> Q | None:
    query = None
    for key in keys:
        target = ROLE_KEYS.get(key)
        if target is None:
            continue
        kind, value = target
        if kind == "role":
            q = Q(role=value) & (Q(election=election) | Q(election__isnull=True, role=Role.SECRETARIAT))
        else:
            q = Q(role=Role.COMMISSION_MEMBER, commission__election=election, commission__kind=value)
        query = q if query is None else query | q
    return query


def responsible_users(election, role_keys) -> list[User]:
    """Active users of ``election`` who hold one of the template roles ``role_keys``."""
    query = _assignment_filter(election, role_keys)
    if query is None:
        return []
    ids = role_assignments().filter(query).values_list("user_id", flat=True)
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("email"))


def secretariat_users(election) -> list[User]:
    return responsible_users(election, ["secretariat"])


def role_keys_of(user, election) -> set[str]:
    """The template role keys ``user`` answers for in ``election``."""
    if not user.is_authenticated:
        return set()
    held = set()
    for a in role_assignments(user).select_related("commission"):
        if a.election_id not in (None, election.pk):
            continue
        if a.election_id is None and a.role != Role.SECRETARIAT:
            continue
        for key, (kind, value) in ROLE_KEYS.items():
            if (
                kind == "role"
                and a.role == value
                or kind == "commission"
                and a.commission is not None
                and a.commission.kind == value
            ):
                held.add(key)
    return held


def is_responsible(user, activity) -> bool:
    return bool(role_keys_of(user, activity.calendar.election) & set(activity.responsible_roles))
