"""Reading, checking and loading a voter-register extract (seed 003 items 8–9) at national scale.

File format (first row: the column names; the order is free)::

    personal_number,last_name,first_name,middle_name,birth_date,address,precinct_number,email
    21203198012345,Асанов,Бакыт,Жумабекович,1980-03-12,"г. Бишкек, ул. Ахунбаева, 97",1001,

* CSV in UTF-8 (with or without BOM), UTF-16 with a BOM or Windows-1251, comma- or
  semicolon-separated, any newline style (read by ``elections.textfiles``, which refuses NUL bytes,
  control characters and over-long lines naming the line); or XLSX (the first sheet, read in
  read-only mode).
* ``personal_number`` — the personal identification number (ПИН): exactly 14 digits.
* ``last_name``, ``first_name`` — required; ``middle_name`` (patronymic) and ``email`` optional
  (``email`` is where the voting invitation goes, item 4 of the voters issue).
* ``birth_date`` — ``YYYY-MM-DD`` or ``DD.MM.YYYY`` (or an Excel date); the voter must be 18 on
  voting day.
* ``address`` — required; ``precinct_number`` — the number of a precinct of the election.
* Russian column names are accepted too (``пин``, ``фамилия``, ``имя``, ``отчество``,
  ``дата_рождения``, ``адрес``, ``участок``).

The file is read as a stream (never loaded as a whole): rows are checked one by one and written
in chunks to a scratch table (PostgreSQL ``COPY``, elsewhere ``executemany``); duplicates within
the file (the same personal number twice, in the same or another precinct) and conflicts with
entries already on the list are then found by SQL, so memory stays flat whatever the size. The
load is one ``INSERT … SELECT`` per chunk of lines inside one transaction: nothing is ever
half-imported.
"""

from .checking import Limits, check_rows, limits_for
from .columns import (
    CHUNK_ROWS,
    COLUMNS,
    HEADER_ALIASES,
    MAX_ROWS,
    REQUIRED_COLUMNS,
    file_problem_message,
    problem_message,
)
from .reading import FileRefused, Source, csv_encoding, map_header, open_source, sniff_format
from .scratch import (
    clear,
    find_conflicts,
    find_duplicates,
    iter_problems,
    load,
    mark_rows_with_problems,
    refresh_statistics,
    rows_kept,
    summarise,
    write_chunk,
)

__all__ = [
    "CHUNK_ROWS",
    "COLUMNS",
    "HEADER_ALIASES",
    "MAX_ROWS",
    "REQUIRED_COLUMNS",
    "FileRefused",
    "Limits",
    "Source",
    "check_rows",
    "clear",
    "csv_encoding",
    "file_problem_message",
    "find_conflicts",
    "find_duplicates",
    "iter_problems",
    "limits_for",
    "load",
    "map_header",
    "mark_rows_with_problems",
    "open_source",
    "problem_message",
    "refresh_statistics",
    "rows_kept",
    "sniff_format",
    "summarise",
    "write_chunk",
]
