"""The organising committee: one representative per electoral group (seed 000 items 3–6).

The secretariat asks every community for a representative (item 3); each group decides by its
own procedure and submits the candidacy (item 4) — here with the public nomination form, or
entered by the secretariat from the group's letter; the secretariat forms the committee (item 5):
an approved representative holds the organising-committee role for the group and is invited to
set up their account.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.permissions import require
from accounts.services import user_create
from elections.audit import audit_log
from elections.models import Decision
from elections.notify import absolute, account_setup_link, notify
from elections.outbox import task_enqueue
from elections.services.decisions import decision_take

from ..models import Commission, ElectoralGroup, OrgCommitteeNomination, RoleAssignment
from ._common import audit_actor, refuse_observers, refuse_when_archived
from .roles import role_assign, role_revoke

N = OrgCommitteeNomination.Status
#: decision -> audit action
DECISIONS = {
    "approve": "groups.orgcommittee.approved",
    "reject": "groups.orgcommittee.rejected",
    "withdraw": "groups.orgcommittee.withdrawn",
}
OUTCOMES = {
    "approve": Decision.Outcome.GRANTED,
    "reject": Decision.Outcome.REFUSED,
    "withdraw": Decision.Outcome.REVOKED,
}


def org_committee_of(election) -> Commission | None:
    return Commission.objects.filter(election=election, kind=Commission.Kind.ORG_COMMITTEE).first()


@transaction.atomic
def nomination_submit(
    *,
    election,
    group: ElectoralGroup,
    actor,
    full_name: str,
    email: str,
    phone: str = "",
    organisation: str = "",
    group_decision: str = "",
    decision_document=None,
    language: str = "ru",
) -> OrgCommitteeNomination:
    """A group proposes its representative in the organising committee (seed 000 item 4)."""
    refuse_observers(actor, election)
    refuse_when_archived(election)
    committee = org_committee_of(election)
    if committee is None:
        raise ValidationError(_("The organising committee of this election is not formed yet."))
    if group.election_id != election.pk:
        raise ValidationError({"group": _("The group belongs to another election.")})
    if committee.nominations.filter(group=group, status=N.APPROVED).exists():
        raise ValidationError(
            {"group": _("This group already has a representative; the secretariat must withdraw them first.")}
        )
    nomination = OrgCommitteeNomination(
        commission=committee,
        group=group,
        full_name=full_name,
        email=User.objects.normalize_email(email).lower(),
        phone=phone,
        organisation=organisation,
        group_decision=group_decision,
        decision_document=decision_document or "",
        language=language,
        submitted_by=actor if actor is not None and actor.is_authenticated else None,
    )
    nomination.full_clean()
    nomination.save()
    audit_log(
        action="groups.orgcommittee.nominated",
        **audit_actor(actor),
        obj=nomination,
        election=election,
        data={"nomination_id": nomination.pk, "group_id": group.pk, "full_name": full_name},
    )
    return nomination


def _revoke_representative_role(nomination: OrgCommitteeNomination, actor) -> None:
    still = nomination.commission.nominations.filter(
        group=nomination.group, user=nomination.user, status=N.APPROVED
    ).exclude(pk=nomination.pk)
    if nomination.user is None or still.exists():
        return
    for assignment in RoleAssignment.objects.filter(
        user=nomination.user, role=Role.ORG_COMMITTEE, group=nomination.group
    ):
        role_revoke(assignment=assignment, actor=actor)


@transaction.atomic
def nomination_decide(
    *, nomination: OrgCommitteeNomination, decision: str, actor, reason: str = ""
) -> OrgCommitteeNomination:
    """The secretariat approves or rejects a nomination, or withdraws an approved representative.

    Approval gives the person (a new account if needed) the organising-committee role for the
    group; withdrawal takes it back. A rejection or withdrawal states its reason. The person is
    told by e-mail.
    """
    if decision not in DECISIONS:
        raise ValidationError(_("Choose a decision."))
    nomination = (
        OrgCommitteeNomination.objects.select_for_update(of=("self",))
        .select_related("commission__election", "group")
        .get(pk=nomination.pk)
    )
    committee, election = nomination.commission, nomination.commission.election
    if actor is not None:
        require(actor, "commission.manage", committee)
    refuse_when_archived(election)
    expected = N.APPROVED if decision == "withdraw" else N.SUBMITTED
    if nomination.status != expected:
        raise ValidationError(_("This nomination is already decided."))
    if decision in ("reject", "withdraw") and not reason.strip():
        raise ValidationError({"reason": _("Give the reason; the person will read it.")})
    if (
        decision == "approve"
        and committee.nominations.filter(group=nomination.group, status=N.APPROVED).exists()
    ):
        raise ValidationError(_("This group already has a representative; withdraw them first."))

    def on_adopted(record) -> dict:
        if decision == "approve":
            user = User.objects.filter(email__iexact=nomination.email).first()
            if user is None:
                user = user_create(
                    email=nomination.email,
                    full_name=nomination.full_name,
                    language=nomination.language,
                    actor=actor,
                )
            nomination.user = user
            nomination.status = N.APPROVED
        elif decision == "reject":
            nomination.status = N.REJECTED
        else:
            nomination.status = N.WITHDRAWN
        nomination.decision = record
        nomination.full_clean()
        nomination.save()
        if decision == "approve":
            role_assign(user=nomination.user, role=Role.ORG_COMMITTEE, group=nomination.group, actor=actor)
        elif decision == "withdraw":
            _revoke_representative_role(nomination, actor)
        return {"user_id": nomination.user_id, "reason": record.reasons}

    # the secretariat forms the committee (seed 000 item 5): the decision is the secretariat's
    decision_take(
        election=election,
        kind=Decision.Kind.ORG_COMMITTEE_NOMINATION,
        subject=nomination,
        subject_label=nomination.full_name,
        body=None,
        outcome=OUTCOMES[decision],
        actor=actor,
        action=DECISIONS[decision],
        on_adopted=on_adopted,
        data={"nomination_id": nomination.pk, "group_id": nomination.group_id},
        reasons=reason,
        received_at=nomination.submitted_at,
    )
    from .. import tasks

    nomination_id = nomination.pk
    task_enqueue(tasks.send_nomination_decision.name, nomination_id)
    return nomination


@transaction.atomic
def nomination_notify(*, nomination_id: int) -> bool:
    """Tell the nominee about the decision, once per decision. True when an e-mail was sent."""
    nomination = (
        OrgCommitteeNomination.objects.select_for_update(of=("self",))
        .select_related("commission__election", "group", "user")
        .filter(pk=nomination_id)
        .first()
    )
    if (
        nomination is None
        or nomination.status == N.SUBMITTED
        or nomination.notified_status == nomination.status
    ):
        return False
    election, user = nomination.commission.election, nomination.user
    notify(
        app="groups",
        election=election,
        to=nomination.email,
        language=user.language if user else nomination.language,
        template=f"nomination_{nomination.status}",
        context={
            "nomination": nomination,
            "group_name": lambda: nomination.group.name,
            "election_title": lambda: election.title,
            "setup_link": (lambda: account_setup_link(user)) if user else "",
            "committee_link": lambda: absolute(reverse("groups:orgcom", args=[election.slug])),
        },
    )
    nomination.notified_status = nomination.status
    nomination.save(update_fields=["notified_status"])
    return True
