"""Everything that changes the electoral structure: keyword-only arguments, one transaction, the
rule check, ``full_clean()``, an audit entry; e-mails queued after commit."""

from .members import (
    CommissionActionRefused,
    ConflictOfInterestNotDeclared,
    NotACommissionMember,
    active_membership,
    coi_declaration_text,
    member_declare_coi,
    member_invitation_send,
    member_invite,
    member_remove,
    member_update,
    require_coi_declared,
)
from .observers import (
    observer_accredit,
    observer_apply,
    observer_invite,
    observer_notify,
    observer_refuse,
    observer_revoke,
    responsible_body,
)
from .orgcommittee import nomination_decide, nomination_notify, nomination_submit, org_committee_of
from .roles import role_assign, role_revoke
from .structure import commission_create, commission_update, group_create, group_update
from .units import UnitImportError, parse_units_csv, unit_create, unit_update, units_import

__all__ = [
    "CommissionActionRefused",
    "ConflictOfInterestNotDeclared",
    "NotACommissionMember",
    "UnitImportError",
    "active_membership",
    "coi_declaration_text",
    "commission_create",
    "commission_update",
    "group_create",
    "group_update",
    "member_declare_coi",
    "member_invitation_send",
    "member_invite",
    "member_remove",
    "member_update",
    "nomination_decide",
    "nomination_notify",
    "nomination_submit",
    "observer_accredit",
    "observer_apply",
    "observer_invite",
    "observer_notify",
    "observer_refuse",
    "observer_revoke",
    "org_committee_of",
    "parse_units_csv",
    "require_coi_declared",
    "responsible_body",
    "role_assign",
    "role_revoke",
    "unit_create",
    "unit_update",
    "units_import",
]
