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
* **Preliminary figures** (item 46: the automated count sent over secure channels, or entered by
  hand, or imported) are stored apart and append-only; they never overwrite a protocol's figures.

TEC summaries and CEC results are ``Protocol`` rows of the levels ``territorial`` and ``central``:
they are signed, frozen and corrected with the same services as precinct protocols.
Every function is one transaction with an audit entry.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import asdict, dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import can, refuse_observers, require
from ballots.models import Contest, ContestOption
from elections import textfiles
from elections.audit import audit_log
from elections.models import Election
from groups.models import Commission, TerritorialUnit
from groups.services.units import RowError, csv_rows, decode_csv

from .. import forms_spec
from ..aggregation_selectors import (
    COMPLETENESS_KEY,
    ElectionWide,
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
from ..models import ContestCount, PreliminaryResult, Protocol
from .protocol import ProtocolRefused, clean_numbers, protocol_create

P = Protocol.Status
T = Protocol.Transmission
TRANSMISSION_STATES = (T.RECEIVED, T.ACCEPTED, T.RETURNED)
PRELIMINARY_STATES = (Election.State.VOTING, Election.State.COUNTING)


def _refuse(message, code):
    raise ProtocolRefused(message, code=code)


def _require_counting(election: Election) -> None:
    if election.state != Election.State.COUNTING:
        _refuse(
            _("Protocols are written while the election is at the counting stage (now: “%(state)s”).")
            % {"state": election.get_state_display()},
            "wrong_stage",
        )


def _refuse_observer(actor, election) -> None:
    refuse_observers(actor, election)


# --- transmission ------------------------------------------------------------------------------


@transaction.atomic
def protocol_transmission_set(*, protocol: Protocol, actor, status: str, note: str = "") -> Protocol:
    """The TEC marks a signed precinct protocol received, accepted or returned for correction
    (seed 003 item 51). Returning needs a note; the PEC then corrects it with
    ``protocol_correct``. An accepted protocol already counted in a summary being signed or
    signed cannot be taken back until the summary is corrected."""
    protocol = (
        Protocol.objects.select_for_update(of=("self",))
        .select_related("election", "commission", "commission__parent", "unit", "unit__parent")
        .get(pk=protocol.pk)
    )
    if protocol.level != Protocol.Level.PRECINCT:
        _refuse(_("Only precinct protocols are transmitted to a territorial commission."), "wrong_level")
    tec = precinct_tec(protocol)
    if tec is None:
        _refuse(_("The precinct's district has no territorial commission."), "no_tec")
    if actor is not None:
        require(actor, "protocol.transmit", tec)
        _refuse_observer(actor, protocol.election)
    _require_counting(protocol.election)
    if status not in TRANSMISSION_STATES:
        _refuse(_("Choose received, accepted or returned for correction."), "status")
    if protocol.status == P.SUPERSEDED:
        _refuse(_("A newer version of this protocol exists; decide on that one."), "superseded")
    if protocol.status != P.SIGNED:
        _refuse(_("The protocol is not signed by all present members yet."), "not_signed")
    note = (note or "").strip()
    if status == T.RETURNED and not note:
        _refuse(_("Say what the precinct commission must correct."), "note")
    if status == protocol.transmission:
        _refuse(_("The protocol already has this status."), "unchanged")
    if protocol.transmission == T.ACCEPTED:
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
    protocol.transmission = status
    protocol.transmission_note = note
    protocol.transmission_at = timezone.now()
    protocol.save(update_fields=["transmission", "transmission_note", "transmission_at"])
    audit_log(
        action="protocols.protocol.transmission_set",
        actor=actor,
        obj=protocol,
        election=protocol.election,
        data={
            "status": status,
            "previous": previous,
            "note": note,
            "version": protocol.version,
            "precinct": protocol.unit.number if protocol.unit else None,
            "tec": tec.pk,
        },
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
        _refuse_observer(actor, election)
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
        _refuse_observer(actor, election)
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


# --- preliminary figures -----------------------------------------------------------------------


def _may_enter_preliminary(actor, unit: TerritorialUnit) -> bool:
    """The precinct's PEC, its district's TEC, the CEC, or the secretariat."""
    commissions = Commission.objects.filter(election_id=unit.election_id).filter(
        Q(kind=Commission.Kind.CEC)
        | Q(kind=Commission.Kind.PEC, unit_id=unit.pk)
        | Q(kind=Commission.Kind.TEC, unit_id=unit.parent_id)
    )
    for commission in commissions:
        if can(actor, "protocol.preliminary", commission):
            return True
    return can(actor, "protocol.preliminary", ElectionWide(unit.election_id))


may_enter_preliminary = _may_enter_preliminary


def may_enter_preliminary_now(actor, unit: TerritorialUnit, election: Election) -> bool:
    """What ``preliminary_record`` checks before it stores anything: the actor may enter this
    precinct's figures and the election is at the stage that receives them (pages ask this
    before they offer the link)."""
    return election.state in PRELIMINARY_STATES and _may_enter_preliminary(actor, unit)


def _require_preliminary_stage(election: Election) -> None:
    if election.state not in PRELIMINARY_STATES:
        _refuse(
            _("Preliminary figures are received on voting day and while the votes are counted."),
            "wrong_stage",
        )


@transaction.atomic
def preliminary_record(
    *, contest: Contest, unit: TerritorialUnit, figures: dict, votes: dict, source: str, actor
) -> PreliminaryResult:
    """Store the preliminary figures of one precinct (seed 003 item 46), apart from its protocol.
    A new row is added each time; nothing earlier is overwritten."""
    election = Election.objects.get(pk=contest.election_id)
    if (
        unit.kind != TerritorialUnit.Kind.PRECINCT
        or unit.election_id != contest.election_id
        or unit.parent_id != contest.unit_id
    ):
        _refuse(_("The precinct does not vote in this contest."), "wrong_unit")
    if actor is not None:
        if not _may_enter_preliminary(actor, unit):
            raise PermissionDenied(
                _(
                    "Only the precinct's commission, its district's or the central commission, or the secretariat may enter its figures."
                )
            )
        _refuse_observer(actor, election)
    _require_preliminary_stage(election)
    if source not in PreliminaryResult.Source.values:
        _refuse(_("Choose where the figures come from."), "source")
    figures = clean_numbers(figures, {line.code for line in forms_spec.KG_LINES}, _("figures"))
    votes = clean_numbers(votes, forms_spec.option_names(contest), _("votes"))
    if not figures and not votes:
        _refuse(_("Enter at least one figure."), "empty")
    row = PreliminaryResult.objects.create(
        election=election,
        contest=contest,
        unit=unit,
        source=source,
        figures=figures,
        votes=votes,
        entered_by=actor if actor is not None and actor.pk else None,
    )
    audit_log(
        action="protocols.preliminary.recorded",
        actor=actor,
        obj=row,
        election=election,
        data={
            "contest": contest.pk,
            "precinct": unit.number,
            "source": source,
            "figures": figures,
            "votes": votes,
        },
    )
    return row


PRECINCT_COLUMN = "precinct"
PRECINCT_ALIASES = {"precinct", "number", "участок", "номер"}
MAX_PRELIMINARY_ROWS = 20000


class PreliminaryImportError(ProtocolRefused):
    """The file was refused; ``rows`` lists every problem found. Nothing was stored."""

    def __init__(self, rows: list[RowError]):
        self.rows = rows
        super().__init__([str(r) for r in rows])


@dataclass
class PreliminaryImportResult:
    created: int = 0
    precincts: list[int] = field(default_factory=list)
    sha256: str = ""

    def as_dict(self):
        return asdict(self)


def _number(value: str, line: int, column: str, errors: list) -> int | None:
    try:
        number = int(value.replace(" ", "").replace("\u00a0", ""))
    except ValueError:
        errors.append(RowError(line, column, _("“%(value)s” is not a whole number.") % {"value": value}))
        return None
    if number < 0:
        errors.append(RowError(line, column, _("The number must be at least %(min)s.") % {"min": 0}))
        return None
    return number


def may_import_preliminary(actor, election: Election) -> None:
    """PermissionDenied unless ``actor`` may import preliminary figures for the whole election
    (the CEC or the secretariat; never an observer)."""
    cec = election_cec(election)
    require(actor, "protocol.preliminary", cec if cec is not None else ElectionWide(election.pk))
    _refuse_observer(actor, election)


def preliminary_import_content(*, election: Election, content: bytes, actor) -> PreliminaryImportResult:
    """The reader of an uploaded file (``groups.run_file_import``: the request only stores it)."""
    return preliminary_import(election=election, file=content, actor=actor)


@transaction.atomic
def preliminary_import(*, election: Election, file, actor) -> PreliminaryImportResult:
    """Import preliminary figures from CSV (seed 003 item 46), all or nothing.

    Columns (header row; comma or semicolon; UTF-8, UTF-16 with a BOM or Windows-1251, any
    newline style, read by ``elections.textfiles``): ``precinct`` (its number),
    optionally ``source`` (``automated``, ``import`` or ``manual``; ``import`` when absent), then
    any protocol line codes (``voters_on_list``, ``ballots_received`` … ``ballots_valid``) and the
    ballot option codes of the councils' contests. A cell left empty is not reported. Every row
    adds a new record; earlier records and the protocols stay as they are."""
    content = file.read() if hasattr(file, "read") else bytes(file)
    if isinstance(content, str):
        content = content.encode()
    if actor is not None:
        may_import_preliminary(actor, election)
    election = Election.objects.select_for_update().get(pk=election.pk)
    _require_preliminary_stage(election)
    text = decode_csv(
        content,
        PreliminaryImportError,
        limit_bytes=textfiles.setting_bytes("IMPORT_PRELIMINARY_MAX_MB", 10),
    )
    first_line = text.split("\n", 1)[0] if text.strip() else ""
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows_of_file = csv_rows(reader, PreliminaryImportError)
    try:
        header = [h.strip() for h in next(rows_of_file)]
    except StopIteration:
        raise PreliminaryImportError([RowError(1, "—", _("The file is empty."))]) from None
    line_codes = {line.code for line in forms_spec.KG_LINES}
    contests = {c.unit_id: c for c in Contest.objects.filter(election=election, unit__isnull=False)}
    option_contest = {
        code: contest_id
        for code, contest_id in Contest.objects.filter(election=election, unit__isnull=False).values_list(
            "options__code", "pk"
        )
        if code
    }
    errors: list[RowError] = []
    columns: list[str] = []
    for name in header:
        key = name.lower()
        if key in PRECINCT_ALIASES:
            columns.append(PRECINCT_COLUMN)
        elif key == "source":
            columns.append("source")
        elif key in line_codes:
            columns.append(key)
        elif name in option_contest:
            columns.append(name)
        else:
            columns.append(name)
            errors.append(RowError(1, name or "—", _("Unknown column.")))
    if PRECINCT_COLUMN not in columns:
        errors.append(RowError(1, PRECINCT_COLUMN, _("This column is required.")))
    if errors:
        raise PreliminaryImportError(errors)
    precincts = {
        u.number: u
        for u in TerritorialUnit.objects.filter(election=election, kind=TerritorialUnit.Kind.PRECINCT).only(
            "pk", "number", "parent_id", "election_id"
        )
    }
    seen: dict[int, int] = {}
    to_create: list[PreliminaryResult] = []
    for cells in rows_of_file:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(to_create) >= MAX_PRELIMINARY_ROWS:
            errors.append(
                RowError(line, "—", _("Too many rows: at most %(max)s.") % {"max": MAX_PRELIMINARY_ROWS})
            )
            break
        values = {columns[i]: (cells[i].strip() if i < len(cells) else "") for i in range(len(columns))}
        row_errors: list[RowError] = []
        unit = contest = None
        raw_number = values.get(PRECINCT_COLUMN, "")
        if not raw_number:
            row_errors.append(RowError(line, PRECINCT_COLUMN, _("This field is required.")))
        else:
            number = _number(raw_number, line, PRECINCT_COLUMN, row_errors)
            if number is not None:
                unit = precincts.get(number)
                if unit is None:
                    row_errors.append(
                        RowError(
                            line,
                            PRECINCT_COLUMN,
                            _("There is no precinct number %(number)s.") % {"number": number},
                        )
                    )
                else:
                    contest = contests.get(unit.parent_id)
                    if contest is None:
                        row_errors.append(
                            RowError(line, PRECINCT_COLUMN, _("The precinct's district has no ballot."))
                        )
                    if number in seen:
                        row_errors.append(
                            RowError(
                                line,
                                PRECINCT_COLUMN,
                                _("The number %(number)s is already used in row %(line)s.")
                                % {"number": number, "line": seen[number]},
                            )
                        )
                    seen.setdefault(number, line)
        source = values.get("source", "") or PreliminaryResult.Source.IMPORT
        if source not in PreliminaryResult.Source.values:
            row_errors.append(
                RowError(
                    line,
                    "source",
                    _("Write “automated”, “import” or “manual”, not “%(value)s”.") % {"value": source},
                )
            )
        figures, votes = {}, {}
        for column, raw in values.items():
            if column in (PRECINCT_COLUMN, "source") or raw == "":
                continue
            number = _number(raw, line, column, row_errors)
            if number is None:
                continue
            if column in line_codes:
                figures[column] = number
            elif contest is not None and option_contest.get(column) != contest.pk:
                row_errors.append(
                    RowError(line, column, _("This option is not on the ballot of the precinct's district."))
                )
            else:
                votes[column] = number
        if not figures and not votes and not row_errors:
            row_errors.append(RowError(line, "—", _("The row gives no figures.")))
        if row_errors:
            errors.extend(row_errors)
            continue
        to_create.append(
            PreliminaryResult(
                election=election,
                contest=contest,
                unit=unit,
                source=source,
                figures=figures,
                votes=votes,
                entered_by=actor if actor is not None and actor.pk else None,
            )
        )
    if not to_create and not errors:
        errors.append(RowError(2, "—", _("The file has no rows below the header.")))
    if errors:
        raise PreliminaryImportError(errors)
    PreliminaryResult.objects.bulk_create(to_create)
    result = PreliminaryImportResult(
        created=len(to_create),
        precincts=sorted(seen),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    audit_log(
        action="protocols.preliminary.imported",
        actor=actor,
        obj=election,
        election=election,
        data={"rows": result.created, "precincts": len(result.precincts), "sha256": result.sha256},
    )
    return result


__all__ = [
    "COMPLETENESS_KEY",
    "PreliminaryImportError",
    "central_result_build",
    "engine_outcome",
    "preliminary_import",
    "preliminary_record",
    "protocol_transmission_set",
    "territorial_summary_build",
]
