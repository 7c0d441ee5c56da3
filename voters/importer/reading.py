"""Reading an extract as a stream: CSV (UTF-8 or Windows-1251, comma or semicolon) or XLSX
(read-only mode), and mapping its header."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from elections import textfiles

from .columns import COLUMNS, HEADER_ALIASES, REQUIRED_COLUMNS


class FileRefused(Exception):
    """The file as a whole cannot be checked: ``problems`` are (code, param) pairs, or
    ("text", code, params) for a file the text decoder refused."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__(problems)


# --- reading ------------------------------------------------------------------------------


@dataclass
class Source:
    header: list[str]
    rows: Iterator[tuple[int, list]]
    fraction: Callable[[], float]
    encoding: str
    close: Callable[[], None]
    handle: object = None  # keeps the text stream (and so the file) open while rows are read


def sniff_format(path: str) -> str:
    with open(path, "rb") as handle:
        head = handle.read(4)
    return "xlsx" if head == b"PK\x03\x04" else "csv"


def _refused(exc: textfiles.TextFileError) -> FileRefused:
    return FileRefused([("text", exc.code, {"line": exc.line, **exc.params})])


def csv_encoding(path: str) -> str:
    """The codec of a CSV extract after a full check (Windows-1251, or the refusal naming the
    line): asked when reading it as UTF-8 met bytes that are not UTF-8."""
    try:
        return textfiles.scan_file(path, allow_cp1251=True)
    except textfiles.TextFileError as exc:
        raise _refused(exc) from None


def _open_csv(path: str, encoding: str | None) -> Source:
    """A CSV read through the portal's one text decoder (elections.textfiles): UTF-8 (BOM or
    not), UTF-16/32 with a BOM or Windows-1251; NUL bytes, control characters and over-long lines
    refused (naming the line) before any row is read; every newline style. Without ``encoding``
    the file is read as UTF-8 and that reading is the UTF-8 check (one pass over a big file
    less): a ``UnicodeDecodeError`` while reading rows means "ask :func:`csv_encoding` and read
    again"."""
    import os

    try:
        text, encoding = textfiles.open_text(path, allow_cp1251=True, encoding=encoding or "assume-utf-8")
    except textfiles.TextFileError as exc:
        raise _refused(exc) from None
    size = os.path.getsize(path) or 1
    raw = text.buffer
    try:
        first = text.readline()
    except UnicodeDecodeError:
        raw.close()
        raise
    if not first.strip():
        raw.close()
        raise FileRefused([("empty", "")])
    delimiter = ";" if first.count(";") > first.count(",") else ","
    header = next(csv.reader([first], delimiter=delimiter))
    reader = csv.reader(text, delimiter=delimiter)

    def rows():
        try:
            for cells in reader:
                yield reader.line_num + 1, cells
        except csv.Error:
            raise FileRefused([("malformed", str(reader.line_num + 1))]) from None

    def fraction() -> float:
        return 1.0 if raw.closed else min(raw.tell() / size, 1.0)

    return Source(header, rows(), fraction, encoding.replace("-sig", ""), raw.close, text)


def _xlsx_cell(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _open_xlsx(path: str) -> Source:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any unreadable workbook is the same problem for the user
        raise FileRefused([("unreadable", "")]) from None
    sheet = workbook.worksheets[0]
    total = sheet.max_row or 0
    values = sheet.iter_rows(values_only=True)
    try:
        header = [str(v or "") for v in next(values)]
    except StopIteration:
        workbook.close()
        raise FileRefused([("empty", "")]) from None
    done = {"line": 1}

    def rows():
        try:
            for line, cells in enumerate(values, start=2):
                done["line"] = line
                yield line, [_xlsx_cell(v) for v in cells]
        except Exception:  # noqa: BLE001 - a sheet broken inside the workbook: the same problem for the user
            raise FileRefused([("unreadable", "")]) from None

    return Source(
        header, rows(), lambda: min(done["line"] / total, 1.0) if total else 0.0, "xlsx", workbook.close
    )


def open_source(path: str, encoding: str | None = None) -> Source:
    return _open_xlsx(path) if sniff_format(path) == "xlsx" else _open_csv(path, encoding)


def map_header(header: list[str]) -> dict[str, int]:
    """Column name → position; raises FileRefused listing every header problem."""
    problems: list[tuple[str, str]] = []
    positions: dict[str, int] = {}
    for i, raw in enumerate(header):
        name = raw.strip().lstrip("\ufeff").lower()
        if not name:
            continue
        name = HEADER_ALIASES.get(name, name)
        if name not in COLUMNS:
            problems.append(("unknown_column", raw.strip()))
        elif name in positions:
            problems.append(("duplicate_column", name))
        else:
            positions[name] = i
    for name in REQUIRED_COLUMNS:
        if name not in positions:
            problems.append(("missing_column", name))
    if problems:
        raise FileRefused(problems)
    return positions


# --- checking -------------------------------------------------------------------------------
