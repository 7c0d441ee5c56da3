"""Representatives and proxies (seed 003 items 15, 27).

* ``representative_receive`` — a member of the territorial commission records the documents
  received for a representative of a party (its list) or of a candidate: who, what kind, when the
  documents came; the decision is due within two calendar days (item 15's rule in the calendar plan,
  case kind ``representative_registration``); a proxy's documents have no deadline (item 27).
* ``representative_register`` / ``representative_refuse`` — the commission's decision (by its
  member acting for it, numbered); registering gives the representative an account and the
  role of a party's or candidate's representative, and a credential with a QR code; refusing
  needs the reasons.
* ``representative_cancel`` — a registration ends (recalled by the party or candidate, or by the
  commission), with the reasons; the credential then shows as cancelled.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.services import user_create
from candidates.models import PartyList
from elections.audit import audit_log
from elections.models import Decision
from elections.selectors import case_due
from elections.services.decisions import decision_take
from groups.models import RoleAssignment
from groups.services import role_assign, role_revoke
from groups.services._common import system_or

from .. import plan
from ..models import Representative
from ._common import commission_member, refuse, tec_of

R = Representative.Status
CASE_KIND = {
    Representative.Kind.ELECTION: Decision.Kind.REPRESENTATIVE,
    Representative.Kind.FINANCIAL: Decision.Kind.REPRESENTATIVE,
    Representative.Kind.PROXY: Decision.Kind.PROXY,
}


@transaction.atomic
def representative_receive(
    *,
    election,
    actor,
    kind: str,
    full_name: str,
    received_at,
    party_list=None,
    application=None,
    email: str = "",
    phone: str = "",
    document=None,
) -> Representative:
    """Record the documents received for a representative (see the module)."""
    if (party_list is None) == (application is None):
        refuse(_("Choose the party or the candidate the representative acts for."), "principal")
    principal = party_list or application
    if principal.election_id != election.pk:
        refuse(_("The party or candidate belongs to another election."), "principal")
    commission = tec_of(party_list=party_list, application=application)
    if commission is None:
        refuse(_("No territorial commission registers representatives of this party or candidate."), "no_tec")
    commission_member(actor, commission, "representative.decide")
    if kind not in Representative.Kind.values:
        refuse(_("Choose what the representative is."), "kind")
    if not full_name.strip():
        refuse(_("Give the representative's full name."), "name")
    if kind != Representative.Kind.PROXY and not email.strip():
        refuse(
            _("Give the representative's e-mail: a representative gets an account to act in the portal."),
            "email",
        )
    if received_at is None or received_at > timezone.now():
        refuse(_("Give when the documents were received; it cannot be in the future."), "received_at")
    due = case_due(election, CASE_KIND[kind], received_at)
    representative = Representative(
        election=election,
        commission=commission,
        kind=kind,
        party_list=party_list,
        application=application,
        full_name=full_name.strip(),
        email=email.strip().lower(),
        phone=phone.strip(),
        received_at=received_at,
        due_at=due or received_at,
        recorded_by=actor if actor is not None else User.objects.filter(is_superuser=True).first(),
    )
    if document is not None:
        representative.document = document
    representative.full_clean(exclude=["recorded_by", "document"])
    representative.save()
    audit_log(
        action="campaign.representative.received",
        actor=actor,
        obj=representative,
        election=election,
        data={
            "kind": kind,
            "principal": representative.principal_name,
            "due_at": representative.due_at.isoformat(),
        },
    )
    return representative


def _locked(representative: Representative, actor) -> Representative:
    representative = (
        Representative.objects.select_for_update(of=("self",))
        .select_related("election", "commission", "party_list", "application")
        .get(pk=representative.pk)
    )
    commission_member(actor, representative.commission, "representative.decide")
    return representative


def _decide(representative, actor, *, outcome, reasons, action, apply, decided_at=None):
    def on_adopted(decision):
        representative.decision = decision
        apply()
        representative.save()
        return {"status": representative.status}

    return decision_take(
        election=representative.election,
        kind=CASE_KIND[representative.kind],
        subject=representative,
        subject_label=f"{representative.full_name} ({representative.principal_name})",
        body=representative.commission,
        outcome=outcome,
        actor=actor,
        action=action,
        on_adopted=on_adopted,
        reasons=reasons,
        received_at=representative.received_at,
        decided_at=decided_at,
    )


@transaction.atomic
def representative_register(*, representative: Representative, actor, decided_at=None) -> Representative:
    """Register the representative: an account (invited to set its password) and the role of a
    representative for a representative for the election or for financial matters."""
    representative = _locked(representative, actor)
    if representative.status != R.SUBMITTED:
        refuse(_("This representative has been decided on already."), "decided")

    def register():
        representative.status = R.REGISTERED
        if representative.kind == Representative.Kind.PROXY or not representative.email:
            return
        user = User.objects.filter(email__iexact=representative.email).first()
        if user is None:
            user = user_create(
                email=representative.email,
                full_name=representative.full_name,
                actor=system_or(actor, "roles.manage", representative.election),
            )
        representative.user = user

    _decide(
        representative,
        actor,
        outcome=Decision.Outcome.GRANTED,
        reasons="",
        action="campaign.representative.registered",
        apply=register,
    )
    if representative.user is not None:
        role_assign(
            user=representative.user,
            role=Role.PARTY_REPRESENTATIVE,
            election=representative.election,
            actor=system_or(actor, "roles.manage", representative.election),
        )
    plan.representatives_fulfil(representative.election, representative.kind)
    return representative


@transaction.atomic
def representative_refuse(*, representative: Representative, actor, reasons: str) -> Representative:
    representative = _locked(representative, actor)
    if representative.status != R.SUBMITTED:
        refuse(_("This representative has been decided on already."), "decided")
    if not reasons.strip():
        raise ValidationError({"reasons": _("Give the reasons; the party or candidate will read them.")})

    def apply():
        representative.status = R.REFUSED

    _decide(
        representative,
        actor,
        outcome=Decision.Outcome.REFUSED,
        reasons=reasons,
        action="campaign.representative.refused",
        apply=apply,
    )
    return representative


@transaction.atomic
def representative_cancel(*, representative: Representative, actor, reasons: str) -> Representative:
    """End a registration (recalled by the party or candidate, or decided by the commission)."""
    representative = _locked(representative, actor)
    if representative.status != R.REGISTERED:
        refuse(_("Only a registered representative's registration is cancelled."), "not_registered")
    if not reasons.strip():
        raise ValidationError({"reasons": _("Give the reasons for the cancellation.")})

    def apply():
        representative.status = R.CANCELLED

    _decide(
        representative,
        actor,
        outcome=Decision.Outcome.REVOKED,
        reasons=reasons,
        action="campaign.representative.cancelled",
        apply=apply,
    )
    others = Representative.objects.filter(
        election=representative.election, user=representative.user, status=R.REGISTERED
    ).exclude(pk=representative.pk)
    owns_a_list = PartyList.objects.filter(
        election=representative.election, representative=representative.user
    )
    if representative.user is not None and not others.exists() and not owns_a_list.exists():
        for assignment in RoleAssignment.objects.filter(
            user=representative.user, role=Role.PARTY_REPRESENTATIVE, election=representative.election
        ):
            role_revoke(
                assignment=assignment, actor=system_or(actor, "roles.manage", representative.election)
            )
    return representative
