"""The scratch tables of an import and the SQL that checks and loads them: PostgreSQL COPY (or
``executemany`` elsewhere), duplicates and conflicts found by SQL, INSERT … SELECT into the list."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator

from django.db import connection

from ..models import RegisterEntry, RegisterImportProblem
from .columns import (
    ENTRY_TABLE,
    LOAD_CHUNK_LINES,
    PROBLEM_COLUMNS,
    PROBLEM_TABLE,
    ROW_COLUMNS,
    ROW_TABLE,
    UNIT_TABLE,
)


def _copy(cursor, table: str, columns: tuple[str, ...], text_columns: tuple[str, ...], rows) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    buffer.seek(0)
    cursor.copy_expert(
        f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL "
        f"({', '.join(text_columns)}))",
        buffer,
    )


def write_chunk(rows: list[tuple], problems: list[tuple]) -> None:
    """Append a chunk to the scratch tables (the caller holds the transaction)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if rows:
                text = ("personal_number", "last_name", "first_name", "middle_name", "address", "email")
                _copy(cursor, ROW_TABLE, ROW_COLUMNS, text, rows)
            if problems:
                _copy(
                    cursor,
                    PROBLEM_TABLE,
                    PROBLEM_COLUMNS,
                    ("field_name", "code", "cell_value", "param", "param2"),
                    problems,
                )
            return
        if rows:
            cursor.executemany(
                f"INSERT INTO {ROW_TABLE} ({', '.join(ROW_COLUMNS)}) VALUES ({', '.join(['%s'] * len(ROW_COLUMNS))})",  # noqa: S608 - constant table names, values as parameters
                [(*r[:6], connection.ops.adapt_datefield_value(r[6]), *r[7:]) for r in rows],
            )
        if problems:
            cursor.executemany(
                f"INSERT INTO {PROBLEM_TABLE} ({', '.join(PROBLEM_COLUMNS)}) "  # noqa: S608 - constant table names, values as parameters
                f"VALUES ({', '.join(['%s'] * len(PROBLEM_COLUMNS))})",
                problems,
            )


def find_duplicates(batch: int) -> None:
    """The same personal number on several lines of the file: every such line gets a problem
    naming another line (and its precinct when it differs — a duplicate across precincts)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {PROBLEM_TABLE} ({", ".join(PROBLEM_COLUMNS)})
            SELECT batch, line, 'personal_number',
                   CASE WHEN COALESCE(other_precinct, -1) = COALESCE(precinct_number, -1)
                        THEN 'duplicate' ELSE 'duplicate_other_precinct' END,
                   personal_number,
                   COALESCE(CAST(other_line AS VARCHAR(100)), ''),
                   COALESCE(CAST(other_precinct AS VARCHAR(100)), '')
            FROM (
                SELECT batch, line, personal_number, precinct_number,
                       CASE WHEN line = first_line THEN next_line ELSE first_line END AS other_line,
                       CASE WHEN line = first_line THEN next_precinct ELSE first_precinct END AS other_precinct
                FROM (
                    SELECT batch, line, personal_number, precinct_number,
                           FIRST_VALUE(line) OVER w AS first_line,
                           FIRST_VALUE(precinct_number) OVER w AS first_precinct,
                           LEAD(line) OVER w AS next_line,
                           LEAD(precinct_number) OVER w AS next_precinct
                    FROM {ROW_TABLE}
                    WHERE batch = %s AND personal_number IN (
                        SELECT personal_number FROM {ROW_TABLE}
                        WHERE batch = %s AND personal_number <> ''
                        GROUP BY personal_number HAVING COUNT(*) > 1
                    )
                    WINDOW w AS (PARTITION BY personal_number ORDER BY line)
                ) ranked
            ) paired
            """,  # noqa: S608 - constant table names; values are parameters
            [batch, batch],
        )


_SAME_DATA = """e.precinct_id = {s}.precinct_id AND e.last_name = {s}.last_name
    AND e.first_name = {s}.first_name AND e.middle_name = {s}.middle_name
    AND e.birth_date = {s}.birth_date AND e.address = {s}.address"""


def find_conflicts(batch: int, election_id: int) -> None:
    """Rows whose personal number is already on the election's list: the same data is "already
    on the list" (skipped, not an error); other data or another precinct is a problem."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {ROW_TABLE} SET is_unchanged = %s
            WHERE batch = %s AND personal_number <> '' AND EXISTS (
                SELECT 1 FROM {ENTRY_TABLE} e
                WHERE e.election_id = %s AND e.personal_number = {ROW_TABLE}.personal_number
                  AND {_SAME_DATA.format(s=ROW_TABLE)}
            )
            """,  # noqa: S608 - constant table names; values are parameters
            [True, batch, election_id],
        )
        cursor.execute(
            f"""
            INSERT INTO {PROBLEM_TABLE} ({", ".join(PROBLEM_COLUMNS)})
            SELECT s.batch, s.line, 'personal_number',
                   CASE WHEN e.precinct_id = s.precinct_id
                        THEN 'registered_different' ELSE 'registered_other_precinct' END,
                   s.personal_number, CAST(p.number AS VARCHAR(100)), ''
            FROM {ROW_TABLE} s
            JOIN {ENTRY_TABLE} e ON e.election_id = %s AND e.personal_number = s.personal_number
            JOIN {UNIT_TABLE} p ON p.id = e.precinct_id
            WHERE s.batch = %s AND s.personal_number <> '' AND s.precinct_id IS NOT NULL
              AND s.is_unchanged = %s
            """,  # noqa: S608 - constant table names; values are parameters
            [election_id, batch, False],
        )


def mark_rows_with_problems(batch: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {ROW_TABLE} SET has_error = %s
            WHERE batch = %s AND has_error = %s
              AND line IN (SELECT line FROM {PROBLEM_TABLE} WHERE batch = %s)
            """,  # noqa: S608 - constant table names; values are parameters
            [True, batch, False, batch],
        )


def summarise(batch: int) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), COUNT(DISTINCT line) FROM {PROBLEM_TABLE} WHERE batch = %s",  # noqa: S608 - constant table names, values as parameters
            [batch],
        )
        problems, invalid = cursor.fetchone()
        cursor.execute(
            f"SELECT COUNT(*) FROM {ROW_TABLE} WHERE batch = %s AND is_unchanged = %s AND has_error = %s",  # noqa: S608 - constant table names, values as parameters
            [batch, True, False],
        )
        (unchanged,) = cursor.fetchone()
    return {"problems_total": problems, "rows_invalid": invalid, "rows_unchanged": unchanged}


def iter_problems(batch: int) -> Iterator[tuple]:
    """(line, field, code, value, param, param2), by line."""
    return (
        RegisterImportProblem.objects.filter(batch=batch)
        .order_by("line", "field_name", "pk")
        .values_list("line", "field_name", "code", "cell_value", "param", "param2")
        .iterator(chunk_size=5000)
    )


def max_line(batch: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(line) FROM {ROW_TABLE} WHERE batch = %s", [batch])  # noqa: S608 - constant table names, values as parameters
        (value,) = cursor.fetchone()
    return value or 0


def rows_kept(batch: int) -> int:
    """How many checked rows of the import the scratch table holds. On PostgreSQL the table is
    UNLOGGED: a database crash or an unclean restart empties it, and the load must then refuse
    rather than import nothing and call it done."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {ROW_TABLE} WHERE batch = %s", [batch])  # noqa: S608 - constant table names, values as parameters
        (count,) = cursor.fetchone()
    return count


def load(
    *, batch: int, election_id: int, import_id: int, now, progress: Callable[[float], None] | None = None
) -> int:
    """INSERT … SELECT the rows without problems (and not already on the list) into the register.
    The caller holds the transaction; returns the number of entries added."""
    last = max_line(batch)
    stamp = connection.ops.adapt_datetimefield_value(now)
    if connection.vendor == "postgresql":
        # Each new entry's foreign key (precinct, election) is checked by reading its unit. Units
        # just imported may have no statistics yet, and PostgreSQL would then read every unit of
        # the election through the election's index for each of a million rows (20 s instead of 4).
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {UNIT_TABLE}")
    inserted = 0
    columns = (
        "election_id, precinct_id, personal_number, last_name, first_name, middle_name, birth_date, "
        "address, email, status, source_import_id, created_at, updated_at, correction_count"
    )
    with connection.cursor() as cursor:
        start = 0
        while start <= last:
            end = start + LOAD_CHUNK_LINES
            cursor.execute(
                f"""
                INSERT INTO {ENTRY_TABLE} ({columns})
                SELECT %s, precinct_id, personal_number, last_name, first_name, middle_name, birth_date,
                       address, email, %s, %s, %s, %s, 0
                FROM {ROW_TABLE}
                WHERE batch = %s AND has_error = %s AND is_unchanged = %s AND line >= %s AND line < %s
                """,  # noqa: S608 - constant table names; values are parameters
                [
                    election_id,
                    RegisterEntry.Status.LISTED,
                    import_id,
                    stamp,
                    stamp,
                    batch,
                    False,
                    False,
                    start,
                    end,
                ],
            )
            inserted += max(cursor.rowcount, 0)
            start = end
            if progress is not None and last:
                progress(min(start / last, 1.0))
    return inserted


def clear(batch: int) -> None:
    """Empty the scratch tables of an import (after it ended, or before checking again)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {ROW_TABLE} WHERE batch = %s", [batch])  # noqa: S608 - constant table names, values as parameters
        cursor.execute(f"DELETE FROM {PROBLEM_TABLE} WHERE batch = %s", [batch])  # noqa: S608 - constant table names, values as parameters


def refresh_statistics() -> None:
    """After a bulk load, let PostgreSQL's planner know the list's new size (autovacuum would do
    it only later, and until then counts per precinct use plans made for an empty table)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {ENTRY_TABLE}")
