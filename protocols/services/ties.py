"""Recording a commission's decision on a tie (issue 15: nothing decided by the machine that the
rules give to people).

A tie that the contest's rule cannot settle by the votes stops the count (``protocols.ties``). The
commission decides in its session — a new vote, or a lot drawn before the members and observers
present — and its chair or secretary records the decision here: the order of the tied candidates
(most favoured first), how it was reached, who drew the lot or chaired the vote, who was present
and what was drawn. The count is then repeated with the decision, so the member, the alternate or
the seat follows from it; the decision is in the audit log, on the protocol page and in its PDF.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from elections.audit import audit_log
from elections.models import Decision
from elections.services.decisions import decision_take
from meetings.services.meeting import decision_record_at_meeting

from .. import forms_spec
from ..models import Protocol, TieDecision
from ..ties import STATUS_TIE
from .protocol import (
    _locked,
    _refuse,
    _require_counting,
    _require_prepare,
    outcome_refresh,
)


@transaction.atomic
def tie_decision_record(
    *,
    protocol: Protocol,
    actor,
    order: list[str],
    method: str,
    held_at,
    conducted_by: str,
    present: str,
    details: str,
    meeting=None,
) -> TieDecision:
    """Record the commission's decision on the tie that stops the protocol's count and count
    again with it. Refused while the protocol is being signed or signed, when there is no open
    tie, or when the order does not name exactly the tied candidates. Taken at a held ``meeting``
    of the commission, it is also the commission's numbered decision in that meeting's minutes
    (refused, with nothing recorded, when the meeting had no quorum or is another body's)."""
    _require_prepare(actor, protocol)
    protocol = _locked(protocol)
    _require_counting(protocol.election)
    if protocol.status != Protocol.Status.DRAFT:
        _refuse(_("Signing has started: a tie is decided before the protocol is signed."), "not_draft")
    if protocol.level not in (forms_spec.GROUP, forms_spec.CENTRAL):
        _refuse(_("This protocol does not determine who is elected."), "no_outcome")
    outcome = protocol.outcome or {}
    tie = outcome.get("unresolved_tie") or {}
    if outcome.get("status") != STATUS_TIE or not tie.get("candidates"):
        _refuse(_("There is no tie to decide in this protocol."), "no_tie")
    tied = list(tie["candidates"])
    if sorted(order) != sorted(tied) or len(set(order)) != len(order):
        _refuse(
            _("Put each of the tied candidates (%(names)s) in one place of the order, once.")
            % {"names": ", ".join(tied)},
            "order",
        )
    if method not in TieDecision.Method.values:
        _refuse(_("Choose how the commission decided: a lot or a new vote."), "method")
    texts = {"conducted_by": conducted_by.strip(), "present": present.strip(), "details": details.strip()}
    if not all(texts.values()):
        _refuse(
            _(
                "Say who drew the lot (or chaired the vote), who was present, and what was drawn "
                "(or how the members voted): the record must show it."
            ),
            "incomplete",
        )
    if held_at is None or held_at > timezone.now():
        _refuse(_("Give the date and time of the session; it cannot be in the future."), "held_at")
    # a count comes after voting: a session before the scheduled close is a mistyped date (an
    # election closed ahead of its schedule has no earlier bound the portal knows)
    closed = protocol.election.voting_ends_at
    if closed is not None and closed <= timezone.now() and held_at < closed:
        _refuse(
            _("The session that decided the tie cannot be before voting closed (%(closed)s): check the date.")
            % {"closed": timezone.localtime(closed, protocol.election.tz).strftime("%d.%m.%Y %H:%M")},
            "held_at",
        )
    decision = TieDecision(
        election=protocol.election,
        contest=protocol.contest,
        protocol=protocol,
        commission=protocol.commission,
        place=tie.get("context", ""),
        candidates=tied,
        order=list(order),
        method=method,
        held_at=held_at,
        recorded_by=actor if actor is not None and actor.pk else None,
        **texts,
    )
    decision.full_clean(exclude=["recorded_by"])
    decision.save()
    if meeting is not None:
        numbered = decision_take(
            election=protocol.election,
            kind=Decision.Kind.TIE,
            subject=decision,
            subject_label=_("Tie: %(names)s") % {"names": ", ".join(tied)},
            body=protocol.commission,
            outcome=Decision.Outcome.GRANTED,
            actor=actor,
            action="protocols.tie.decision_numbered",
            data={"tie_decision": decision.pk, "order": list(order), "method": method},
            reasons=texts["details"],
            decided_at=held_at,
            due_at=None,
        )
        decision_record_at_meeting(meeting=meeting, decision=numbered, actor=actor)
    outcome_refresh(protocol)
    protocol.save(update_fields=["outcome"])
    audit_log(
        action="protocols.tie.decided",
        actor=actor,
        obj=protocol,
        election=protocol.election,
        data={
            "decision": decision.pk,
            "version": protocol.version,
            "place": decision.place,
            "candidates": tied,
            "order": list(order),
            "method": method,
            "held_at": held_at.isoformat(),
            "conducted_by": decision.conducted_by,
            "present": decision.present,
            "details": decision.details,
            "status_after": protocol.outcome.get("status"),
            "elected": protocol.outcome.get("elected", []),
            "alternates": protocol.outcome.get("alternates", []),
        },
    )
    return decision
