"""Taking a decision on a request (``elections.models.Decision``): the one workflow of every app
whose body decides on something — candidates, voters, observers, the organising committee, Form 3.

The caller checks who may act and whether the request may be decided now (its own rules), then
hands the decision here with what to do once it is adopted (``on_adopted``). This service:

* checks the vote — the members present vote for, against or abstain; the vote is valid when more
  than half of the body's members take part (the quorum); the proposal is adopted when more than
  half of the votes cast are "for" (abstentions count as cast, so a tie fails). A decision of an
  official the body authorised (``votes=None``: the secretariat, a commission's member on its
  behalf) is adopted as taken;
* refuses a date in the future;
* gives an adopted decision the body's next number for the year of the decision, under a lock on
  the body (or, for the secretariat, on the election), so two decisions never share a number;
* finds the deadline in the calendar plan (the kind is the plan's case kind) unless given;
* runs ``on_adopted`` in the same transaction and writes one audit entry with the decision's
  number, votes and reasons — ``action`` when adopted, ``not_adopted_action`` when not (a proposal
  that failed is kept with its votes, has no number and changes nothing).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ..audit import audit_log
from ..models import Election
from ..models.decisions import Decision, DecisionVote
from ..selectors import case_due

VOTES = DecisionVote.Vote.values
#: the secretariat as a deciding body, in Russian and in English
SECRETARIAT_NAMES = ("Секретариат", "Secretariat")
#: the secretariat's name in the state languages (Kazakh, Kyrgyz)
SECRETARIAT_STATE_NAMES = {"kk": "Хатшылық", "ky": "Катчылык"}
#: ``due_at`` not given: look it up in the calendar plan from ``received_at``
FROM_PLAN = object()


@dataclass(frozen=True)
class MemberVote:
    """How one member present voted."""

    user: object
    vote: str
    position: str = ""


def body_key(body) -> str:
    """The key decisions are numbered under: the body's model and id, or the secretariat."""
    if body is None:
        return "secretariat"
    return f"{body._meta.label_lower}:{body.pk}"


def quorum_of(members_total: int) -> int:
    """More than half of the body's members."""
    return members_total // 2 + 1


def _lock_body(election: Election, body) -> None:
    if body is None:
        Election.objects.select_for_update().filter(pk=election.pk).first()
    else:
        type(body).objects.select_for_update().filter(pk=body.pk).first()


def _next_number(election: Election, key: str, year: int) -> int:
    last = Decision.objects.filter(election=election, body_key=key, year=year).aggregate(n=Max("number"))["n"]
    return (last or 0) + 1


def _count(votes: list[MemberVote], members_total: int) -> dict[str, int]:
    for v in votes:
        if v.vote not in VOTES:
            raise ValidationError(_("Each member votes for, against or abstains."))
    if len({v.user.pk for v in votes}) != len(votes):
        raise ValidationError(_("Each member votes once."))
    if len(votes) < quorum_of(members_total):
        raise ValidationError(
            _(
                "No quorum: %(present)s of %(total)s members took part in the vote; more than half of the "
                "members must take part."
            )
            % {"present": len(votes), "total": members_total}
        )
    return {v: sum(1 for m in votes if m.vote == v) for v in VOTES}


def decision_data(decision: Decision) -> dict:
    """The decision as its audit entry records it."""
    return {
        "decision_id": decision.pk,
        "kind": decision.kind,
        "outcome": decision.outcome,
        "body": decision.body_key,
        "number": decision.number,
        "year": decision.year,
        "decided_at": decision.decided_at,
        "method": decision.method,
        "votes": {
            "for": decision.votes_for,
            "against": decision.votes_against,
            "abstain": decision.votes_abstained,
        },
        "members_total": decision.members_total,
        "reasons": decision.reasons,
    }


@transaction.atomic
def decision_take(
    *,
    election: Election,
    kind: str,
    subject,
    subject_label: str = "",
    body,
    outcome: str,
    actor,
    action: str,
    on_adopted: Callable[[Decision], dict | None] | None = None,
    not_adopted_action: str = "elections.decision.not_adopted",
    data: dict | None = None,
    reasons: str = "",
    votes: Iterable[MemberVote] | None = None,
    members_total: int = 0,
    decided_at=None,
    received_at=None,
    due_at=FROM_PLAN,
    now=None,
) -> Decision:
    """Record ``body``'s decision on ``subject`` (see the module's rules) and, when adopted, apply
    it with ``on_adopted(decision)``, whose returned dict joins the audit entry's data."""
    now = now or timezone.now()
    decided_at = decided_at or now
    if decided_at > timezone.now():
        raise ValidationError({"decided_at": _("The date of the decision cannot be in the future.")})
    if kind not in Decision.Kind.values or outcome not in Decision.Outcome.values:
        raise ValidationError(_("Choose a decision."))
    _lock_body(election, body)
    decision = Decision(
        election=election,
        kind=kind,
        outcome=outcome,
        body=body,
        body_key=body_key(body),
        body_name_ru=body.name_ru if body is not None else SECRETARIAT_NAMES[0],
        body_name_en=body.name_en if body is not None else SECRETARIAT_NAMES[1],
        body_name_kk=body.name_kk if body is not None else SECRETARIAT_STATE_NAMES["kk"],
        body_name_ky=body.name_ky if body is not None else SECRETARIAT_STATE_NAMES["ky"],
        subject=subject,
        subject_label=(subject_label or str(subject))[:300],
        year=timezone.localtime(decided_at, election.tz).year,
        decided_at=decided_at,
        reasons=reasons.strip(),
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
        recorded_at=now,
    )
    if due_at is FROM_PLAN:
        due_at = case_due(election, kind, received_at) if received_at is not None else None
    decision.due_at = due_at
    present = list(votes) if votes is not None else None
    if present is None:
        decision.method = Decision.Method.OFFICIAL
        decision.is_adopted = True
    else:
        counted = _count(present, members_total)
        decision.method = Decision.Method.VOTE
        decision.votes_for = counted["for"]
        decision.votes_against = counted["against"]
        decision.votes_abstained = counted["abstain"]
        decision.members_total = members_total
        decision.quorum = quorum_of(members_total)
        decision.is_adopted = counted["for"] * 2 > len(present)
    if decision.is_adopted:
        decision.number = _next_number(election, decision.body_key, decision.year)
    decision.full_clean()
    decision.save()
    if present:
        DecisionVote.objects.bulk_create(
            [DecisionVote(decision=decision, user=v.user, position=v.position, vote=v.vote) for v in present]
        )
    extra = (on_adopted(decision) or {}) if decision.is_adopted and on_adopted is not None else {}
    audit_log(
        action=action if decision.is_adopted else not_adopted_action,
        actor=actor,
        obj=subject,
        election=election,
        data={**(data or {}), **decision_data(decision), **extra},
    )
    return decision
