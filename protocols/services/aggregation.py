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

from dataclasses import dataclass, field
from types import SimpleNamespace

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import can, refuse_observers, require
from ballots.mixing import ballots_before_count
from ballots.models import Contest, ContestOption, PendingBallot
from elections.audit import audit_log, audit_log_many
from elections.models import Decision, Election
from elections.services.decisions import decision_take
from groups.models import Commission, CommissionMember, TerritorialUnit
from meetings.services.meeting import decision_record_at_meeting

from .. import forms_spec
from ..aggregation_selectors import (
    COMPLETENESS_KEY,
    PRECINCT_FIELDS,
    ElectionWide,
    district_blockers,
    district_tec,
    election_cec,
    is_included,
    precinct_blockers,
    precinct_tec,
    summary_blockers,
)
from ..models import ContestCount, HandoverAct, Protocol, TieDecision
from .protocol import ProtocolRefused

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


# --- building many tables at once ----------------------------------------------------------------


@dataclass
class BuildReport:
    """What one build did: the tables built or refreshed, and the councils left alone with the
    reason in plain words (district number, reason)."""

    built: list[Protocol] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)


def _frozen_text() -> str:
    return _(
        "This table is being signed or is signed and is not rebuilt; start a corrected "
        "version to take in changed precinct protocols."
    )


def _frozen_result_text() -> str:
    return _(
        "This result is being signed or is signed and is not determined again; start a corrected "
        "version to take in changed summary tables."
    )


def _refresh_refused(protocol: Protocol) -> None:
    if protocol.status != P.DRAFT:
        _refuse(_frozen_text(), "frozen")


def _current_by_series(series_keys) -> dict[str, Protocol]:
    """The current version of each series, locked: one query."""
    return {
        p.series: p
        for p in Protocol.objects.select_for_update(of=("self",))
        .filter(series__in=list(series_keys))
        .exclude(status=P.SUPERSEDED)
    }


def _start_many(*, election: Election, level: str, items, actor) -> tuple[list[Protocol], list[dict]]:
    """Draft summary tables (or results) for ``items`` of (contest, commission, unit), as
    ``protocol_create`` starts one, with the commission's active members present, in a constant
    number of queries. Returns the protocols and their audit entries."""
    if not items:
        return [], []
    contests = [c for c, _k, _u in items]
    waiting = set(
        PendingBallot.objects.filter(contest__in=contests).values_list("contest_id", flat=True).distinct()
    )
    for contest in contests:
        if contest.pk in waiting:  # online ballots still waiting: mixed in now, or refused while open
            ballots_before_count(contest=contest)
    created_by = actor if actor is not None and actor.pk else None
    protocols = Protocol.objects.bulk_create(
        Protocol(
            election=election,
            contest=contest,
            level=level,
            unit=unit,
            commission=commission,
            series=Protocol.series_key(level, contest.pk, unit.pk if unit is not None else None),
            prefilled={"figures": {}, "votes": {}},
            created_by=created_by,
        )
        for contest, commission, unit in items
    )
    members: dict[int, list[int]] = {}
    for member_id, commission_id in CommissionMember.objects.filter(
        commission_id__in={k.pk for _c, k, _u in items}, is_active=True
    ).values_list("pk", "commission_id"):
        members.setdefault(commission_id, []).append(member_id)
    through = Protocol.present_members.through
    through.objects.bulk_create(
        through(protocol_id=p.pk, commissionmember_id=m)
        for p in protocols
        for m in members.get(p.commission_id, [])
    )
    entries = [
        {
            "action": "protocols.protocol.created",
            "actor": actor,
            "obj": p,
            "election": election,
            "data": {"level": level, "contest": p.contest_id, "unit": p.unit_id, "version": 1},
        }
        for p in protocols
    ]
    return protocols, entries


# --- TEC summary tables ------------------------------------------------------------------------


def _summaries_build(*, election: Election, contests, actor, strict: bool) -> BuildReport:
    """The TEC summary tables of the councils ``contests`` (each voted in its own district), built
    or refreshed from their precincts' accepted signed protocols in a constant number of queries,
    however many councils and precincts. ``strict``: refuse instead of leaving a council alone."""
    report = BuildReport()
    tecs: dict[int, Commission] = {}
    for tec in Commission.objects.filter(
        election=election, kind=Commission.Kind.TEC, unit_id__in=[c.unit_id for c in contests]
    ).order_by("-pk"):
        tecs[tec.unit_id] = tec  # the first TEC of a district, as district_tec() reads it
    current = _current_by_series(
        Protocol.series_key(Protocol.Level.TERRITORIAL, c.pk, c.unit_id) for c in contests
    )
    todo, to_start = [], []
    for contest in contests:
        tec = tecs.get(contest.unit_id)
        summary = current.get(Protocol.series_key(Protocol.Level.TERRITORIAL, contest.pk, contest.unit_id))
        if tec is None:
            reason, code = _("The district has no territorial commission."), "no_tec"
        elif actor is not None and not can(actor, "protocol.aggregate", tec):
            reason, code = _("Your role may not build this district's table."), "permission"
        elif summary is not None and summary.status != P.DRAFT:
            reason, code = _frozen_text(), "frozen"
        elif summary is None and actor is not None and not can(actor, "protocol.prepare", tec):
            reason, code = _("Your role may not start this district's table."), "permission"
        else:
            todo.append((contest, tec, summary))
            if summary is None:
                to_start.append((contest, tec, contest.unit))
            continue
        if strict:
            if code == "permission":
                require(actor, "protocol.aggregate", tec)
                require(actor, "protocol.prepare", tec)
            _refuse(reason, code)
        report.skipped.append((contest.unit.number, reason))
    started, entries = _start_many(
        election=election, level=Protocol.Level.TERRITORIAL, items=to_start, actor=actor
    )
    started_by_contest = {p.contest_id: p for p in started}
    district_ids = [c.unit_id for c, _t, _s in todo]
    precincts: dict[int, list[TerritorialUnit]] = {}
    for unit in (
        TerritorialUnit.objects.filter(parent_id__in=district_ids, kind=TerritorialUnit.Kind.PRECINCT)
        .order_by("parent_id", "number")
        .only("pk", "number", "name_ru", "parent_id")
    ):
        precincts.setdefault(unit.parent_id, []).append(unit)
    protocols: dict[tuple[int, int], dict] = {
        (row["contest_id"], row["unit_id"]): row
        for row in Protocol.objects.filter(
            contest_id__in=[c.pk for c, _t, _s in todo],
            level=Protocol.Level.PRECINCT,
            unit__parent_id__in=district_ids,
        )
        .exclude(status=P.SUPERSEDED)
        .values(*PRECINCT_FIELDS, "contest_id")
    }
    built_at = timezone.now().isoformat()
    for contest, _tec, summary in todo:
        summary = summary or started_by_contest[contest.pk]
        units = precincts.get(contest.unit_id, [])
        mine = {u.pk: protocols[(contest.pk, u.pk)] for u in units if (contest.pk, u.pk) in protocols}
        rows, items = [], []
        for unit in units:
            row = mine.get(unit.pk)
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
            {"code": b.code, "number": b.number, "name": b.name} for b in precinct_blockers(units, mine)
        ]
        summary.figures, summary.votes = figures, votes
        summary.prefilled = {
            "source": "precinct_protocols",
            "figures": figures,
            "votes": votes,
            "precincts": rows,
            "blockers": blockers,
            "included": len(items),
            "expected": len(units),
            "built_at": built_at,
        }
        report.built.append(summary)
        entries.append(
            {
                "action": "protocols.summary.built",
                "actor": actor,
                "obj": summary,
                "election": election,
                "data": {
                    "version": summary.version,
                    "district": contest.unit.number,
                    "precincts": len(units),
                    "included": len(items),
                    "blockers": [b["number"] for b in blockers],
                },
            }
        )
    Protocol.objects.bulk_update(report.built, ["figures", "votes", "prefilled"], batch_size=500)
    audit_log_many(entries)
    return report


def _locked_counting_election(election_id) -> Election:
    election = Election.objects.select_for_update().get(pk=election_id)
    _require_counting(election)
    return election


@transaction.atomic
def territorial_summary_build(*, contest: Contest, district: TerritorialUnit, actor) -> Protocol:
    """Create or refresh the TEC summary table of ``district`` for ``contest`` (seed 003 items
    52–53): the sums of its precincts' accepted signed protocols, with every precinct's row kept in
    ``prefilled["precincts"]`` and the precincts still missing, unsigned or not accepted recorded
    as blockers (signing needs them accepted or an explanation). A table being signed or signed
    is refused: a change needs a corrected version."""
    if district.kind != TerritorialUnit.Kind.DISTRICT or district.election_id != contest.election_id:
        _refuse(_("Choose an electoral district of this election."), "wrong_unit")
    if contest.unit_id != district.pk:
        _refuse(_("A summary table is written for the district of the council."), "wrong_unit")
    tec = district_tec(district)
    if tec is None:
        _refuse(_("The district has no territorial commission."), "no_tec")
    election = Election.objects.get(pk=contest.election_id)
    if actor is not None:
        require(actor, "protocol.aggregate", tec)
        refuse_observers(actor, election)
    election = _locked_counting_election(election.pk)
    contest = Contest.objects.select_related("unit").get(pk=contest.pk)
    return _summaries_build(election=election, contests=[contest], actor=actor, strict=True).built[0]


@transaction.atomic
def territorial_summaries_build(*, election: Election, actor) -> BuildReport:
    """Build or refresh the TEC summary tables of every council of the election at once (the CEC
    or the secretariat on election night), in a constant number of queries. Tables being signed or
    signed, and councils the actor's role does not reach, are left alone and listed with the reason."""
    if actor is not None:
        require(actor, "protocol.aggregate", ElectionWide(election.pk))
        refuse_observers(actor, election)
    election = _locked_counting_election(election.pk)
    contests = list(
        Contest.objects.filter(election=election, unit__kind=TerritorialUnit.Kind.DISTRICT)
        .select_related("unit")
        .order_by("unit__number")
    )
    return _summaries_build(election=election, contests=contests, actor=actor, strict=False)


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


def _results_build(*, election: Election, contests, cec: Commission, actor, strict: bool) -> BuildReport:
    """The CEC results of the councils ``contests``: the sums of their signed TEC summary tables
    and the seats by the counting engine, in a constant number of queries however many councils
    and districts. ``strict``: refuse instead of leaving a council alone."""
    from ..ties import tie_breaker_for

    report = BuildReport()
    current = _current_by_series(Protocol.series_key(Protocol.Level.CENTRAL, c.pk, None) for c in contests)
    todo, to_start = [], []
    may_start = actor is None or can(actor, "protocol.prepare", cec)
    for contest in contests:
        result = current.get(Protocol.series_key(Protocol.Level.CENTRAL, contest.pk, None))
        if contest.is_ranked:
            reason, code = _("A ranked-ballot contest cannot be determined from protocol figures."), "ranked"
        elif result is not None and result.status != P.DRAFT:
            reason, code = _frozen_result_text(), "frozen"
        elif result is None and not may_start:
            reason, code = _("Your role may not start this result."), "permission"
        else:
            todo.append((contest, result))
            if result is None:
                to_start.append((contest, cec, None))
            continue
        if strict:
            if code == "permission":
                require(actor, "protocol.prepare", cec)
            _refuse(reason, code)
        report.skipped.append((contest.unit.number if contest.unit_id else 0, reason))
    started, entries = _start_many(
        election=election, level=Protocol.Level.CENTRAL, items=to_start, actor=actor
    )
    started_by_contest = {p.contest_id: p for p in started}
    contest_ids = [c.pk for c, _r in todo]
    summaries: dict[int, dict[int, Protocol]] = {}
    for summary in Protocol.objects.filter(
        contest_id__in=contest_ids, level=Protocol.Level.TERRITORIAL
    ).exclude(status=P.SUPERSEDED):
        summaries.setdefault(summary.contest_id, {})[summary.unit_id] = summary
    wanted = {c.unit_id for c, _r in todo} | {u for by_unit in summaries.values() for u in by_unit}
    districts = {
        d.pk: d
        for d in TerritorialUnit.objects.filter(pk__in=wanted, kind=TerritorialUnit.Kind.DISTRICT).order_by(
            "number"
        )
    }
    decisions: dict[int, list] = {}
    for contest_id, order in (
        TieDecision.objects.filter(
            contest_id__in=contest_ids,
            protocol__series__in=[Protocol.series_key(Protocol.Level.CENTRAL, c, None) for c in contest_ids],
        )
        .order_by("recorded_at", "pk")
        .values_list("contest_id", "order")
    ):
        decisions.setdefault(contest_id, []).append(SimpleNamespace(order=order))
    counts, built_at = [], timezone.now().isoformat()
    for contest, result in todo:
        result = result or started_by_contest[contest.pk]
        mine = summaries.get(contest.pk, {})
        own = [d for d in districts.values() if d.pk in mine or d.pk == contest.unit_id]
        rows, items = [], []
        for district in own:
            summary = mine.get(district.pk)
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
        outcome, engine = engine_outcome(
            contest, figures, votes, tie_breaker=tie_breaker_for(contest, decisions.get(contest.pk, []))
        )
        if engine:
            counts.append(
                (
                    outcome,
                    ContestCount(
                        contest=contest,
                        method=contest.method,
                        seats=contest.seats,
                        tallies={**engine["tallies"], "source": "protocols", "protocol": result.pk},
                        report=engine["report"],
                        engine_version=outcome["engine_version"],
                        ballots_fingerprint="",
                        counted_by=actor if actor is not None and actor.pk else None,
                    ),
                )
            )
        blockers = [
            {"code": b.code, "number": b.number, "name": b.name} for b in district_blockers(own, mine)
        ]
        result.figures, result.votes, result.outcome = figures, votes, outcome
        result.prefilled = {
            "source": "summary_tables",
            "figures": figures,
            "votes": votes,
            "districts": rows,
            "blockers": blockers,
            "included": len(items),
            "expected": len(own),
            "built_at": built_at,
        }
        report.built.append(result)
        entries.append(
            {
                "action": "protocols.result.built",
                "actor": actor,
                "obj": result,
                "election": election,
                "data": {
                    "version": result.version,
                    "contest": contest.pk,
                    "districts": len(own),
                    "included": len(items),
                    "blockers": [b["number"] for b in blockers],
                    "elected": outcome.get("elected", []),
                    "seats": outcome.get("seats", {}),
                    "engine_version": outcome.get("engine_version"),
                },
            }
        )
    for (outcome, _count), stored in zip(
        counts, ContestCount.objects.bulk_create([c for _o, c in counts]), strict=True
    ):
        outcome["count_id"] = stored.pk
    Protocol.objects.bulk_update(report.built, ["figures", "votes", "outcome", "prefilled"], batch_size=500)
    audit_log_many(entries)
    return report


def _cec_of(election: Election, actor) -> Commission:
    """The CEC that determines the results, once the actor may do it for it."""
    cec = election_cec(election)
    if cec is None:
        _refuse(_("The election has no central election commission."), "no_cec")
    if actor is not None:
        require(actor, "protocol.aggregate", cec)
        refuse_observers(actor, election)
    return cec


@transaction.atomic
def central_result_build(*, contest: Contest, actor) -> Protocol:
    """Create or refresh the CEC's result of ``contest`` (seed 003 items 54–57): the sums of the
    signed TEC summary tables, their rows kept in ``prefilled["districts"]``, and the seats by the
    counting engine (stored as a ``ContestCount`` with the engine's report). Districts without a
    signed summary are recorded as blockers; a result being signed or signed is not rebuilt."""
    election = Election.objects.get(pk=contest.election_id)
    if not contest.unit_id:
        _refuse(_("Only the result of a council is determined from summary tables."), "wrong_contest")
    cec = _cec_of(election, actor)
    election = _locked_counting_election(election.pk)
    contest = Contest.objects.select_related("unit").prefetch_related("options").get(pk=contest.pk)
    return _results_build(election=election, contests=[contest], cec=cec, actor=actor, strict=True).built[0]


@transaction.atomic
def central_results_build(*, election: Election, actor) -> BuildReport:
    """Determine (or refresh) the result of every council of the election at once, in a constant
    number of queries. Results being signed or signed, and ranked contests, are left alone and
    listed with the reason."""
    cec = _cec_of(election, actor)
    election = _locked_counting_election(election.pk)
    contests = list(
        Contest.objects.filter(election=election, unit__isnull=False)
        .select_related("unit")
        .prefetch_related("options")
        .order_by("unit__number")
    )
    return _results_build(election=election, contests=contests, cec=cec, actor=actor, strict=False)


__all__ = [
    "COMPLETENESS_KEY",
    "BuildReport",
    "central_results_build",
    "territorial_summaries_build",
    "central_result_build",
    "engine_outcome",
    "protocol_transmission_set",
    "territorial_summary_build",
]
