"""Applications of candidates and party lists: submission inside the calendar window (in
``submission``), withdrawal until the deadline (seed 000 items 13–16; seed 003 items 16–19, 25).

Who submits:
* a person for themself (self-nomination): any logged-in user — the application is tied to
  their account and e-mail;
* the group's organising-committee member for their own group (nomination by the community),
  or the secretariat entering a paper application (``candidate.submit`` on the group);
* a party's authorised representative for their party's list in a district
  (``candidate.party_list`` and being the list's representative; the secretariat for any list).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.permissions import can, require
from elections.audit import audit_log
from elections.outbox import task_enqueue
from groups.models import RoleAssignment, TerritorialUnit
from groups.services import role_revoke

from .. import deadlines
from ..contests import Contest
from ..models import Application, PartyList
from ..selectors import may_withdraw, settings_for
from ._common import (
    audit_actor,
    clock,
    refuse_closed_election,
    refuse_observers,
)

A = Application.Status
N = Application.Nomination


def _contest(election, group, unit) -> Contest:
    if (group is None) == (unit is None):
        raise ValidationError(_("Choose the group or the district the candidate stands in."))
    target = group or unit
    if target.election_id != election.pk:
        raise ValidationError(_("The group or district belongs to another election."))
    if unit is not None and unit.kind != TerritorialUnit.Kind.DISTRICT:
        raise ValidationError(_("Candidates stand in electoral districts, not in precincts."))
    return Contest(election=election, group=group, unit=unit)


def _notify_after_commit(application: Application) -> None:
    from .. import tasks

    application_id = application.pk
    task_enqueue(tasks.send_application_status.name, application_id)


def revoke_candidate_role(application: Application, actor) -> None:
    """The candidate's role ends when they leave the race (kept while another registration
    in the same scope stands)."""

    from ._common import system_or

    if application.user_id is None:
        return
    still = Application.objects.filter(
        election=application.election, user=application.user, status=A.ADMITTED, group=application.group
    ).exclude(pk=application.pk)
    if still.exists():
        return
    for assignment in RoleAssignment.objects.filter(
        user=application.user, role=Role.CANDIDATE, election=application.election, group=application.group
    ):
        role_revoke(assignment=assignment, actor=system_or(actor, "roles.manage", application.election))


def _withdraw(application: Application, actor, reason: str, now, settings) -> Application:
    was_registered = application.status == A.ADMITTED
    approved_at = deadlines.ballot_approved_at(application.election, settings)
    application.status = A.WITHDRAWN
    application.withdrawn_at = now
    application.withdrawn_by = actor if actor is not None and actor.is_authenticated else None
    application.withdrawal_reason = reason.strip()
    application.left_after_ballot_approval = bool(was_registered and approved_at and now >= approved_at)
    application.full_clean()
    application.save()
    if was_registered:
        revoke_candidate_role(application, actor)
    audit_log(
        action="candidates.application.withdrawn",
        **audit_actor(actor),
        obj=application,
        election=application.election,
        data={
            "application_id": application.pk,
            "contest": application.contest_key,
            "was_registered": was_registered,
            "after_ballot_approval": application.left_after_ballot_approval,
            "reason": application.withdrawal_reason,
            "withdrawn_at": now,
        },
    )
    _notify_after_commit(application)
    return application


def _refuse_after_withdrawal_deadline(election, settings, now) -> None:
    deadline = deadlines.withdrawal_deadline(election, settings)
    if deadline.has_passed(now):
        raise ValidationError(
            _("Withdrawal is no longer possible: the deadline (%(due)s) has passed.")
            % {"due": deadline.label}
        )


@transaction.atomic
def application_withdraw(*, application: Application, actor, reason: str = "", as_of=None) -> Application:
    """The candidate withdraws (or the party withdraws a candidate of its list), not later than
    the withdrawal deadline of the calendar (seed 003 item 25: 2 days before voting). A
    registered candidate who withdraws after the ballot was approved stays on the ballot and is
    marked in the results (``left_after_ballot_approval``)."""
    now = clock(actor, as_of)
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("election", "party_list", "group", "unit")
        .get(pk=application.pk)
    )
    election = application.election
    refuse_observers(actor, election)
    if actor is not None and not may_withdraw(actor, application):
        raise PermissionDenied(_("Only the candidate, or the party for a candidate of its list, withdraws."))
    refuse_closed_election(election)
    if application.status not in Application.STANDING:
        raise ValidationError(_("This application is no longer in the race."))
    settings = settings_for(election)
    _refuse_after_withdrawal_deadline(election, settings, now)
    return _withdraw(application, actor, reason, now, settings)


# --- party lists ----------------------------------------------------------------------------


@transaction.atomic
def party_list_create(
    *, election, unit, party_name: str, actor, representative: User | None = None, as_of=None
) -> PartyList:
    """A party's authorised representative opens the party's list for a district (seed 003
    items 16 and 18), inside the party lists' window."""
    now = clock(actor, as_of)
    refuse_observers(actor, election)
    refuse_closed_election(election)
    contest = _contest(election, None, unit)
    if actor is not None:
        require(actor, "candidate.party_list", contest)
        if not can(actor, "candidate.manage", election):
            representative = actor
    representative = representative or actor
    if representative is None:
        raise ValidationError(_("Name the party's authorised representative."))
    settings = settings_for(election)
    if not settings.allow_party_list:
        raise ValidationError(_("This election does not accept party lists."))
    refusal = deadlines.application_window(election, settings, Application.Nomination.PARTY_LIST).refusal(now)
    if refusal:
        raise ValidationError(refusal)
    commission = contest.verifying_commission()
    if commission is None:
        raise ValidationError(
            _("Applications to “%(contest)s” open once its verifying commission is formed.")
            % {"contest": contest.name}
        )
    party_list = PartyList(
        election=election,
        unit=unit,
        commission=commission,
        party_name=" ".join(party_name.split()),
        representative=representative,
        created_at=now,
    )
    party_list.full_clean()
    party_list.save()
    audit_log(
        action="candidates.party_list.created",
        actor=actor,
        obj=party_list,
        election=election,
        data={
            "party_list_id": party_list.pk,
            "party": party_list.party_name,
            "contest": contest.key,
            "representative_id": representative.pk,
        },
    )
    return party_list


@transaction.atomic
def party_list_withdraw(*, party_list: PartyList, actor, reason: str = "", as_of=None) -> PartyList:
    """The party recalls its whole list (seed 003 item 25), not later than the withdrawal
    deadline: every candidate still standing on it is withdrawn."""
    now = clock(actor, as_of)
    party_list = PartyList.objects.select_for_update().select_related("election").get(pk=party_list.pk)
    election = party_list.election
    refuse_observers(actor, election)
    if actor is not None:
        require(actor, "candidate.party_list", party_list)
        if party_list.representative_id != actor.pk and not can(actor, "candidate.manage", election):
            raise PermissionDenied(_("Only the party's authorised representative recalls its list."))
    refuse_closed_election(election)
    if party_list.withdrawn_at is not None:
        raise ValidationError(_("This party list was recalled."))
    settings = settings_for(election)
    _refuse_after_withdrawal_deadline(election, settings, now)
    candidates = (
        Application.objects.select_for_update(of=("self",))
        .select_related("election", "party_list", "group", "unit")
        .filter(party_list=party_list, status__in=Application.STANDING)
        .order_by("list_position")
    )
    withdrawn = [_withdraw(a, actor, reason, now, settings).pk for a in candidates]
    party_list.withdrawn_at = now
    party_list.withdrawal_reason = reason.strip()
    party_list.save(update_fields=["withdrawn_at", "withdrawal_reason"])
    audit_log(
        action="candidates.party_list.withdrawn",
        **audit_actor(actor),
        obj=party_list,
        election=election,
        data={
            "party_list_id": party_list.pk,
            "applications": withdrawn,
            "reason": party_list.withdrawal_reason,
        },
    )
    return party_list
