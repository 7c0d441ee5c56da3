"""The columns of a register extract, the limits of a row, and the texts of the problems (the
report stores codes and parameters; texts are made in the reader's language)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from elections.textfiles import TextFileError

from ..models import RegisterEntry, RegisterImportProblem, RegisterImportRow

COLUMNS = (
    "personal_number",
    "last_name",
    "first_name",
    "middle_name",
    "birth_date",
    "address",
    "precinct_number",
    "email",
)
REQUIRED_COLUMNS = ("personal_number", "last_name", "first_name", "birth_date", "address", "precinct_number")
HEADER_ALIASES = {
    "pin": "personal_number",
    "пин": "personal_number",
    "фамилия": "last_name",
    "имя": "first_name",
    "отчество": "middle_name",
    "дата_рождения": "birth_date",
    "дата рождения": "birth_date",
    "адрес": "address",
    "участок": "precinct_number",
    "номер_участка": "precinct_number",
    "e-mail": "email",
    "эл_почта": "email",
}
MAX_LENGTH = {"last_name": 100, "first_name": 100, "middle_name": 100, "address": 300, "email": 254}
MAX_ROWS = 2_000_000
CHUNK_ROWS = 20_000
LOAD_CHUNK_LINES = 250_000
OLDEST_BIRTH = dt.date(1900, 1, 1)
VOTING_AGE = 18

ROW_TABLE = RegisterImportRow._meta.db_table
PROBLEM_TABLE = RegisterImportProblem._meta.db_table
ENTRY_TABLE = RegisterEntry._meta.db_table
UNIT_TABLE = "groups_territorialunit"
ROW_COLUMNS = (
    "batch",
    "line",
    "personal_number",
    "last_name",
    "first_name",
    "middle_name",
    "birth_date",
    "address",
    "email",
    "precinct_id",
    "precinct_number",
    "has_error",
    "is_unchanged",
)
PROBLEM_COLUMNS = ("batch", "line", "field_name", "code", "cell_value", "param", "param2")


def problem_message(code: str, param: str = "", param2: str = "") -> str:
    """The text of a problem, in the active language (the report is rendered from codes)."""
    messages = {
        "missing": _("This field is required."),
        "personal_number": _("A personal number has exactly 14 digits."),
        "date_format": _("Write the date as YYYY-MM-DD or DD.MM.YYYY."),
        "date_invalid": _("There is no such date."),
        "date_future": _("The date is in the future."),
        "date_too_old": _("The date of birth is before 1900."),
        "under_age": _("The voter is under 18 on voting day (%(day)s)."),
        "too_long": _("Too long: at most %(max)s characters."),
        "not_a_number": _("This is not a whole number."),
        "unknown_precinct": _("There is no precinct number %(number)s in this election."),
        "email": _("This is not a valid e-mail address."),
        "extra_cells": _("The row has more cells than the header."),
        "duplicate": _("The same personal number is also in line %(line)s (the same precinct)."),
        "duplicate_other_precinct": _(
            "The same personal number is also in line %(line)s, for precinct %(precinct)s."
        ),
        "registered_other_precinct": _(
            "This personal number is already on the list of precinct %(precinct)s."
        ),
        "registered_different": _(
            "This personal number is already on this precinct's list with other data; correct it "
            "through a Form 3 request or a recorded decision."
        ),
        "too_many_rows": _("Too many rows: at most %(max)s."),
    }
    text = messages.get(code, code)
    other = param2 if code == "duplicate_other_precinct" else param
    params = {"day": param, "max": param, "number": param, "line": param, "precinct": other}
    try:
        return text % params
    except (KeyError, TypeError, ValueError):
        return text


def file_problem_message(code: str, param: str = "", problem: dict | None = None) -> str:
    """The text of a problem of the whole file; ``problem`` is the stored entry (a "text" problem
    keeps the decoder's code and parameters, so the text is made in the reader's language)."""
    if code == "text":
        extra = {k: v for k, v in (problem or {}).items() if k not in ("code", "param", "line")}
        try:
            return TextFileError(param, (problem or {}).get("line"), **extra).message()
        except (KeyError, TypeError, ValueError):
            return _("The file could not be checked; nothing was imported.")
    messages = {
        "empty": _("The file is empty."),
        "no_rows": _("The file has no rows below the header."),
        "unknown_column": _("Unknown column “%(name)s”."),
        "missing_column": _("The column “%(name)s” is required."),
        "duplicate_column": _("The column “%(name)s” appears twice."),
        "unreadable": _("The file cannot be read as CSV or XLSX."),
        "malformed": _("Line %(name)s is not valid CSV (a quotation mark is not closed?)."),
    }
    return messages.get(code, code) % {"name": param}
