"""Approving the ballot text (seed 003 item 39: the territorial commission, not later than 15 days
before voting) and reopening it for a change.

* ``ballot_text_approve`` — the responsible commission (the district's TEC; for a group's
  contest, the group's commission) decides by a vote of its members present, optionally at a held
  meeting whose minutes then carry the decision. Adopted: the text as it stands becomes the next
  version, with its SHA-256; the contest is locked; the calendar activity is done once every
  contest voted at precincts has an approved text. Not adopted: nothing is approved.
* ``ballot_text_reopen`` — the same commission decides, with its reasons (e.g. a court cancelled a
  registration), to reopen the approved text: the version stays visible as reopened by that
  decision, and the contest may change until the next approval.

Refused: no such commission, no options on the ballot, a text already approved (or none to
reopen), voting already open, a member of another body, an observer.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import refuse_observers, require
from elections.models import Decision
from elections.services.calendar import activity_complete
from elections.services.decisions import VOTES, MemberVote, decision_take
from groups.models import CommissionMember
from meetings.services.meeting import decision_record_at_meeting

from .. import approval
from ..models import BallotText, Contest
from ._common import _refuse

ABSENT = "absent"


def _commission(contest: Contest, actor):
    commission = approval.approving_commission(contest)
    if commission is None:
        _refuse(
            _("No commission approves this ballot: add the district's territorial commission first."),
            "no_commission",
        )
    if actor is not None:
        require(actor, "ballot_text.approve", commission)
        refuse_observers(actor, contest.election)
        if not CommissionMember.objects.filter(commission=commission, user=actor, is_active=True).exists():
            raise PermissionDenied(
                _("Only a member of %(commission)s records its decision.") % {"commission": commission.name}
            )
    return commission


def _votes(commission, votes: dict) -> tuple[list, int]:
    members = {
        m.pk: m
        for m in CommissionMember.objects.filter(commission=commission, is_active=True).select_related("user")
    }
    if any(pk not in members for pk in votes):
        raise ValidationError(_("Only active members of the commission vote."))
    present = []
    for pk, vote in votes.items():
        if vote in (ABSENT, "", None):
            continue
        if vote not in VOTES:
            raise ValidationError(_("Each member votes for, against or abstains."))
        present.append(MemberVote(user=members[pk].user, vote=vote, position=members[pk].position))
    if not present:
        raise ValidationError(_("Record how each member present voted: the commission decides by a vote."))
    return present, len(members)


def _fulfil(election, when) -> None:
    activity = approval.activity(election)
    if activity is None or activity.completed_at is not None or activity.is_not_applicable:
        return
    contests = Contest.objects.filter(election=election, unit__isnull=False)
    if contests.exists() and all(approval.current_text(c) is not None for c in contests):
        activity_complete(
            activity=activity,
            actor=None,
            completed_at=when,
            note=_("The ballot text of every council is approved."),
        )


@transaction.atomic
def ballot_text_approve(
    *, contest: Contest, actor, votes: dict, reasons: str = "", decided_at=None, meeting=None
):
    """The commission's decision approving the ballot text as it stands (see the module)."""
    commission = _commission(contest, actor)
    contest = Contest.objects.select_for_update().select_related("election").get(pk=contest.pk)
    if contest.is_locked:
        _refuse(_("Voting has opened: the ballot is locked and cannot change."), "locked")
    if approval.current_text(contest) is not None:
        _refuse(
            _("The ballot text is approved already; to change it, reopen it first by a decision."), "approved"
        )
    if not contest.options.exists():
        _refuse(_("The ballot has no candidates or lists yet: there is nothing to approve."), "empty")
    present, total = _votes(commission, votes)
    content = approval.text_content(contest)
    sha = approval.content_sha256(content)
    version = (BallotText.objects.filter(contest=contest).aggregate(n=Max("version"))["n"] or 0) + 1
    created = {}

    def on_adopted(decision):
        text = BallotText.objects.create(
            contest=contest,
            version=version,
            content=content,
            sha256=sha,
            decision=decision,
            approved_at=decision.decided_at,
        )
        created["text"] = text
        return {"version": version, "sha256": sha}

    decision = decision_take(
        election=contest.election,
        kind=Decision.Kind.BALLOT_APPROVAL,
        subject=contest,
        subject_label=_("Ballot text: %(contest)s") % {"contest": contest.title_ru},
        body=commission,
        outcome=Decision.Outcome.GRANTED,
        actor=actor,
        action="ballots.text.approved",
        on_adopted=on_adopted,
        not_adopted_action="ballots.text.not_approved",
        reasons=reasons,
        votes=present,
        members_total=total,
        decided_at=decided_at,
        due_at=approval.activity(contest.election).due_at if approval.activity(contest.election) else None,
    )
    if meeting is not None:
        decision_record_at_meeting(meeting=meeting, decision=decision, actor=actor)
    if decision.is_adopted:
        _fulfil(contest.election, decision.decided_at)
    return decision, created.get("text")


@transaction.atomic
def ballot_text_reopen(*, contest: Contest, actor, votes: dict, reasons: str, decided_at=None, meeting=None):
    """The commission's decision reopening the approved text for a change (see the module)."""
    commission = _commission(contest, actor)
    contest = Contest.objects.select_for_update().select_related("election").get(pk=contest.pk)
    if contest.is_locked:
        _refuse(_("Voting has opened: the ballot is locked and cannot change."), "locked")
    text = approval.current_text(contest)
    if text is None:
        _refuse(_("The ballot text is not approved: it can be changed as it is."), "not_approved")
    if not (reasons or "").strip():
        _refuse(_("Give the reasons for reopening the approved text, e.g. the court's decision."), "reasons")
    present, total = _votes(commission, votes)

    def on_adopted(decision):
        BallotText.objects.filter(pk=text.pk).update(reopened_at=timezone.now(), reopen_decision=decision)
        return {"version": text.version}

    decision = decision_take(
        election=contest.election,
        kind=Decision.Kind.BALLOT_REOPEN,
        subject=contest,
        subject_label=_("Ballot text: %(contest)s") % {"contest": contest.title_ru},
        body=commission,
        outcome=Decision.Outcome.GRANTED,
        actor=actor,
        action="ballots.text.reopened",
        on_adopted=on_adopted,
        not_adopted_action="ballots.text.not_reopened",
        reasons=reasons,
        votes=present,
        members_total=total,
        decided_at=decided_at,
        due_at=None,
    )
    if meeting is not None:
        decision_record_at_meeting(meeting=meeting, decision=decision, actor=actor)
    return decision
