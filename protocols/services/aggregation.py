"""Aggregation of precinct protocols (seed 003 items 46, 51–57).

* A PEC hands its signed protocol to the TEC (item 51). A TEC member (or the secretariat) marks it
  **received**, **accepted**, or **returned for correction** with a note; the PEC then makes a new
  version with ``protocol_correct`` and signs it again, and the TEC accepts that version.
* The TEC draws up the **summary table** of its district (items 52–53): the sums of the accepted
  signed precinct protocols, keeping each precinct's row (number, name, status, figures, votes).
  A precinct without an accepted protocol blocks signing unless the TEC explains it. A summary
  being signed or signed is never refreshed: a change needs a new version (``protocol_correct``).
* The CEC **determines the result** of each council (items 54–57): the sums of the signed TEC
  summaries and the seats by the counting engine with the contest's method ("against all" never
  wins a seat).
* **Preliminary figures** (item 46) are ``protocols.services.preliminary``.

TEC summaries and CEC results are ``Protocol`` rows of the levels ``territorial`` and ``central``:
they are signed, frozen and corrected with the same services as precinct protocols.
Every function is one transaction with an audit entry.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import refuse_observers, require
from ballots.models import Contest, ContestOption
from elections.audit import audit_log
from elections.models import Decision, Election
from elections.services.decisions import decision_take
from groups.models import TerritorialUnit
from meetings.services.meeting import decision_record_at_meeting

from .. import forms_spec
from ..aggregation_selectors import (
    COMPLETENESS_KEY,
    contest_districts,
    current_summaries,
    district_blockers,
    district_tec,
    election_cec,
    is_included,
    precinct_blockers,
    precinct_protocols,
    precinct_tec,
    summary_blockers,
)
from ..models import ContestCount, HandoverAct, Protocol
from .protocol import ProtocolRefused, protocol_create

P = Protocol.Status
T = Protocol.Transmission
#: what the receiving commission decides on a protocol it received by an act of hand-over
TRANSMISSION_STATES = (T.ACCEPTED, T.RETURNED)


def _refuse(message, code):
    raise ProtocolRefused(message, code=code)


def _require_counting(election: Election) -> None:
    if election.state != Election.State.COUNTING:
        _refuse(
            _("Protocols are written while the election is at the counting stage (now: “%(state)s”).")
            % {"state": election.get_state_display()},
            "wrong_stage",
        )


# --- transmission ------------------------------------------------------------------------------


@transaction.atomic
def protocol_transmission_set(
    *, protocol: Protocol, actor, status: str, note: str = "", meeting=None
) -> Protocol:
    """The higher commission accepts a signed protocol it has received by an act of hand-over, or
    returns it for correction with a note: the TEC a precinct protocol (seed 003 item 51), the CEC
    a TEC's summary table (item 55). Receipt itself is the act's (``services.acts``). Returning is
    the receiving commission's numbered decision (at a held ``meeting`` of it, in the minutes); the
    lower commission then corrects with ``protocol_correct``. An accepted precinct protocol already
    counted in a summary being signed or signed cannot be taken back until the summary is
    corrected."""
    protocol = (
        Protocol.objects.select_for_update(of=("self",))
        .select_related("election", "commission", "commission__parent", "unit", "unit__parent")
        .get(pk=protocol.pk)
    )
    if protocol.level == Protocol.Level.PRECINCT:
        receiver = precinct_tec(protocol)
        if receiver is None:
            _refuse(_("The precinct's district has no territorial commission."), "no_tec")
    elif protocol.level == Protocol.Level.TERRITORIAL:
        receiver = election_cec(protocol.election)
        if receiver is None:
            _refuse(_("The election has no central commission."), "no_cec")
    else:
        _refuse(
            _(
                "Only precinct protocols and territorial summary tables are transmitted to a higher commission."
            ),
            "wrong_level",
        )
    if actor is not None:
        require(actor, "protocol.transmit", receiver)
        refuse_observers(actor, protocol.election)
    _require_counting(protocol.election)
    if status == T.RECEIVED:
        _refuse(
            _(
                "Receipt is recorded by the act of hand-over: the receiving commission signs it on the act's page."
            ),
            "received_by_act",
        )
    if status not in TRANSMISSION_STATES:
        _refuse(_("Choose accepted or returned for correction."), "status")
    if protocol.status == P.SUPERSEDED:
        _refuse(_("A newer version of this protocol exists; decide on that one."), "superseded")
    if protocol.status != P.SIGNED:
        _refuse(_("The protocol is not signed by all present members yet."), "not_signed")
    if not protocol.handover_acts.filter(status=HandoverAct.Status.RECEIVED).exists():
        _refuse(
            _(
                "The protocol has not been received by an act of hand-over yet: the lower commission hands it over first."
            ),
            "not_received",
        )
    note = (note or "").strip()
    if status == T.RETURNED and not note:
        _refuse(_("Say what the lower commission must correct."), "note")
    if status == protocol.transmission:
        _refuse(_("The protocol already has this status."), "unchanged")
    if protocol.transmission == T.ACCEPTED and protocol.level == Protocol.Level.PRECINCT:
        summary = (
            Protocol.objects.filter(
                series=Protocol.series_key(
                    Protocol.Level.TERRITORIAL, protocol.contest_id, protocol.unit.parent_id
                )
            )
            .exclude(status=P.SUPERSEDED)
            .first()
        )
        if summary is not None and summary.status != P.DRAFT and _summary_includes(summary, protocol.pk):
            _refuse(
                _(
                    "The TEC summary table that counts this protocol is being signed or is signed; "
                    "correct the summary table first."
                ),
                "in_signed_summary",
            )
    previous = protocol.transmission
    data = {
        "status": status,
        "previous": previous,
        "note": note,
        "version": protocol.version,
        "level": protocol.level,
        "unit": protocol.unit.number if protocol.unit else None,
        "receiver": receiver.pk,
    }

    def transmit(decision=None) -> None:
        protocol.transmission = status
        protocol.transmission_note = note
        protocol.transmission_at = timezone.now()
        protocol.save(update_fields=["transmission", "transmission_note", "transmission_at"])

    if status == T.RETURNED:
        # a return for correction is the receiver's numbered decision, its note the reasons read below
        if protocol.level == Protocol.Level.PRECINCT:
            label = _("Protocol of precinct № %(number)s, version %(version)s")
        else:
            label = _("Summary table of district № %(number)s, version %(version)s")
        decision = decision_take(
            election=protocol.election,
            kind=Decision.Kind.PROTOCOL_RETURN,
            subject=protocol,
            subject_label=label
            % {"number": protocol.unit.number if protocol.unit else "—", "version": protocol.version},
            body=receiver,
            outcome=Decision.Outcome.GRANTED,
            actor=actor,
            action="protocols.protocol.transmission_set",
            on_adopted=transmit,
            data=data,
            reasons=note,
            due_at=None,
        )
        if meeting is not None:
            decision_record_at_meeting(meeting=meeting, decision=decision, actor=actor)
        return protocol
    transmit()
    audit_log(
        action="protocols.protocol.transmission_set",
        actor=actor,
        obj=protocol,
        election=protocol.election,
        data=data,
    )
    return protocol


def _summary_includes(summary: Protocol, protocol_id: int) -> bool:
    return any(
        row.get("protocol") == protocol_id and row.get("included")
        for row in (summary.prefilled or {}).get("precincts", [])
    )


# --- TEC summary table -------------------------------------------------------------------------


def _refresh_refused(protocol: Protocol) -> None:
    if protocol.status != P.DRAFT:
        _refuse(
            _(
                "This table is being signed or is signed and is not rebuilt; start a corrected "
                "version to take in changed precinct protocols."
            ),
            "frozen",
        )


@transaction.atomic
def territorial_summary_build(*, contest: Contest, district: TerritorialUnit, actor) -> Protocol:
    """Create or refresh the TEC summary table of ``district`` for ``contest`` (seed 003 items
    52–53): the sums of its precincts' accepted signed protocols, with every precinct's row kept in
    ``prefilled["precincts"]`` and the precincts still missing, unsigned or not accepted recorded
    as blockers (signing needs them accepted or an explanation). Four queries for the precincts,
    however many there are."""
    if district.kind != TerritorialUnit.Kind.DISTRICT or district.election_id != contest.election_id:
        _refuse(_("Choose an electoral district of this election."), "wrong_unit")
    tec = district_tec(district)
    if tec is None:
        _refuse(_("The district has no territorial commission."), "no_tec")
    election = Election.objects.get(pk=contest.election_id)
    if actor is not None:
        require(actor, "protocol.aggregate", tec)
        refuse_observers(actor, election)
    _require_counting(election)
    series = Protocol.series_key(Protocol.Level.TERRITORIAL, contest.pk, district.pk)
    summary = Protocol.objects.select_for_update().filter(series=series).exclude(status=P.SUPERSEDED).first()
    if summary is not None:
        _refresh_refused(summary)
    else:
        summary = protocol_create(
            contest=contest, level=Protocol.Level.TERRITORIAL, commission=tec, actor=actor, unit=district
        )
    precincts = list(
        TerritorialUnit.objects.filter(parent=district, kind=TerritorialUnit.Kind.PRECINCT)
        .order_by("number")
        .only("pk", "number", "name_ru")
    )
    protocols = precinct_protocols(contest, district)
    rows, items = [], []
    for unit in precincts:
        row = protocols.get(unit.pk)
        included = is_included(row)
        if included:
            items.append((row["figures"], row["votes"]))
        rows.append(
            {
                "unit": unit.pk,
                "number": unit.number,
                "name": unit.name_ru,
                "protocol": row["id"] if row else None,
                "version": row["version"] if row else None,
                "status": row["status"] if row else "",
                "transmission": row["transmission"] if row else "",
                "included": included,
                "figures": row["figures"] if row else {},
                "votes": row["votes"] if row else {},
            }
        )
    figures, votes = forms_spec.sum_figures(items)
    blockers = [
        {"code": b.code, "number": b.number, "name": b.name} for b in precinct_blockers(precincts, protocols)
    ]
    summary.figures, summary.votes = figures, votes
    summary.prefilled = {
        "source": "precinct_protocols",
        "figures": figures,
        "votes": votes,
        "precincts": rows,
        "blockers": blockers,
        "included": len(items),
        "expected": len(precincts),
        "built_at": timezone.now().isoformat(),
    }
    summary.save(update_fields=["figures", "votes", "prefilled"])
    audit_log(
        action="protocols.summary.built",
        actor=actor,
        obj=summary,
        election=election,
        data={
            "version": summary.version,
            "district": district.number,
            "precincts": len(precincts),
            "included": len(items),
            "blockers": [b["number"] for b in blockers],
        },
    )
    return summary


# --- CEC result --------------------------------------------------------------------------------


def engine_outcome(contest: Contest, figures: dict, votes: dict, *, tie_breaker=None) -> tuple[dict, dict]:
    """Seats from summed protocol figures by the counting engine with the contest's method
    (party lists with threshold, or plurality): the outcome stored on the protocol and the engine's
    full report. "Against all" is passed apart and never wins a seat. A tie the contest's rule
    cannot settle by the votes stops the count for the commission's decision (``protocols.ties``)."""
    from protocols.counting import ENGINE_VERSION, CountingError, count
    from protocols.tallying import vote_counts

    from ..ties import outcome_from_report, tie_breaker_for

    if tie_breaker is None:
        tie_breaker = tie_breaker_for(contest)

    if contest.is_ranked:
        _refuse(_("A ranked-ballot contest cannot be determined from protocol figures."), "ranked")
    tallies = {
        "votes": {k: int(v or 0) for k, v in votes.items()},
        "blank": 0,
        "invalid": int(figures.get("ballots_invalid") or 0),
        "marked": int(figures.get("ballots_valid") or 0),
    }
    kwargs = {"seats": contest.seats, "tie_breaker": tie_breaker}
    if contest.method in ("plurality", "approval"):
        kwargs["alternates"] = contest.alternates
    if contest.is_list and contest.threshold_percent is not None:
        kwargs["threshold"] = str(contest.threshold_percent)
        kwargs["threshold_base"] = contest.threshold_base
    try:
        result = count(contest.method, counts=vote_counts(contest, tallies), **kwargs)
    except CountingError as exc:
        return {"status": "error", "error": str(exc), "engine_version": ENGINE_VERSION}, {}
    report = result.to_dict()
    outcome = {
        **outcome_from_report(report, ENGINE_VERSION),
        "against_all": sum(
            tallies["votes"].get(o.code, 0)
            for o in contest.options.all()
            if o.kind == ContestOption.Kind.AGAINST_ALL
        ),
    }
    return outcome, {"tallies": tallies, "report": report}


@transaction.atomic
def central_result_build(*, contest: Contest, actor) -> Protocol:
    """Create or refresh the CEC's result of ``contest`` (seed 003 items 54–57): the sums of the
    signed TEC summary tables, their rows kept in ``prefilled["districts"]``, and the seats by the
    counting engine (stored as a ``ContestCount`` with the engine's report). Districts without a
    signed summary are recorded as blockers; a result being signed or signed is not rebuilt."""
    election = Election.objects.get(pk=contest.election_id)
    if not contest.unit_id:
        _refuse(_("Only the result of a council is determined from summary tables."), "wrong_contest")
    cec = election_cec(election)
    if cec is None:
        _refuse(_("The election has no central election commission."), "no_cec")
    if actor is not None:
        require(actor, "protocol.aggregate", cec)
        refuse_observers(actor, election)
    _require_counting(election)
    if contest.is_ranked:
        _refuse(_("A ranked-ballot contest cannot be determined from protocol figures."), "ranked")
    series = Protocol.series_key(Protocol.Level.CENTRAL, contest.pk, None)
    result = Protocol.objects.select_for_update().filter(series=series).exclude(status=P.SUPERSEDED).first()
    if result is not None:
        _refresh_refused(result)
    else:
        result = protocol_create(contest=contest, level=Protocol.Level.CENTRAL, commission=cec, actor=actor)
    districts = contest_districts(contest)
    summaries = current_summaries(contest, districts)
    rows, items = [], []
    for district in districts:
        summary = summaries.get(district.pk)
        included = summary is not None and summary.status == P.SIGNED
        if included:
            items.append((summary.figures, summary.votes))
        rows.append(
            {
                "unit": district.pk,
                "number": district.number,
                "name": district.name_ru,
                "protocol": summary.pk if summary else None,
                "version": summary.version if summary else None,
                "status": summary.status if summary else "",
                "included": included,
                "unexplained_precincts": (
                    [b.number for b in summary_blockers(summary)]
                    if summary is not None and not summary.check_explanations.get(COMPLETENESS_KEY)
                    else []
                ),
                "figures": summary.figures if summary else {},
                "votes": summary.votes if summary else {},
            }
        )
    figures, votes = forms_spec.sum_figures(items)
    from ..ties import decisions_for, tie_breaker_for

    outcome, engine = engine_outcome(
        contest, figures, votes, tie_breaker=tie_breaker_for(contest, decisions_for(result))
    )
    if engine:
        stored = ContestCount.objects.create(
            contest=contest,
            method=contest.method,
            seats=contest.seats,
            tallies={**engine["tallies"], "source": "protocols", "protocol": result.pk},
            report=engine["report"],
            engine_version=outcome["engine_version"],
            ballots_fingerprint="",
            counted_by=actor if actor is not None and actor.pk else None,
        )
        outcome["count_id"] = stored.pk
    blockers = [
        {"code": b.code, "number": b.number, "name": b.name} for b in district_blockers(districts, summaries)
    ]
    result.figures, result.votes, result.outcome = figures, votes, outcome
    result.prefilled = {
        "source": "summary_tables",
        "figures": figures,
        "votes": votes,
        "districts": rows,
        "blockers": blockers,
        "included": len(items),
        "expected": len(districts),
        "built_at": timezone.now().isoformat(),
    }
    result.save(update_fields=["figures", "votes", "outcome", "prefilled"])
    audit_log(
        action="protocols.result.built",
        actor=actor,
        obj=result,
        election=election,
        data={
            "version": result.version,
            "contest": contest.pk,
            "districts": len(districts),
            "included": len(items),
            "blockers": [b["number"] for b in blockers],
            "elected": outcome.get("elected", []),
            "seats": outcome.get("seats", {}),
            "engine_version": outcome.get("engine_version"),
        },
    )
    return result


__all__ = [
    "COMPLETENESS_KEY",
    "central_result_build",
    "engine_outcome",
    "protocol_transmission_set",
    "territorial_summary_build",
]
