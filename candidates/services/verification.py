"""Verification by the commission: each member's review against the election's checklist, and
the commission's numbered decisions — admission or refusal (seed 000 items 15–16; seed 003
items 20–22) and cancellation of a registration (seed 003 item 26).

The commission is the group's mandate commission or the district's territorial commission (the
application's ``commission``). Every member who acts — reviews, records a decision or votes —
must have signed the declaration of no conflict of interest
(``groups.services.require_coi_declared``).

The rule of a vote: the members present vote for, against or abstain. The vote is valid when
more than half of the commission's active members take part (quorum); the proposal is adopted
when more than half of the votes cast are "for" (abstentions count as cast, so a tie fails).
Adopted decisions get the commission's next number (1, 2, 3 …); a proposal that failed is kept
with its votes, has no number and changes nothing.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.permissions import require
from accounts.services import user_create
from elections.audit import audit_log
from elections.models import Decision, DecisionVote
from elections.services.decisions import FROM_PLAN, MemberVote, decision_take
from groups.models import Commission, CommissionMember
from groups.services import ConflictOfInterestNotDeclared, require_coi_declared, role_assign
from meetings.services.meeting import decision_record_at_meeting

from .. import deadlines
from ..models import Application, Review, ReviewCheck
from ..selectors import criteria_of, settings_for
from ._common import clock, refuse_closed_election, refuse_observers, system_or, voting_has_opened
from .applications import _notify_after_commit, revoke_candidate_role

A = Application.Status
D = Decision.Kind
OUT = Decision.Outcome
VOTES = DecisionVote.Vote.values


class K:
    """What the commission decides on an application (the form's choices)."""

    ADMIT = "admit"
    REFUSE = "refuse"
    CANCEL = "cancel"


ABSENT = "absent"


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("election", "commission", "group", "unit", "party_list", "user")
        .get(pk=application.pk)
    )


def _acting_member(
    actor, application: Application, member: CommissionMember | None
) -> CommissionMember | None:
    """The member who acts: the actor (capability and declaration checked), or — for the system
    (``actor=None``, e.g. the demo) — the member given, who must have declared too."""
    commission = application.commission
    if actor is not None:
        require(actor, "candidate.decide", application)
        return require_coi_declared(actor, commission)
    if member is not None:
        return require_coi_declared(member.user, commission)
    return None


@transaction.atomic
def review_record(
    *,
    application: Application,
    actor,
    checks: dict[int, tuple[bool, str]],
    recommendation: str = Review.Recommendation.UNDECIDED,
    comment: str = "",
    member: CommissionMember | None = None,
) -> Review:
    """A member records their review: each criterion of the checklist met or not (with a
    comment), and a recommendation. A member may revise it until the decision."""
    application = _locked(application)
    election = application.election
    refuse_observers(actor, election)
    acting = _acting_member(actor, application, member)
    if acting is None:
        raise ValidationError(_("Name the member whose review this is."))
    refuse_closed_election(election)
    if not application.is_undecided:
        raise ValidationError(_("This application is already decided."))
    if recommendation not in Review.Recommendation.values:
        raise ValidationError({"recommendation": _("Choose a recommendation.")})
    criteria = list(criteria_of(election))
    missing = [c for c in criteria if c.pk not in checks]
    if missing:
        raise ValidationError(
            _("Check every criterion of the list (missing: %(missing)s).")
            % {"missing": "; ".join(c.text for c in missing)}
        )
    now = timezone.now()
    review, created = Review.objects.get_or_create(
        application=application, member=acting, defaults={"created_at": now, "updated_at": now}
    )
    review.recommendation = recommendation
    review.comment = comment.strip()
    review.updated_at = now
    review.full_clean()
    review.save()
    review.checks.all().delete()
    ReviewCheck.objects.bulk_create(
        [
            ReviewCheck(
                review=review,
                criterion=c,
                is_met=bool(checks[c.pk][0]),
                comment=(checks[c.pk][1] or "")[:500],
            )
            for c in criteria
        ]
    )
    if application.status == A.SUBMITTED:
        application.status = A.UNDER_REVIEW
        application.save(update_fields=["status", "updated_at"])
    audit_log(
        action="candidates.application.reviewed",
        actor=actor,
        obj=application,
        election=election,
        data={
            "application_id": application.pk,
            "member_id": acting.pk,
            "recommendation": recommendation,
            "criteria_met": sum(1 for c in criteria if checks[c.pk][0]),
            "criteria_not_met": sum(1 for c in criteria if not checks[c.pk][0]),
            "revised": not created,
        },
    )
    return review


def _present(commission: Commission, votes: dict[int, str]) -> tuple[list[MemberVote], int]:
    """The present members with their votes, checked; and the number of active members (the vote
    itself — quorum, majority, number — is ``elections.services.decisions``')."""
    members = {
        m.pk: m
        for m in CommissionMember.objects.filter(commission=commission, is_active=True).select_related("user")
    }
    unknown = [pk for pk in votes if pk not in members]
    if unknown:
        raise ValidationError(_("Only active members of the commission vote."))
    present = []
    for pk, vote in votes.items():
        if vote in (ABSENT, "", None):
            continue
        if vote not in VOTES:
            raise ValidationError(_("Each member votes for, against or abstains."))
        member = members[pk]
        if member.coi_declared_at is None:
            raise ConflictOfInterestNotDeclared(
                _(
                    "%(name)s has not signed the declaration of no conflict of interest and cannot vote "
                    "on candidates; mark the member absent or ask them to sign it first."
                )
                % {"name": member.user.get_full_name()}
            )
        present.append(MemberVote(user=member.user, vote=vote, position=member.position))
    return present, len(members)


def _take(
    *,
    application,
    kind,
    outcome,
    actor,
    votes,
    reasons,
    decided_at,
    now,
    action,
    on_adopted,
    meeting=None,
    data=None,
):
    """The commission's decision on the application, by a vote (``decision_take``)."""
    present, total = _present(application.commission, votes)
    decision = decision_take(
        election=application.election,
        kind=kind,
        subject=application,
        subject_label=application.full_name,
        body=application.commission,
        outcome=outcome,
        actor=actor,
        action=action,
        not_adopted_action="candidates.decision.not_adopted",
        on_adopted=on_adopted,
        data={
            "application_id": application.pk,
            "contest": application.contest_key,
            "commission_id": application.commission_id,
            **(data or {}),
        },
        reasons=reasons,
        votes=present,
        members_total=total,
        decided_at=decided_at,
        received_at=application.received_at,
        due_at=application.decision_due_at if kind == D.CANDIDATE_APPLICATION else FROM_PLAN,
        now=now,
    )
    if meeting is not None:
        # taken at a session of the commission: into its minutes (present members only, with the quorum)
        decision_record_at_meeting(meeting=meeting, decision=decision, actor=actor)
    return decision


def _link_account(application: Application, actor, create_account: bool) -> None:
    """A registered candidate gets a portal account (to download the certificate) and the
    candidate's role in the group (or the election, for a district)."""

    user = application.user or User.objects.filter(email__iexact=application.email).first()
    if user is None and create_account:
        user = user_create(
            email=application.email,
            full_name=application.full_name,
            language=application.language,
            actor=system_or(actor, "roles.manage", application.election),
        )
    if user is None:
        return
    application.user = user
    application.save(update_fields=["user", "updated_at"])
    role_assign(
        user=user,
        role=Role.CANDIDATE,
        election=application.election,
        group=application.group,
        actor=system_or(actor, "roles.manage", application.election),
    )


@transaction.atomic
def application_decide(
    *,
    application: Application,
    actor,
    decision: str,
    votes: dict[int, str],
    reasons: str = "",
    decided_at=None,
    create_account: bool = True,
    as_of=None,
    meeting=None,
) -> Decision:
    """The commission admits (registers) or refuses a candidate by a vote (see the module's
    rule). A refusal states its reasons, which the candidate reads. Audited as
    ``candidates.application.admitted`` / ``.refused`` (or ``candidates.decision.not_adopted``);
    the candidate is told by e-mail after the commit. A registered candidate gets an account
    (unless ``create_account`` is off and none exists) and the candidate's role."""
    now = clock(actor, as_of)
    application = _locked(application)
    election = application.election
    refuse_observers(actor, election)
    _acting_member(actor, application, None)
    refuse_closed_election(election)
    if decision not in (K.ADMIT, K.REFUSE):
        raise ValidationError({"decision": _("Choose a decision.")})
    if not application.is_undecided:
        raise ValidationError(_("This application is already decided."))
    if voting_has_opened(election):
        raise ValidationError(_("Voting has opened; the candidate lists are closed."))
    if decision == K.REFUSE and not reasons.strip():
        raise ValidationError(
            {"reasons": _("Give the reasons of the refusal; the candidate will read them.")}
        )

    def admit_or_refuse(record: Decision) -> None:
        application.decision = record
        if decision == K.ADMIT:
            application.status = A.ADMITTED
            application.admitted_at = record.decided_at
        else:
            application.status = A.REFUSED
            application.refused_at = record.decided_at
            application.refusal_reason = record.reasons
        application.full_clean()
        application.save()
        if decision == K.ADMIT:
            _link_account(application, actor, create_account)

    record = _take(
        application=application,
        kind=D.CANDIDATE_APPLICATION,
        outcome=OUT.GRANTED if decision == K.ADMIT else OUT.REFUSED,
        actor=actor,
        votes=votes,
        reasons=reasons,
        decided_at=decided_at,
        now=now,
        action="candidates.application.admitted" if decision == K.ADMIT else "candidates.application.refused",
        on_adopted=admit_or_refuse,
        meeting=meeting,
    )
    if record.is_adopted:
        _notify_after_commit(application)
    return record


@transaction.atomic
def registration_cancel(
    *,
    application: Application,
    actor,
    votes: dict[int, str],
    reasons: str,
    decided_at=None,
    as_of=None,
    meeting=None,
) -> Decision:
    """The commission cancels a registration by a numbered decision with reasons, not later than
    the cancellation deadline of the calendar (seed 003 item 26: 2 days before voting). After the
    ballot was approved the name stays on the ballot and is marked in the results."""
    now = clock(actor, as_of)
    application = _locked(application)
    election = application.election
    refuse_observers(actor, election)
    _acting_member(actor, application, None)
    refuse_closed_election(election)
    if application.status != A.ADMITTED:
        raise ValidationError(_("Only a registered candidate's registration can be cancelled."))
    if not reasons.strip():
        raise ValidationError(
            {"reasons": _("Give the reasons of the cancellation; the candidate will read them.")}
        )
    settings = settings_for(election)
    deadline = deadlines.cancellation_deadline(election, settings)
    if deadline.has_passed(now):
        raise ValidationError(
            _("A registration can no longer be cancelled: the deadline (%(due)s) has passed.")
            % {"due": deadline.label}
        )

    def cancel(record: Decision) -> dict:
        approved_at = deadlines.ballot_approved_at(election, settings)
        application.status = A.CANCELLED
        application.cancellation_decision = record
        application.cancelled_at = record.decided_at
        application.cancellation_reason = record.reasons
        application.left_after_ballot_approval = bool(approved_at and now >= approved_at)
        application.full_clean()
        application.save()
        revoke_candidate_role(application, actor)
        return {"after_ballot_approval": application.left_after_ballot_approval}

    record = _take(
        application=application,
        kind=D.CANDIDATE_CANCELLATION,
        outcome=OUT.GRANTED,
        actor=actor,
        votes=votes,
        reasons=reasons,
        decided_at=decided_at,
        now=now,
        action="candidates.application.cancelled",
        on_adopted=cancel,
        meeting=meeting,
    )
    if record.is_adopted:
        _notify_after_commit(application)
    return record
