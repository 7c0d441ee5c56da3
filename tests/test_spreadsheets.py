"""Exports carry no live formula (issue 16, deliverable 5): a text a user typed that starts with
=, +, -, @, a tab or a carriage return gets an apostrophe in every CSV and XLSX of the portal;
numbers and plain numeric texts stay as they are."""

import csv
import datetime as dt
import io

import pytest

from elections.spreadsheets import csv_dict_writer, csv_writer, neutralise

ATTACKS = [
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(A1:A2)",
    "\t=1",
    "\r=1",
]


@pytest.mark.parametrize("text", ATTACKS)
def test_a_text_that_would_start_a_formula_is_shown_as_text(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", [5, -5, 1.5, "-5", "+3", "12,5", "", None, "Иванов", "a=b"])
def test_numbers_and_ordinary_texts_are_left_alone(value):
    assert neutralise(value) == value


def test_the_writers_neutralise_every_cell():
    buffer = io.StringIO()
    csv_writer(buffer).writerow(["=1+1", 3, "ok"])
    writer = csv_dict_writer(buffer, ["a", "b"])
    writer.writeheader()
    writer.writerow({"a": "@x", "b": -1})
    rows = list(csv.reader(io.StringIO(buffer.getvalue())))
    assert rows == [["'=1+1", "3", "ok"], ["a", "b"], ["'@x", "-1"]]


@pytest.mark.django_db
def test_the_registered_voters_exports_carry_no_formula(structure):
    from openpyxl import load_workbook

    from voters.exports import registered_csv, registered_xlsx
    from voters.models import VoterRegistration

    now = dt.datetime(2030, 8, 1, tzinfo=dt.UTC)
    VoterRegistration.objects.create(
        election=structure["election"],
        group=structure["group_a"],
        kind="organisation",
        name="=cmd|' /C calc'!A0",
        organisation="@SUM(1+1)",
        email="evil@example.org",
        region=VoterRegistration._meta.get_field("region").choices[0][0],
        consent_given_at=now,
        submitted_at=now,
        confirmed_at=now,
        status="accepted",
    )
    text = registered_csv(structure["election"], structure["group_a"]).decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "'=cmd|' /C calc'!A0" in cells
    assert not any(cell.startswith(("=", "@")) for cell in cells)
    book = load_workbook(io.BytesIO(registered_xlsx(structure["election"], structure["group_a"])))
    values = [c.value for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert "'=cmd|' /C calc'!A0" in values
    assert not any(isinstance(v, str) and v.startswith(("=", "@")) for v in values)
