"""Reads of protocols: the canonical data a signature covers, control checks, versions, and what a
user may see. Selectors take the election so no query leaks across elections."""

from __future__ import annotations

import hashlib
import json

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from accounts.permissions import can
from ballots.models import Contest, ContestOption
from groups.models import Commission, CommissionMember

from . import forms_spec
from .models import Complaint, Protocol


def is_single_mark(contest: Contest) -> bool:
    """One mark per ballot: the sum of the votes plus blank ballots equals the valid ballots."""
    return contest.is_list or (contest.method == "plurality" and contest.max_choices == 1)


def protocol_checks(protocol: Protocol, *, figures=None, votes=None, explanations=None) -> list:
    """The control checks of the protocol's level on its figures (or on the figures given); a
    TEC summary or CEC result also checks that every precinct (district) is in it."""
    from .aggregation_selectors import completeness_check

    results = forms_spec.run_checks(
        protocol.level,
        protocol.figures if figures is None else figures,
        protocol.votes if votes is None else votes,
        single_mark=is_single_mark(protocol.contest),
        explanations=protocol.check_explanations if explanations is None else explanations,
    )
    prefilled = protocol.prefilled or {}
    results += forms_spec.source_checks(
        protocol.level,
        protocol.figures if figures is None else figures,
        prefilled.get("figures", {}),
        explanations=protocol.check_explanations if explanations is None else explanations,
        votes=protocol.votes if votes is None else votes,
        prefilled_votes=prefilled.get("votes", {}),
        option_names=forms_spec.option_names(protocol.contest)
        if protocol.level == forms_spec.GROUP
        else None,
    )
    completeness = completeness_check(protocol)
    if completeness is not None:
        results.append(completeness)
    return results


def unfilled_parts(protocol: Protocol) -> list[str]:
    """What a precinct or group protocol still leaves empty, as a user reads it: a line without a
    figure, an option without its votes (where the commission enters them), and a group
    protocol's three texts. An empty line is not a zero: the members sign what they counted."""
    if protocol.level not in (forms_spec.PRECINCT, forms_spec.GROUP):
        return []
    missing = [
        f"{line.number}. {line.label}"
        for line in forms_spec.lines_for(protocol.level)
        if protocol.figures.get(line.code) in (None, "")
    ]
    if not protocol.contest.is_ranked:
        names = forms_spec.option_names(protocol.contest)
        missing += [
            str(_("votes for “%(option)s”") % {"option": name})
            for code, name in names.items()
            if protocol.votes.get(code) in (None, "")
        ]
    if protocol.level == forms_spec.GROUP:
        for text, label in (
            (protocol.process_description, _("Description of the election process")),
            (protocol.observers_note, _("Participation of independent observers")),
            (protocol.decision_text, _("Decision naming the member and the alternate")),
        ):
            if not (text or "").strip():
                missing.append(str(label))
    return missing


def blocking_checks(protocol: Protocol) -> list:
    return [c for c in protocol_checks(protocol) if c.is_blocking]


def option_rows(protocol: Protocol) -> list[dict]:
    """The ballot's options in ballot order with the protocol's votes."""
    rows = []
    for option in protocol.contest.options.all():
        rows.append(
            {
                "code": option.code,
                "label": option.label,
                "label_ru": option.label_ru,
                "kind": option.kind,
                "is_against_all": option.kind == ContestOption.Kind.AGAINST_ALL,
                "left_race": option.left_race,
                "votes": int(protocol.votes.get(option.code) or 0),
                "prefilled": protocol.prefilled.get("votes", {}).get(option.code),
            }
        )
    return rows


def line_rows(protocol: Protocol) -> list[dict]:
    prefilled = protocol.prefilled.get("figures", {})
    return [
        {
            "code": line.code,
            "number": line.number,
            "label": str(line.label),
            "value": protocol.figures.get(line.code),
            "prefilled": prefilled.get(line.code),
            "source": line.source,
        }
        for line in forms_spec.lines_for(protocol.level)
    ]


def protocol_data(protocol: Protocol) -> dict:
    """Everything the members sign, in a canonical, JSON-serialisable form. Its SHA-256 is printed
    on the PDF; the signatures themselves are not part of it (they are what is added)."""
    contest = protocol.contest
    return {
        "election": protocol.election.slug,
        "contest": {"id": contest.pk, "title": contest.title_ru, "method": contest.method},
        "level": protocol.level,
        "unit": (
            {"kind": protocol.unit.kind, "number": protocol.unit.number, "name": protocol.unit.name_ru}
            if protocol.unit_id
            else None
        ),
        "commission": protocol.commission.name_ru,
        "version": protocol.version,
        "correction_reason": protocol.correction_reason,
        "figures": {k: protocol.figures[k] for k in sorted(protocol.figures)},
        "votes": [
            {"code": o["code"], "label": o["label_ru"], "votes": o["votes"]} for o in option_rows(protocol)
        ],
        "check_explanations": {
            k: protocol.check_explanations[k] for k in sorted(protocol.check_explanations)
        },
        "process_description": protocol.process_description,
        "observers_note": protocol.observers_note,
        "decision_text": protocol.decision_text,
        "outcome": {
            k: protocol.outcome[k]
            for k in ("elected", "alternates", "seats", "ties")
            if protocol.outcome.get(k) or (k != "ties" and k in protocol.outcome)
        },
        **_tie_decisions_data(protocol),
        "present_members": sorted(m.user.full_name for m in protocol.present_members.select_related("user")),
    }


def _tie_decisions_data(protocol: Protocol) -> dict:
    """The commission's decisions on ties, when there are any: part of what the members sign."""
    from .ties import decisions_for

    decisions = decisions_for(protocol) if protocol.pk else []
    if not decisions:
        return {}
    return {
        "tie_decisions": [
            {
                "candidates": d.candidates,
                "order": d.order,
                "method": d.method,
                "held_at": d.held_at.isoformat(),
                "conducted_by": d.conducted_by,
                "present": d.present,
                "details": d.details,
            }
            for d in decisions
        ]
    }


def protocol_data_sha256(protocol: Protocol) -> str:
    canonical = json.dumps(protocol_data(protocol), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def current_protocol(contest: Contest, level: str, unit=None) -> Protocol | None:
    series = Protocol.series_key(level, contest.pk, unit.pk if unit is not None else None)
    return Protocol.objects.filter(series=series).exclude(status=Protocol.Status.SUPERSEDED).first()


def protocol_history(protocol: Protocol) -> list[Protocol]:
    """Every version of the protocol, newest first."""
    return list(Protocol.objects.filter(series=protocol.series).order_by("-version"))


def protocols_visible_to(user, election) -> list[Protocol]:
    """The current protocols of ``election`` the user may read (secretariat and observers: all;
    commission members: their commissions' and those of the commissions below them)."""
    rows = (
        Protocol.objects.filter(election=election)
        .exclude(status=Protocol.Status.SUPERSEDED)
        .select_related("contest", "unit", "commission", "contest__group")
        .annotate(
            signature_count=Count("signatures", distinct=True),
            present_count=Count("present_members", distinct=True),
        )
        .order_by("level", "contest__title_ru", "unit__number")
    )
    return [p for p in rows if can(user, "protocol.view_draft", p) or _reads_below(user, p)]


def _reads_below(user, protocol: Protocol) -> bool:
    """A TEC member reads the precinct protocols of the PECs reporting to the TEC; a CEC member all."""
    commission = protocol.commission
    parent = commission.parent
    while parent is not None:
        if can(user, "protocol.view_draft", parent):
            return True
        parent = parent.parent
    return False


def may_read(user, protocol: Protocol) -> bool:
    return can(user, "protocol.view_draft", protocol) or _reads_below(user, protocol)


def commission_protocol_candidates(user, election) -> list[dict]:
    """Contests for which the user's commissions may start a protocol (for the "new" buttons)."""

    memberships = CommissionMember.objects.filter(
        user=user, is_active=True, commission__election=election
    ).select_related("commission", "commission__unit")
    commissions = [m.commission for m in memberships]
    if can(user, "protocol.prepare", election) and not commissions:
        commissions = list(Commission.objects.filter(election=election).select_related("unit"))
    result = []
    contests = list(Contest.objects.filter(election=election).select_related("group", "unit"))
    for commission in commissions:
        for contest in contests:
            level = level_for(commission, contest)
            if level is None:
                continue
            unit = commission.unit if level in (forms_spec.PRECINCT, forms_spec.TERRITORIAL) else None
            if current_protocol(contest, level, unit) is None:
                result.append({"commission": commission, "contest": contest, "level": level, "unit": unit})
    return result


def level_for(commission, contest: Contest) -> str | None:
    """The protocol level ``commission`` writes for ``contest``, or None when it writes none."""

    kind = commission.kind
    if contest.group_id:
        if commission.group_id == contest.group_id and kind in (
            Commission.Kind.MANDATE,
            Commission.Kind.COUNTING,
            Commission.Kind.CUSTOM,
        ):
            return forms_spec.GROUP
        return None
    if kind == Commission.Kind.PEC and commission.unit_id and commission.unit.parent_id == contest.unit_id:
        return forms_spec.PRECINCT
    if kind == Commission.Kind.TEC and commission.unit_id == contest.unit_id:
        return forms_spec.TERRITORIAL
    if kind == Commission.Kind.CEC:
        return forms_spec.CENTRAL
    return None


def complaints_of(election, *, commission=None) -> list[Complaint]:
    qs = Complaint.objects.filter(election=election).select_related("commission", "protocol", "decision")
    if commission is not None:
        qs = qs.filter(Q(commission=commission))
    return list(qs)


def protocol_status_counts(election) -> dict:
    """The current (not superseded) protocols of ``election`` by status, and the signed ones
    (observer dashboard: one source for the panel and its test)."""
    counts = dict.fromkeys((Protocol.Status.DRAFT, Protocol.Status.SIGNING, Protocol.Status.SIGNED), 0)
    current = Protocol.objects.filter(election=election).exclude(status=Protocol.Status.SUPERSEDED)
    for row in current.values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    signed = list(
        current.filter(status=Protocol.Status.SIGNED)
        .select_related("contest", "unit", "commission")
        .order_by("level", "contest__title_ru", "unit__number")[:10]
    )
    return {"counts": counts, "total": sum(counts.values()), "signed": signed}
