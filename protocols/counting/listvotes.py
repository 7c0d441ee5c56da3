"""Read a CSV of list (or candidate) votes.

Format (UTF-8, comma separated, header required, columns in any order, extra columns ignored)::

    name,votes,kind
    Greens,1200,
    Social Democrats,3400,list
    ,55,against_all
    ,20,blank
    ,13,invalid

``kind`` is ``list`` (the default when the column or the cell is empty), ``against_all``,
``blank`` or ``invalid``; the special kinds need no name and are summed when repeated.  ``votes``
is a whole non-negative number.  Every problem raises :class:`CountingInputError` naming the line.
"""

from __future__ import annotations

import csv
import io
import os
from typing import TextIO

from .blt import MAX_DIGITS, _shown, read_text_file
from .errors import CountingInputError
from .types import VoteCounts

KIND_LIST = "list"
KIND_AGAINST_ALL = "against_all"
KIND_BLANK = "blank"
KIND_INVALID = "invalid"
KINDS = (KIND_LIST, KIND_AGAINST_ALL, KIND_BLANK, KIND_INVALID)
_ALIASES = {"against-all": KIND_AGAINST_ALL, "against all": KIND_AGAINST_ALL}


def read_list_votes(source: str | os.PathLike[str] | TextIO) -> VoteCounts:
    """Read list votes from a path or an open text file."""
    if hasattr(source, "read"):
        return parse_list_votes(source.read(), getattr(source, "name", None))  # type: ignore[union-attr]
    return parse_list_votes(read_text_file(source, "votes file"), str(source))


def parse_list_votes(text: str, source: str | None = None) -> VoteCounts:
    """Parse CSV text into :class:`VoteCounts` (options = the ``list`` rows, in file order)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # LF, CRLF and CR alone

    def err(message: str, line: int | None) -> CountingInputError:
        return CountingInputError(message, line=line, source=source)

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    columns: dict[str, int] = {}
    names: list[str] = []
    votes: list[int] = []
    seen: dict[str, int] = {}
    special = dict.fromkeys((KIND_AGAINST_ALL, KIND_BLANK, KIND_INVALID), 0)
    try:
        for row in reader:
            line = reader.line_num
            if not row or all(not cell.strip() for cell in row):
                continue
            if header is None:
                header = [cell.strip().lower() for cell in row]
                columns = {name: i for i, name in enumerate(header)}
                missing = [c for c in ("name", "votes") if c not in columns]
                if missing:
                    raise err(
                        f"the header must name the columns name,votes[,kind]; missing: {', '.join(missing)}",
                        line,
                    )
                continue
            name = _cell(row, columns, "name")
            raw_votes = _cell(row, columns, "votes")
            raw_kind = _cell(row, columns, "kind").lower()
            kind = _ALIASES.get(raw_kind, raw_kind) or KIND_LIST
            if kind not in KINDS:
                raise err(f"unknown kind {_shown(raw_kind)}; use one of {', '.join(KINDS)}", line)
            if not (raw_votes.isascii() and raw_votes.isdigit()):
                raise err(f"votes must be a whole non-negative number, found {_shown(raw_votes)}", line)
            if len(raw_votes) > MAX_DIGITS:
                raise err(f"votes are too large: {len(raw_votes)} digits, at most {MAX_DIGITS}", line)
            value = int(raw_votes)
            if kind == KIND_LIST:
                if not name:
                    raise err("a list row needs a name", line)
                if name in seen:
                    raise err(f"list {name!r} appears twice (first on line {seen[name]})", line)
                seen[name] = line
                names.append(name)
                votes.append(value)
            else:
                special[kind] += value
    except csv.Error as exc:
        raise err(f"malformed CSV: {exc}", reader.line_num) from None
    if header is None:
        raise err("the file is empty; expected a header name,votes,kind", 1)
    if not names:
        raise err("no list votes found (rows of kind 'list')", reader.line_num or 1)
    return VoteCounts(
        tuple(names),
        tuple(votes),
        against_all=special[KIND_AGAINST_ALL],
        blank=special[KIND_BLANK],
        invalid=special[KIND_INVALID],
    )


def _cell(row: list[str], columns: dict[str, int], col: str) -> str:
    i = columns.get(col)
    return row[i].strip() if i is not None and i < len(row) else ""


def write_list_votes(counts: VoteCounts) -> str:
    """CSV text for ``counts`` in the format read by :func:`parse_list_votes`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "votes", "kind"])
    for name, value in zip(counts.options, counts.votes, strict=True):
        writer.writerow([name, value, KIND_LIST])
    for kind, value in (
        (KIND_AGAINST_ALL, counts.against_all),
        (KIND_BLANK, counts.blank),
        (KIND_INVALID, counts.invalid),
    ):
        if value:
            writer.writerow(["", value, kind])
    return out.getvalue()
