"""Protocol drafts, control checks, signatures, corrections and complaints.

Rules (seed 000 item 21; seed 003 items 46–53):

* A commission writes the protocol of its level for a contest while the election is counting: a
  group's mandate/counting commission (CCM), a PEC for its precinct, a TEC for its district, the CEC
  for the council. The draft is pre-filled from the portal; the commission corrects and completes it.
* A control check that fails blocks signing until the figures are corrected or the failure is
  explained; the explanation is recorded and printed.
* Every member present signs after re-entering the password; a member may attach a dissenting
  opinion (особое мнение). After the first signature the figures cannot change (the signers signed
  these figures); cancelling the signing drops the signatures, with a reason, audited.
* After the last present member's signature the protocol is frozen: its data's SHA-256, the
  ballot set's fingerprint and the audit head are recorded and the PDFs are rendered in Celery.
* A correction never edits a signed protocol: it creates the next version with a reason; the old
  one stays readable as "superseded".
* Complaints from voters, candidates and observers are decided by the commission and attached to
  its protocol.

Every function is one transaction with an audit entry.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import refuse_observers, require
from ballots.mixing import ballots_before_count
from ballots.models import Contest, LateAttempt, Participation
from ballots.selectors import ballot_set_fingerprint
from elections.audit import audit_log, current_head
from elections.audit_anchors import publish_head
from elections.models import Decision, Election, PublishedHead
from elections.outbox import task_enqueue
from elections.services.decisions import decision_take
from groups.models import CommissionMember
from groups.services import require_coi_declared
from meetings.services.meeting import decision_record_at_meeting
from voters.models import VoterRegistration
from voters.selectors import precinct_list_sizes

from .. import ballot_stock, forms_spec
from ..aggregation_selectors import sources_changed, stale_text
from ..models import Complaint, Protocol, ProtocolSignature
from ..selectors import (
    blocking_checks,
    current_protocol,
    level_for,
    protocol_checks,
    protocol_data_sha256,
    unfilled_parts,
)
from ..ties import has_unresolved_tie
from . import plan


class ProtocolRefused(ValidationError):
    """A protocol action was refused; ``code`` says why."""


def _refuse(message, code):
    raise ProtocolRefused(message, code=code)


WRITABLE_STATES = (Election.State.COUNTING,)


def _require_counting(election: Election) -> None:
    if election.state not in WRITABLE_STATES:
        _refuse(
            _("Protocols are written while the election is at the counting stage (now: “%(state)s”).")
            % {"state": election.get_state_display()},
            "wrong_stage",
        )


def _readonly_observer(actor, election) -> None:
    refuse_observers(actor, election)


def _require_prepare(actor, protocol_or_commission) -> None:
    if actor is None:
        return
    require(actor, "protocol.prepare", protocol_or_commission)
    election = protocol_or_commission.election
    _readonly_observer(actor, election)


def _locked(protocol: Protocol) -> Protocol:
    return (
        Protocol.objects.select_for_update()
        .select_related("election", "contest", "commission")
        .get(pk=protocol.pk)
    )


# --- pre-filling ------------------------------------------------------------------------------


def _group_prefill(contest: Contest) -> dict:
    """What the portal knows of a CCM group's vote (seed 000 item 21): registrations, who voted
    by channel, their regions and organisations, ballots counted and not counted, observers."""
    from protocols.tallying import contest_tallies

    election = contest.election
    registrations = VoterRegistration.objects.filter(
        election=election, group=contest.group, status=VoterRegistration.Status.ACCEPTED
    )
    by_channel = dict(
        Participation.objects.filter(contest=contest).values_list("channel").annotate(n=Count("id"))
    )
    voted_ids = [
        int(key.split(":", 1)[1])
        for key in Participation.objects.filter(contest=contest, elector__startswith="registration:")
        .values_list("elector", flat=True)
        .iterator()
    ]
    voted = VoterRegistration.objects.filter(pk__in=voted_ids)
    geography = dict(voted.values_list("region").annotate(n=Count("id")).order_by("region"))
    organisations = {
        (o or n).strip().casefold()
        for kind, n, o in voted.values_list("kind", "name", "organisation")
        if kind == VoterRegistration.Kind.ORGANISATION or o
    }
    tallies = contest_tallies(contest)
    figures = {
        "voters_registered": registrations.count(),
        "voters_voted": sum(by_channel.values()),
        "voted_online": by_channel.get("online", 0),
        "voted_assembly": by_channel.get("assembly", 0),
        "voted_paper": by_channel.get("paper", 0) + by_channel.get("email", 0),
        "regions": len(geography),
        "organisations": len(organisations),
        "ballots_total": tallies["valid"] + tallies["invalid"] + tallies["late"],
        "ballots_valid": tallies["valid"],
        "ballots_blank": tallies["blank"],
        "ballots_invalid": tallies["invalid"],
        "ballots_late": tallies["late"],
        "late_online_attempts": LateAttempt.objects.filter(contest=contest).count(),
        # line 9, the observers present at the count, is the commission's to enter: the portal
        # knows who is accredited, not who came
    }
    # every option, its zero too: the commission signs a figure for each
    votes = {o.code: int(tallies["votes"].get(o.code, 0)) for o in contest.options.all()}
    return {"figures": figures, "votes": votes, "geography": geography}


def _precinct_prefill(contest: Contest, unit) -> dict:
    """The precinct's list size from the register (or the number recorded with the precinct): the
    one definition of ``voters.selectors.precinct_list_sizes``, as on the dashboard; and lines 2–5
    from the signed acts of hand-over of ballots and the voting day's records, where the portal
    keeps them (``ballot_stock.precinct_ballot_figures``)."""

    on_list = precinct_list_sizes(contest.election, [unit]).get(unit.pk, 0) if unit is not None else 0
    figures = {"voters_on_list": on_list}
    if unit is not None:
        figures.update(ballot_stock.precinct_ballot_figures(contest.election, unit, contest))
    return {"figures": figures, "votes": {}}


def _sources_refresh(protocol: Protocol) -> bool:
    """A precinct draft's lines 2–5 as the records say now (an act received or the day closed
    after the draft was started), or a group draft's count by the portal as it is now (paper
    ballots entered after the draft was started): the control checks compare the figures with
    them. True when something changed; the caller saves."""
    if protocol.level == forms_spec.GROUP:
        fresh = _group_prefill(protocol.contest)
        prefilled = dict(protocol.prefilled or {})
        if all(prefilled.get(key) == value for key, value in fresh.items()):
            return False
        protocol.prefilled = {**prefilled, **fresh}
        return True
    if protocol.level != forms_spec.PRECINCT or protocol.unit_id is None:
        return False
    fresh = ballot_stock.precinct_ballot_figures(protocol.election, protocol.unit, protocol.contest)
    prefilled = dict(protocol.prefilled or {})
    figures = {k: v for k, v in prefilled.get("figures", {}).items() if k not in forms_spec.SOURCE_LINES}
    figures.update(fresh)
    if figures == prefilled.get("figures", {}):
        return False
    protocol.prefilled = {**prefilled, "figures": figures}
    return True


def _outcome(contest: Contest, actor, decisions=()) -> dict:
    """The group's count of its ballots by the group's rule; a tie that the rule cannot settle by
    the votes stops it for the commission (``protocols.ties``)."""
    from ..ties import outcome_from_report, tie_breaker_for
    from .counts import contest_count

    stored = contest_count(contest=contest, actor=None, tie_breaker=tie_breaker_for(contest, decisions))
    return {"count_id": stored.pk, **outcome_from_report(stored.report, stored.engine_version)}


def outcome_refresh(protocol: Protocol) -> None:
    """Count the outcome of a group protocol or a CEC result again from the protocol's own votes
    (plurality, approval, party lists) — the figures the members sign — or from the ballots
    (ranked methods), with the commission's tie decisions. A CEC result keeps the reference to the
    count its build stored. The caller saves the protocol."""
    from ..ties import decisions_for, tie_breaker_for
    from .aggregation import engine_outcome

    contest = protocol.contest
    decisions = decisions_for(protocol)
    if contest.is_ranked:
        protocol.outcome = _outcome(contest, None, decisions)
        return
    kept = {k: v for k, v in (protocol.outcome or {}).items() if k == "count_id"}
    protocol.outcome, _engine = engine_outcome(
        contest, protocol.figures, protocol.votes, tie_breaker=tie_breaker_for(contest, decisions)
    )
    if protocol.level == forms_spec.CENTRAL:
        protocol.outcome.update(kept)


def _check_commission(contest: Contest, level: str, commission, unit) -> None:
    if commission.election_id != contest.election_id or contest.election_id is None:
        _refuse(_("The commission belongs to another election."), "wrong_commission")
    if level_for(commission, contest) != level:
        _refuse(_("This commission does not write this protocol."), "wrong_commission")
    if level == forms_spec.PRECINCT and (unit is None or commission.unit_id != unit.pk):
        _refuse(_("A precinct protocol is written by the commission of that precinct."), "wrong_unit")
    if level == forms_spec.TERRITORIAL and (unit is None or unit.pk != contest.unit_id):
        _refuse(_("A summary table is written for the district of the council."), "wrong_unit")


@transaction.atomic
def protocol_create(*, contest: Contest, level: str, commission, actor, unit=None) -> Protocol:
    """Start the draft protocol of ``commission`` for ``contest``, pre-filled from the portal."""

    _require_prepare(actor, commission)
    election = Election.objects.select_for_update().get(pk=contest.election_id)
    _require_counting(election)
    ballots_before_count(contest=contest)  # the pre-filled figures too: no online ballot left waiting
    if level in (forms_spec.GROUP, forms_spec.CENTRAL):
        unit = None
    _check_commission(contest, level, commission, unit)
    if current_protocol(contest, level, unit) is not None:
        _refuse(_("This protocol has already been started; open it to continue."), "exists")
    if level == forms_spec.GROUP:
        prefill = _group_prefill(contest)
        outcome = _outcome(contest, actor)
    elif level == forms_spec.PRECINCT:
        prefill = _precinct_prefill(contest, unit)
        outcome = {}
    else:
        prefill, outcome = {"figures": {}, "votes": {}}, {}
    protocol = Protocol(
        election=election,
        contest=contest,
        level=level,
        unit=unit,
        commission=commission,
        series=Protocol.series_key(level, contest.pk, unit.pk if unit is not None else None),
        figures=dict(prefill["figures"]),
        votes=dict(prefill["votes"]),
        prefilled=prefill,
        outcome=outcome,
        created_by=actor if actor is not None and actor.pk else None,
    )
    protocol.full_clean(exclude=["present_members"])
    protocol.save()
    protocol.present_members.set(CommissionMember.objects.filter(commission=commission, is_active=True))
    audit_log(
        action="protocols.protocol.created",
        actor=actor,
        obj=protocol,
        election=election,
        data={"level": level, "contest": contest.pk, "unit": unit.pk if unit else None, "version": 1},
    )
    return protocol


#: the largest figure a commission enters by hand (a precinct's, a group's): more is a typing slip
MAX_COUNT = 10_000_000


def clean_numbers(values: dict, allowed, what: str) -> dict[str, int]:
    """Whole, non-negative numbers for the allowed line (or option) codes; empty values dropped.

    ``allowed`` is a set of codes or a mapping code -> name a user reads (a protocol line's
    number and title, a ballot option's label); refusals name the line, never its code.
    """
    names = dict(allowed) if isinstance(allowed, dict) else {}
    cleaned = {}
    for key, value in (values or {}).items():
        if key not in allowed:
            _refuse(
                _(
                    "The %(what)s contain a line this protocol does not have; reload the page and enter them again."
                )
                % {"what": what},
                "unknown_line",
            )
        name = names.get(key) or forms_spec.line_name(key)
        if value in (None, ""):
            continue
        text = str(value).strip()
        # digits 0–9 only: int() also reads "٣" or "３" as 3, which nobody typing a count meant
        if not (text.isascii() and text.removeprefix("-").isdigit()):
            _refuse(_("Line “%(line)s”: enter a whole number.") % {"line": name}, "not_a_number")
        number = int(text)
        if number < 0:
            _refuse(_("Line “%(line)s”: numbers cannot be negative.") % {"line": name}, "negative")
        if number > MAX_COUNT:
            _refuse(
                _("Line “%(line)s”: %(number)s is more than any commission counts; check the figure.")
                % {"line": name, "number": f"{number:,}".replace(",", " ")},
                "too_large",
            )
        cleaned[key] = number
    return cleaned


@transaction.atomic
def protocol_update(
    *,
    protocol: Protocol,
    actor,
    figures: dict | None = None,
    votes: dict | None = None,
    explanations: dict | None = None,
    process_description: str | None = None,
    observers_note: str | None = None,
    decision_text: str | None = None,
    present_member_ids: list[int] | None = None,
) -> Protocol:
    """Change a draft: figures, votes, explanations of failed checks, texts, members present."""
    _require_prepare(actor, protocol)
    protocol = _locked(protocol)
    _require_counting(protocol.election)
    if protocol.status != Protocol.Status.DRAFT:
        _refuse(
            _(
                "Signing has started: the figures cannot change. Cancel the signing first, or correct it later."
            ),
            "not_draft",
        )
    changed = []
    if figures is not None:
        protocol.figures = clean_numbers(
            figures, {line.code for line in forms_spec.lines_for(protocol.level)}, _("figures")
        )
        changed.append("figures")
    if votes is not None:
        protocol.votes = clean_numbers(votes, forms_spec.option_names(protocol.contest), _("votes"))
        changed.append("votes")
    if explanations is not None:
        protocol.check_explanations = {k: v.strip() for k, v in explanations.items() if v and v.strip()}
        changed.append("check_explanations")
    for name, value in (
        ("process_description", process_description),
        ("observers_note", observers_note),
        ("decision_text", decision_text),
    ):
        if value is not None:
            setattr(protocol, name, value)
            changed.append(name)
    if present_member_ids is not None:
        members = list(protocol.commission.members.filter(pk__in=present_member_ids, is_active=True))
        if not members:
            _refuse(_("At least one member must be present to sign."), "nobody_present")
        protocol.present_members.set(members)
        changed.append("present_members")
    _sources_refresh(protocol)
    if protocol.level == forms_spec.GROUP and ("votes" in changed or "figures" in changed):
        outcome_refresh(protocol)
    protocol.save()
    audit_log(
        action="protocols.protocol.updated",
        actor=actor,
        obj=protocol,
        election=protocol.election,
        data={"fields": changed, "version": protocol.version},
    )
    return protocol


@transaction.atomic
def protocol_sign(*, protocol: Protocol, actor, password: str, dissent: str = "") -> ProtocolSignature:
    """A present member signs after re-entering the password (seed 003 item 50). The last
    signature freezes the protocol and queues its PDFs."""

    require(actor, "protocol.sign", protocol)
    _readonly_observer(actor, protocol.election)
    protocol = _locked(protocol)
    _require_counting(protocol.election)
    if protocol.status not in (Protocol.Status.DRAFT, Protocol.Status.SIGNING):
        _refuse(_("This protocol is already signed; a change needs a correction."), "frozen")
    if not password or not actor.check_password(password):
        _refuse(_("The password is not correct; the protocol was not signed."), "password")
    member = require_coi_declared(actor, protocol.commission)
    present = set(protocol.present_members.values_list("pk", flat=True))
    if member.pk not in present:
        _refuse(_("Only members recorded as present sign the protocol."), "not_present")
    if protocol.signatures.filter(member=member).exists():
        _refuse(_("You have already signed this protocol."), "already_signed")
    if has_unresolved_tie(protocol):
        _refuse(
            _(
                "There is a tie that the commission must decide first (%(names)s). Record the "
                "commission's decision on the protocol page; the count is then repeated with it."
            )
            % {"names": ", ".join((protocol.outcome.get("unresolved_tie") or {}).get("candidates", []))},
            "tie",
        )
    if protocol.status == Protocol.Status.DRAFT and _sources_refresh(protocol):
        protocol.save(update_fields=["prefilled"])
    unfilled = unfilled_parts(protocol)
    if unfilled:
        _refuse(
            _("Fill in every part of the protocol before signing (enter 0 where there is none): %(parts)s.")
            % {"parts": "; ".join(unfilled)},
            "unfilled",
        )
    if protocol.status == Protocol.Status.DRAFT and sources_changed(protocol):
        _refuse(stale_text(protocol), "stale")
    blocking = blocking_checks(protocol)
    if blocking:
        _refuse(
            _("Control checks fail: %(checks)s. Correct the figures or explain each failure before signing.")
            % {"checks": "; ".join(c.label for c in blocking)},
            "checks",
        )
    now = timezone.now()
    if protocol.status == Protocol.Status.DRAFT:
        protocol.status = Protocol.Status.SIGNING
        protocol.signing_started_at = now
    signature = ProtocolSignature.objects.create(
        protocol=protocol,
        member=member,
        user=actor,
        full_name=actor.full_name or actor.email,
        position=member.position,
        signed_at=now,
        dissent=dissent.strip(),
    )
    audit_log(
        action="protocols.protocol.signed",
        actor=actor,
        obj=protocol,
        election=protocol.election,
        data={"version": protocol.version, "member": member.pk, "dissent": bool(signature.dissent)},
    )
    signed = set(protocol.signatures.values_list("member_id", flat=True))
    if present <= signed:
        _freeze(protocol, now)
    else:
        protocol.save(update_fields=["status", "signing_started_at"])
    return signature


def _freeze(protocol: Protocol, now) -> None:

    protocol.status = Protocol.Status.SIGNED
    protocol.frozen_at = now
    protocol.data_sha256 = protocol_data_sha256(protocol)
    if protocol.level == forms_spec.GROUP:
        protocol.ballots_fingerprint = ballot_set_fingerprint(protocol.contest)
    head_seq, head_hash, _at = current_head()
    protocol.audit_head = head_hash
    protocol.save()
    # the head printed in the signed protocol is published with its position (verify_audit)
    publish_head(
        occasion=PublishedHead.Occasion.PROTOCOL_SIGNED,
        election=protocol.election,
        seq=head_seq,
        head_hash=head_hash,
    )
    audit_log(
        action="protocols.protocol.frozen",
        actor=None,
        role="system",
        obj=protocol,
        election=protocol.election,
        data={
            "version": protocol.version,
            "sha256": protocol.data_sha256,
            "ballots_fingerprint": protocol.ballots_fingerprint,
            "audit_head": protocol.audit_head,
        },
    )
    _queue_documents(protocol.pk)
    if protocol.level == Protocol.Level.TERRITORIAL:
        plan.summaries_fulfil(protocol.election, now)


def _queue_documents(protocol_id: int) -> None:
    """The signed documents are an outbox task recorded with the last signature: a broker
    outage at the commit does not lose them (the task is idempotent)."""
    from protocols.tasks import pdf as pdf_tasks

    task_enqueue(pdf_tasks.render_protocol_documents.name, protocol_id)


@transaction.atomic
def protocol_signing_cancel(*, protocol: Protocol, actor, reason: str) -> Protocol:
    """Drop the signatures of a protocol being signed (e.g. a figure was found wrong before the
    last signature); the draft can be changed again. Needs a reason; audited."""
    _require_prepare(actor, protocol)
    protocol = _locked(protocol)
    _require_counting(protocol.election)
    if protocol.status != Protocol.Status.SIGNING:
        _refuse(_("Only a protocol being signed can return to the draft."), "not_signing")
    if not reason.strip():
        _refuse(_("Say why the signing is cancelled."), "reason")
    dropped = list(protocol.signatures.values_list("full_name", flat=True))
    protocol.signatures.all().delete()
    protocol.status = Protocol.Status.DRAFT
    protocol.signing_started_at = None
    protocol.save(update_fields=["status", "signing_started_at"])
    audit_log(
        action="protocols.protocol.signing_cancelled",
        actor=actor,
        obj=protocol,
        election=protocol.election,
        data={"version": protocol.version, "reason": reason.strip(), "signatures_dropped": dropped},
    )
    return protocol


@transaction.atomic
def protocol_correct(*, protocol: Protocol, actor, reason: str) -> Protocol:
    """Start a corrected version of a signed protocol; the signed one stays, marked superseded."""
    _require_prepare(actor, protocol)
    old = _locked(protocol)
    _require_counting(old.election)
    if old.status != Protocol.Status.SIGNED:
        _refuse(_("Only a signed protocol is corrected; a draft is simply edited."), "not_signed")
    if not reason.strip():
        _refuse(_("Give the reason for the correction."), "reason")
    old.status = Protocol.Status.SUPERSEDED
    old.save(update_fields=["status"])
    new = Protocol.objects.create(
        election=old.election,
        contest=old.contest,
        level=old.level,
        unit=old.unit,
        commission=old.commission,
        series=old.series,
        version=old.version + 1,
        supersedes=old,
        correction_reason=reason.strip(),
        figures=dict(old.figures),
        votes=dict(old.votes),
        prefilled=old.prefilled,
        check_explanations=dict(old.check_explanations),
        process_description=old.process_description,
        observers_note=old.observers_note,
        decision_text=old.decision_text,
        outcome=old.outcome,
        created_by=actor if actor is not None and actor.pk else None,
    )
    new.present_members.set(old.present_members.filter(is_active=True))
    if old.transmission == Protocol.Transmission.RETURNED:
        new.transmission_note = old.transmission_note
        new.save(update_fields=["transmission_note"])
    Complaint.objects.filter(commission=old.commission, protocol__isnull=True).exclude(
        status=Complaint.Status.RECEIVED
    ).update(protocol=new)
    audit_log(
        action="protocols.protocol.corrected",
        actor=actor,
        obj=new,
        election=new.election,
        data={"version": new.version, "supersedes": old.pk, "reason": new.correction_reason},
    )
    return new


# --- complaints -------------------------------------------------------------------------------


@transaction.atomic
def complaint_submit(
    *,
    election: Election,
    commission,
    complainant_kind: str,
    complainant_name: str,
    text: str,
    complainant_email: str = "",
    user=None,
) -> Complaint:
    """A complaint by a voter, candidate or observer to a commission (seed 003 items 49, 52)."""
    election = Election.objects.select_for_update().get(pk=election.pk)
    if commission.election_id != election.pk:
        _refuse(_("The commission belongs to another election."), "wrong_commission")
    if election.state in (Election.State.DRAFT, Election.State.ARCHIVED):
        _refuse(_("Complaints are not accepted at this stage of the election."), "wrong_stage")
    if not text.strip() or not complainant_name.strip():
        _refuse(_("Give your name and describe the complaint."), "empty")
    number = (Complaint.objects.filter(election=election).aggregate(n=Max("number"))["n"] or 0) + 1
    complaint = Complaint(
        election=election,
        commission=commission,
        number=number,
        complainant_kind=complainant_kind,
        complainant_name=complainant_name.strip(),
        complainant_email=complainant_email.strip(),
        user=user if user is not None and user.is_authenticated else None,
        text=text.strip(),
    )
    complaint.full_clean()
    complaint.save()
    audit_log(
        action="protocols.complaint.submitted",
        actor=complaint.user,
        role="public" if complaint.user is None else "",
        obj=complaint,
        election=election,
        data={"number": number, "commission": commission.pk, "kind": complainant_kind},
    )
    return complaint


#: a complaint's status -> the outcome of the commission's decision
COMPLAINT_OUTCOMES = {
    Complaint.Status.UPHELD: Decision.Outcome.GRANTED,
    Complaint.Status.PARTLY: Decision.Outcome.PARTLY,
    Complaint.Status.REJECTED: Decision.Outcome.REFUSED,
    Complaint.Status.NOT_CONSIDERED: Decision.Outcome.NOT_CONSIDERED,
}


@transaction.atomic
def complaint_decide(
    *, complaint: Complaint, actor, status: str, decision_text: str, meeting=None
) -> Complaint:
    """The commission's decision; attached to the commission's protocol still being prepared (or
    to the next version, when the protocol is already signed). Taken at a ``meeting`` of the
    commission (its final session, seed 003 items 49, 52), it goes into that meeting's minutes."""
    require(actor, "complaint.decide", complaint)
    _readonly_observer(actor, complaint.election)
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if status not in Complaint.Status.values or status == Complaint.Status.RECEIVED:
        _refuse(_("Choose the decision."), "status")
    if not decision_text.strip():
        _refuse(_("Write the commission's decision and its reasons."), "reason")
    if complaint.status != Complaint.Status.RECEIVED:
        _refuse(_("This complaint has already been decided."), "decided")
    open_protocol = (
        Protocol.objects.filter(commission=complaint.commission, status=Protocol.Status.DRAFT)
        .order_by("-created_at")
        .first()
    )

    def decide(decision) -> dict:
        complaint.status = status
        complaint.decision = decision
        complaint.protocol = open_protocol
        complaint.save()
        return {"status": status, "protocol": open_protocol.pk if open_protocol else None}

    # the commission's decision, recorded by its member (at a session of the commission: issue 18)
    decision = decision_take(
        election=complaint.election,
        kind=Decision.Kind.COMPLAINT,
        subject=complaint,
        subject_label=_("Complaint No. %(number)s") % {"number": complaint.number},
        body=complaint.commission,
        outcome=COMPLAINT_OUTCOMES[status],
        actor=actor,
        action="protocols.complaint.decided",
        on_adopted=decide,
        data={"complaint_number": complaint.number},
        reasons=decision_text,
        received_at=complaint.submitted_at,
    )
    if meeting is not None:
        decision_record_at_meeting(meeting=meeting, decision=decision, actor=actor)
    return complaint


__all__ = [
    "ProtocolRefused",
    "complaint_decide",
    "complaint_submit",
    "protocol_checks",
    "protocol_correct",
    "protocol_create",
    "protocol_sign",
    "protocol_signing_cancel",
    "protocol_update",
]
