"""Ties in a count: the contest's rule as the engine's tie breaker, the commission's recorded
decisions passed back to it, and the ties of an outcome in words (issue 15).

The portal never lets the machine settle a tie by a lot: every rule of ``ballots.TieRule`` runs the
engine with the ``commission`` rule (``backwards``/``forwards`` first compare earlier stages, then
fall back to the commission), so a tie the votes cannot settle stops the count with status
``tie_unresolved`` until the commission records its decision (``protocols.models.TieDecision``).
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from ballots.models import Contest, TieRule

from .models import Protocol, TieDecision

STATUS_TIE = "tie_unresolved"


def decisions_for(protocol: Protocol) -> list[TieDecision]:
    """The decisions recorded for the protocol's series (every version of it), oldest first."""
    return list(
        TieDecision.objects.filter(contest_id=protocol.contest_id, protocol__series=protocol.series)
        .select_related("recorded_by")
        .order_by("recorded_at", "pk")
    )


def tie_breaker_for(contest: Contest, decisions=()):
    """The engine's tie breaker for ``contest``'s rule with the commission's decisions."""
    from protocols.counting import TieBreaker

    orders = [list(d.order) for d in decisions]
    if contest.tie_rule in (TieRule.BACKWARDS, TieRule.FORWARDS):
        return TieBreaker(contest.tie_rule, decisions=orders, fallback="commission")
    return TieBreaker("commission", decisions=orders)


def outcome_from_report(report: dict, engine_version: str) -> dict:
    """What a protocol keeps of an engine report: who won, the alternates, seats and every tie."""
    return {
        "engine_version": engine_version,
        "status": report.get("status"),
        "elected": list(report.get("elected", [])),
        "alternates": list(report.get("alternates", [])),
        "seats": dict(report.get("seats", {})),
        "runoff": list(report.get("runoff", [])),
        "ties": [_tie_record(t) for t in report.get("ties", []) if t],
        "unresolved_tie": _tie_record(report["unresolved_tie"]) if report.get("unresolved_tie") else None,
    }


def _tie_record(tie: dict) -> dict:
    return {
        "context": tie.get("context", ""),
        "stage": tie.get("stage"),
        "candidates": list(tie.get("candidates", [])),
        "resolved": bool(tie.get("resolved")),
        "resolved_by": tie.get("resolved_by") or "",
        "chosen": tie.get("chosen") or "",
    }


def has_unresolved_tie(protocol: Protocol) -> bool:
    return (protocol.outcome or {}).get("status") == STATUS_TIE


def place_label(context: str, *, is_group: bool) -> str:
    """The engine's name of what a tie decides, in the reader's language."""
    match = re.fullmatch(r"alternate place (\d+)", context or "")
    if match:
        return _("alternate place %(n)s") % {"n": match.group(1)}
    if context == "seat":
        return _("the member's seat") if is_group else _("a seat")
    match = re.fullmatch(r"seat (\d+)", context or "")
    if match:
        return _("seat %(n)s") % {"n": match.group(1)}
    if context == "largest remainder seat":
        return _("a seat by the largest remainder")
    if (context or "").startswith("exclusion"):
        return _("who is excluded")
    if (context or "").startswith("order of surplus transfer"):
        return _("the order of surplus transfers")
    return _("a place")


def tie_rows(protocol: Protocol) -> list[dict]:
    """Every tie of the protocol's outcome for the page and the PDF: the place it decides, the
    tied candidates (labels in the reader's language), how it was settled and the decision."""
    outcome = protocol.outcome or {}
    is_group = bool(protocol.contest.group_id)
    labels = {o.label_ru: o.label for o in protocol.contest.options.all()}
    decisions = decisions_for(protocol)
    rows = []
    for tie in outcome.get("ties") or []:
        names = set(tie["candidates"])
        decision = next((d for d in reversed(decisions) if names <= set(d.order)), None)
        decided = tie["resolved"] and tie["resolved_by"] == "commission decision"
        rows.append(
            {
                "place": place_label(tie["context"], is_group=is_group),
                "candidates": [labels.get(n, n) for n in tie["candidates"]],
                "candidate_names": list(tie["candidates"]),
                "resolved": tie["resolved"],
                "chosen": labels.get(tie["chosen"], tie["chosen"]),
                "by_earlier_votes": tie["resolved"] and not decided,
                "decision": decision if decided else None,
                "decision_order": [labels.get(n, n) for n in decision.order] if decided and decision else [],
                "stage": tie["stage"],
            }
        )
    return rows


def rule_text(contest: Contest) -> str:
    return str(TieRule(contest.tie_rule).label) if contest.tie_rule in TieRule.values else ""
