"""Checking every row in one pass, in constant memory: the rows go to the scratch table in
chunks, with their problems."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.validators import validate_email

from .columns import CHUNK_ROWS, MAX_LENGTH, MAX_ROWS, OLDEST_BIRTH, VOTING_AGE
from .reading import Source


@dataclass
class Limits:
    oldest: dt.date
    youngest: dt.date | None  # born after this: under 18 on voting day
    today: dt.date
    voting_day: dt.date | None


def limits_for(voting_day: dt.date | None, today: dt.date) -> Limits:
    youngest = None
    if voting_day is not None:
        try:
            youngest = voting_day.replace(year=voting_day.year - VOTING_AGE)
        except ValueError:  # 29 February
            youngest = voting_day.replace(year=voting_day.year - VOTING_AGE, day=28)
    return Limits(OLDEST_BIRTH, youngest, today, voting_day)


def _parse_date(value):
    """A date, or the code of the problem."""
    if isinstance(value, dt.date):
        return value
    if len(value) != 10:
        return "date_format"
    if value[4] == "-" and value[7] == "-":
        year, month, day = value[:4], value[5:7], value[8:]
    elif value[2] == "." and value[5] == ".":
        day, month, year = value[:2], value[3:5], value[6:]
    else:
        return "date_format"
    if not (year.isdigit() and month.isdigit() and day.isdigit()):
        return "date_format"
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return "date_invalid"


# distinct cell texts remembered per column, and their length: bounded memory for any file
MEMO_LIMIT = 200_000
MEMO_TEXT = 32


def _birth_outcome(raw, oldest, youngest, today, voting_day: str) -> tuple:
    """(the date or None, the problem as (code, value, parameter) or None) for a birth-date cell
    (stripped text, or a date from a workbook)."""
    if raw == "":
        return None, ("missing", "", "")
    parsed = _parse_date(raw)
    if parsed.__class__ is str:
        return None, (parsed, str(raw)[:100], "")
    if parsed > today:
        return None, ("date_future", parsed.isoformat(), "")
    if parsed < oldest:
        return None, ("date_too_old", parsed.isoformat(), "")
    if youngest is not None and parsed > youngest:
        return None, ("under_age", parsed.isoformat(), voting_day)
    return parsed, None


def _precinct_outcome(raw: str, precincts: dict[int, int]) -> tuple:
    """(the precinct's id or None, its number or None, the problem or None) for a precinct cell
    (stripped text)."""
    if not raw:
        return None, None, ("missing", "", "")
    text = raw.replace(" ", "")
    if text.isascii() and text.isdigit() and len(text) < 18:
        number = int(text)
        precinct_id = precincts.get(number)
        if precinct_id is None:
            return None, number, ("unknown_precinct", text[:100], str(number))
        return precinct_id, number, None
    return None, None, ("not_a_number", raw[:100], "")


def check_rows(
    source: Source, positions: dict[str, int], batch: int, precincts: dict[int, int], limits: Limits
) -> Iterator[tuple[list[tuple], list[tuple], int]]:
    """Yield chunks of (scratch rows, problems, rows read so far). One pass, constant memory."""
    absent = 1 << 30  # an optional column the file does not have
    i_pn = positions["personal_number"]
    i_last = positions["last_name"]
    i_first = positions["first_name"]
    i_middle = positions.get("middle_name", absent)
    i_birth = positions["birth_date"]
    i_address = positions["address"]
    i_precinct = positions["precinct_number"]
    i_email = positions.get("email", absent)
    width = max(positions.values()) + 1
    youngest, oldest, today = limits.youngest, limits.oldest, limits.today
    voting_day = limits.voting_day.isoformat() if limits.voting_day else ""
    rows: list[tuple] = []
    problems: list[tuple] = []
    add = problems.append
    count = 0
    texts = (("last_name", i_last, True), ("first_name", i_first, True), ("middle_name", i_middle, False))
    # the outcome of a birth date or a precinct cell depends on its text alone: a million voters
    # have some tens of thousands of birth dates and some thousands of precincts
    births: dict = {}
    precinct_outcomes: dict = {}
    for line, cells in source.rows:
        if not any(cells):
            continue
        count += 1
        if count > MAX_ROWS:
            add((batch, line, "—", "too_many_rows", "", str(MAX_ROWS), ""))
            yield rows, problems, count - 1
            return
        n = len(cells)
        extra = n > width and any(cells[width:])
        if n <= width:
            cells.extend([""] * (width + 1 - n))
        bad = False
        values = {}
        for name, i, required in texts:
            value = cells[i] if i < absent else ""
            value = value.strip() if value.__class__ is str else str(value)
            if len(value) > MAX_LENGTH[name]:
                add((batch, line, name, "too_long", value[:100], str(MAX_LENGTH[name]), ""))
                value = ""
                bad = True
            elif required and not value:
                add((batch, line, name, "missing", "", "", ""))
                bad = True
            values[name] = value
        pn = cells[i_pn]
        pn = pn.strip() if pn.__class__ is str else str(pn)
        if not pn:
            add((batch, line, "personal_number", "missing", "", "", ""))
            bad = True
        elif not (len(pn) == 14 and pn.isascii() and pn.isdigit()):
            add((batch, line, "personal_number", "personal_number", pn[:100], "", ""))
            pn = ""
            bad = True
        address = cells[i_address]
        address = address.strip() if address.__class__ is str else str(address)
        if not address:
            add((batch, line, "address", "missing", "", "", ""))
            bad = True
        elif len(address) > MAX_LENGTH["address"]:
            add((batch, line, "address", "too_long", address[:100], str(MAX_LENGTH["address"]), ""))
            address = ""
            bad = True
        email = cells[i_email] if i_email < absent else ""
        email = email.strip() if email.__class__ is str else str(email)
        if email:
            try:
                if len(email) > MAX_LENGTH["email"]:
                    raise ValueError
                validate_email(email)
            except Exception:  # noqa: BLE001 - too long or invalid: the same problem for the user
                add((batch, line, "email", "email", email[:100], "", ""))
                email = ""
                bad = True
        raw_birth = cells[i_birth]
        if raw_birth.__class__ is str:
            raw_birth = raw_birth.strip()
        outcome = births.get(raw_birth)
        if outcome is None:
            outcome = _birth_outcome(raw_birth, oldest, youngest, today, voting_day)
            if len(births) < MEMO_LIMIT and (raw_birth.__class__ is not str or len(raw_birth) <= MEMO_TEXT):
                births[raw_birth] = outcome
        birth, problem = outcome
        if problem is not None:
            add((batch, line, "birth_date", *problem, ""))
            bad = True
        raw_precinct = cells[i_precinct]
        raw_precinct = raw_precinct.strip() if raw_precinct.__class__ is str else str(raw_precinct)
        outcome = precinct_outcomes.get(raw_precinct)
        if outcome is None:
            outcome = _precinct_outcome(raw_precinct, precincts)
            if len(precinct_outcomes) < MEMO_LIMIT and len(raw_precinct) <= MEMO_TEXT:
                precinct_outcomes[raw_precinct] = outcome
        precinct_id, number, problem = outcome
        if problem is not None:
            add((batch, line, "precinct_number", *problem, ""))
            bad = True
        if extra:
            add((batch, line, "—", "extra_cells", "", "", ""))
            bad = True
        rows.append(
            (
                batch,
                line,
                pn,
                values["last_name"],
                values["first_name"],
                values["middle_name"],
                birth,
                address,
                email,
                precinct_id,
                number,
                bad,
                False,
            )
        )
        if len(rows) >= CHUNK_ROWS:
            yield rows, problems, count
            rows, problems = [], []
            add = problems.append
    yield rows, problems, count


# --- scratch tables -------------------------------------------------------------------------
