"""Preliminary figures of precincts (seed 003 item 46: the automated count sent over secure
channels, entered by hand by the PEC or the CEC, or imported as a CSV): stored apart and append-only
in ``PreliminaryResult``; they never overwrite a protocol's figures. Every function is one
transaction with an audit entry."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import asdict, dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.permissions import can, refuse_observers, require
from ballots.models import Contest
from elections import textfiles
from elections.audit import audit_log
from elections.models import Election
from groups.models import Commission, TerritorialUnit
from groups.services.units import RowError, csv_rows, decode_csv

from .. import forms_spec
from ..aggregation_selectors import ElectionWide, election_cec
from ..models import PreliminaryResult
from .protocol import ProtocolRefused, clean_numbers

PRELIMINARY_STATES = (Election.State.VOTING, Election.State.COUNTING)


def _refuse(message, code):
    raise ProtocolRefused(message, code=code)


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
        refuse_observers(actor, election)
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
    refuse_observers(actor, election)


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
