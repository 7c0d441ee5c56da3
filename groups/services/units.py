"""Districts and precincts (seed 003, section 1), one by one or imported from a CSV file.

CSV columns (header row required; comma or semicolon; UTF-8, UTF-16 with a BOM or Windows-1251,
any newline style — read by ``elections.textfiles``; the import runs in a task, see
``file_imports``)::

    kind,number,name_ru,name_en,parent_number,address,voters_on_list

``kind`` is ``district`` or ``precinct`` (or ``округ`` / ``участок``); ``number`` a positive
integer, unique per kind in the election; ``name_ru`` required; a precinct gives the number of
its district in ``parent_number`` (a district of the same file or one already stored) and its
``voters_on_list``. Rows whose number already exists update that unit. Everything is checked
first; any error leaves the database untouched and is reported per row and column.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.permissions import require
from elections import textfiles
from elections.audit import audit_log
from elections.models import Election

from ..models import TerritorialUnit
from ._common import refuse_when_archived, voting_has_opened

COLUMNS = ("kind", "number", "name_ru", "name_en", "parent_number", "address", "voters_on_list")
REQUIRED_COLUMNS = ("kind", "number", "name_ru")
COLUMN_ALIASES = {"name": "name_ru", "parent": "parent_number", "voters": "voters_on_list"}
KIND_ALIASES = {
    "district": TerritorialUnit.Kind.DISTRICT,
    "округ": TerritorialUnit.Kind.DISTRICT,
    "precinct": TerritorialUnit.Kind.PRECINCT,
    "участок": TerritorialUnit.Kind.PRECINCT,
}
MAX_ROWS = 20000
UNIT_FIELDS = ("name_ru", "name_kk", "name_ky", "name_en", "address", "voters_on_list")
#: what the CSV import sets (the Kazakh and Kyrgyz names are entered on the unit's page)
IMPORT_FIELDS = ("name_ru", "name_en", "address", "voters_on_list")
K = TerritorialUnit.Kind


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self):
        return _("Row %(line)s, column “%(column)s”: %(message)s") % {
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


class UnitImportError(ValidationError):
    """The file was refused; ``rows`` lists every problem found."""

    def __init__(self, rows: list[RowError]):
        self.rows = rows
        super().__init__([str(r) for r in rows])


@dataclass
class UnitRow:
    line: int
    kind: str
    number: int
    name_ru: str
    name_en: str = ""
    parent_number: int | None = None
    address: str = ""
    voters_on_list: int | None = None


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    counts: dict = field(default_factory=dict)


def decode_csv(content: bytes, error_class, *, limit_bytes: int) -> str:
    """The text of an uploaded CSV through the portal's one decoder (elections.textfiles): a
    refused file (too large, not text, a line too long…) raises ``error_class`` with one row
    naming the line. Shared by the CSV imports."""
    try:
        textfiles.check_size(len(content), limit_bytes)
        return textfiles.decode(content, allow_cp1251=True).text
    except textfiles.TextFileError as exc:
        raise error_class([RowError(exc.line or 1, "—", exc.message())]) from None


def csv_rows(reader, error_class):
    """Iterate a csv.reader; a malformed line (e.g. a field over the csv module's limit) is a row
    error, never a crash."""
    try:
        yield from reader
    except csv.Error:
        raise error_class(
            [
                RowError(
                    reader.line_num, "—", _("This line is not valid CSV (a quotation mark is not closed?).")
                )
            ]
        ) from None


def _int(value: str, line: int, column: str, errors: list, *, minimum: int) -> int | None:
    try:
        number = int(value.replace(" ", "").replace("\u00a0", ""))
    except ValueError:
        errors.append(RowError(line, column, _("“%(value)s” is not a whole number.") % {"value": value}))
        return None
    if number < minimum:
        errors.append(RowError(line, column, _("The number must be at least %(min)s.") % {"min": minimum}))
        return None
    return number


def parse_units_csv(content: bytes) -> list[UnitRow]:
    """Parse and check the shape of the file; raise UnitImportError listing every bad cell."""
    text = decode_csv(content, UnitImportError, limit_bytes=textfiles.setting_bytes("IMPORT_UNITS_MAX_MB", 5))
    first_line = text.split("\n", 1)[0] if text.strip() else ""
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows_of_file = csv_rows(reader, UnitImportError)
    errors: list[RowError] = []
    try:
        header = [COLUMN_ALIASES.get(h.strip().lower(), h.strip().lower()) for h in next(rows_of_file)]
    except StopIteration:
        raise UnitImportError([RowError(1, "—", _("The file is empty."))]) from None
    for name in header:
        if name not in COLUMNS:
            errors.append(RowError(1, name, _("Unknown column.")))
    for name in REQUIRED_COLUMNS:
        if name not in header:
            errors.append(RowError(1, name, _("This column is required.")))
    if errors:
        raise UnitImportError(errors)
    rows: list[UnitRow] = []
    seen: dict[tuple[str, int], int] = {}
    for cells in rows_of_file:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(rows) >= MAX_ROWS:
            errors.append(RowError(line, "—", _("Too many rows: at most %(max)s.") % {"max": MAX_ROWS}))
            break
        values = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header)}
        row_errors: list[RowError] = []
        kind = KIND_ALIASES.get(values["kind"].lower())
        if kind is None:
            row_errors.append(
                RowError(
                    line,
                    "kind",
                    _("Write “district” or “precinct”, not “%(value)s”.") % {"value": values["kind"]},
                )
            )
        number = _int(values["number"], line, "number", row_errors, minimum=1) if values["number"] else None
        if not values["number"]:
            row_errors.append(RowError(line, "number", _("This field is required.")))
        if not values["name_ru"]:
            row_errors.append(RowError(line, "name_ru", _("This field is required.")))
        parent_number = voters = None
        raw_parent, raw_voters = values.get("parent_number", ""), values.get("voters_on_list", "")
        if kind == K.PRECINCT:
            if not raw_parent:
                row_errors.append(
                    RowError(line, "parent_number", _("Give the number of the precinct's district."))
                )
            else:
                parent_number = _int(raw_parent, line, "parent_number", row_errors, minimum=1)
            if not raw_voters:
                row_errors.append(
                    RowError(line, "voters_on_list", _("Give the number of voters on the list."))
                )
        elif kind == K.DISTRICT and raw_parent:
            row_errors.append(RowError(line, "parent_number", _("An electoral district has no parent unit.")))
        if raw_voters:
            voters = _int(raw_voters, line, "voters_on_list", row_errors, minimum=0)
        if kind and number is not None:
            if (kind, number) in seen:
                row_errors.append(
                    RowError(
                        line,
                        "number",
                        _("The number %(number)s is already used in row %(line)s.")
                        % {"number": number, "line": seen[(kind, number)]},
                    )
                )
            seen.setdefault((kind, number), line)
        if row_errors:
            errors.extend(row_errors)
            continue
        rows.append(
            UnitRow(
                line=line,
                kind=kind,
                number=number,
                name_ru=values["name_ru"],
                name_en=values.get("name_en", ""),
                parent_number=parent_number,
                address=values.get("address", ""),
                voters_on_list=voters,
            )
        )
    if not rows and not errors:
        errors.append(RowError(2, "—", _("The file has no rows below the header.")))
    if errors:
        raise UnitImportError(errors)
    return rows


def _refuse_after_voting_opened(election: Election) -> None:
    refuse_when_archived(election)
    if voting_has_opened(election):
        raise ValidationError(_("Districts and precincts can no longer change: voting has already opened."))


def _row_errors_from(exc: ValidationError, line: int) -> list[RowError]:
    if hasattr(exc, "error_dict"):
        return [RowError(line, f, m) for f, errs in exc.message_dict.items() for m in errs]
    return [RowError(line, "—", m) for m in exc.messages]


def may_import_units(actor, election: Election) -> None:
    """PermissionDenied unless ``actor`` may import districts and precincts of ``election``."""
    require(actor, "unit.manage", election)


@transaction.atomic
def units_import(*, election: Election, content: bytes, actor) -> ImportResult:
    """Import districts and precincts from CSV, all or nothing, audited with the counts."""
    if actor is not None:
        require(actor, "unit.manage", election)
    election = Election.objects.select_for_update(of=("self",)).get(pk=election.pk)
    _refuse_after_voting_opened(election)
    rows = parse_units_csv(content)
    existing = {(u.kind, u.number): u for u in TerritorialUnit.objects.filter(election=election)}
    result = ImportResult()
    errors: list[RowError] = []
    for kind in (K.DISTRICT, K.PRECINCT):
        to_create, to_update = [], []
        for row in (r for r in rows if r.kind == kind):
            unit = existing.get((kind, row.number))
            parent = None
            if kind == K.PRECINCT:
                parent = existing.get((K.DISTRICT, row.parent_number))
                if parent is None:
                    errors.append(
                        RowError(
                            row.line,
                            "parent_number",
                            _("There is no district number %(number)s.") % {"number": row.parent_number},
                        )
                    )
                    continue
            values = {f: getattr(row, f) for f in IMPORT_FIELDS}
            if unit is None:
                unit = TerritorialUnit(
                    election=election, kind=kind, number=row.number, parent=parent, **values
                )
                to_create.append(unit)
            elif any(getattr(unit, f) != v for f, v in values.items()) or unit.parent_id != (
                parent.pk if parent else None
            ):
                for f, v in values.items():
                    setattr(unit, f, v)
                unit.parent = parent
                to_update.append(unit)
            else:
                result.unchanged += 1
                continue
            try:
                unit.full_clean(validate_unique=False, validate_constraints=False)
            except ValidationError as exc:
                errors.extend(_row_errors_from(exc, row.line))
        if errors:
            break
        TerritorialUnit.objects.bulk_create(to_create)
        TerritorialUnit.objects.bulk_update(to_update, ["parent", *IMPORT_FIELDS])
        for unit in to_create:
            existing[(kind, unit.number)] = unit
        result.created += len(to_create)
        result.updated += len(to_update)
        result.counts[kind] = sum(1 for r in rows if r.kind == kind)
    if errors:
        raise UnitImportError(errors)
    if result.created or result.updated:
        audit_log(
            action="groups.unit.imported",
            actor=actor,
            obj=election,
            data={
                "rows": len(rows),
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "districts": result.counts.get(K.DISTRICT, 0),
                "precincts": result.counts.get(K.PRECINCT, 0),
                "sha256": hashlib.sha256(content).hexdigest(),
            },
        )
    return result


@transaction.atomic
def unit_create(*, election: Election, actor, kind: str, number: int, name_ru: str, parent=None, **fields):
    """Add one district or precinct."""
    if actor is not None:
        require(actor, "unit.manage", election)
    _refuse_after_voting_opened(election)
    unknown = set(fields) - set(UNIT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown unit fields: {sorted(unknown)}")
    unit = TerritorialUnit(
        election=election, kind=kind, number=number, name_ru=name_ru, parent=parent, **fields
    )
    unit.full_clean()
    unit.save()
    audit_log(
        action="groups.unit.created",
        actor=actor,
        obj=unit,
        election=election,
        data={"kind": kind, "number": number, "name_ru": name_ru, "parent_id": parent.pk if parent else None},
    )
    return unit


@transaction.atomic
def unit_update(*, unit: TerritorialUnit, actor, **fields) -> TerritorialUnit:
    """Correct a district or precinct (name, address, voters on the list, district)."""
    if actor is not None:
        require(actor, "unit.manage", unit)
    unit = TerritorialUnit.objects.select_for_update(of=("self",)).select_related("election").get(pk=unit.pk)
    _refuse_after_voting_opened(unit.election)
    unknown = set(fields) - {"number", "parent", *UNIT_FIELDS}
    if unknown:
        raise TypeError(f"Unknown unit fields: {sorted(unknown)}")
    changed = {f: v for f, v in fields.items() if getattr(unit, f) != v}
    if not changed:
        return unit
    before = {f: getattr(getattr(unit, f), "pk", getattr(unit, f)) for f in changed}
    for f, v in changed.items():
        setattr(unit, f, v)
    unit.full_clean()
    unit.save()
    audit_log(
        action="groups.unit.updated",
        actor=actor,
        obj=unit,
        data={"changed": {f: [before[f], getattr(v, "pk", v)] for f, v in changed.items()}},
    )
    return unit
