from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.permissions import refuse_observers, require, roles_in
from groups.models import Commission, CommissionMember
from groups.selectors import is_cec_or_secretariat


class CampaignRefused(ValidationError):
    """A campaign record was refused; ``code`` says why."""


def refuse(message, code):
    raise CampaignRefused(message, code=code)


def tec_of(party_list=None, application=None) -> Commission | None:
    """The territorial commission of the principal's district (or its own commission)."""
    principal = party_list or application
    if principal is None:
        return None
    commission = getattr(principal, "commission", None)
    if commission is not None and commission.kind == Commission.Kind.TEC:
        return commission
    unit_id = getattr(principal, "unit_id", None)
    if unit_id is None and application is not None and application.party_list_id:
        unit_id = application.party_list.unit_id
    if unit_id is None:
        return commission
    return (
        Commission.objects.filter(
            election_id=principal.election_id, kind=Commission.Kind.TEC, unit_id=unit_id
        ).first()
        or commission
    )


def commission_member(actor, commission: Commission, capability: str) -> None:
    """The secretariat, or an active member of ``commission`` with ``capability``."""
    if actor is None:
        return
    require(actor, capability, commission)
    refuse_observers(actor, commission.election)
    if actor.is_superuser or Role.SECRETARIAT in roles_in(actor, commission.election):
        return
    if not CommissionMember.objects.filter(commission=commission, user=actor, is_active=True).exists():
        raise PermissionDenied(
            _("Only a member of %(commission)s does this.") % {"commission": commission.name}
        )


def cec_or_secretariat(actor, election, capability: str) -> None:
    if actor is None:
        return
    require(actor, capability, election)
    refuse_observers(actor, election)
    if not is_cec_or_secretariat(actor, election):
        raise PermissionDenied(_("Only the central commission or the secretariat records this."))
