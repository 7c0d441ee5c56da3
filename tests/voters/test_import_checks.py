"""The per-row check of a register extract (``voters.importer.check_rows``), property-tested: a row's
birth date and precinct come out the same whatever other rows the file holds. The check remembers
the outcome of each birth-date and precinct text it has seen (a million voters have some tens of
thousands of birth dates); what it remembers must never leak into another text's outcome."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from voters.importer import Source, check_rows, limits_for

POSITIONS = {
    "personal_number": 0,
    "last_name": 1,
    "first_name": 2,
    "birth_date": 3,
    "address": 4,
    "precinct_number": 5,
}
PRECINCTS = {1001: 11, 1002: 12, 7: 13}
LIMITS = limits_for(dt.date(2026, 12, 11), dt.date(2026, 12, 5))
# texts that meet every branch: valid, under age, future, before 1900, no such day, bad format,
# surrounding spaces, other digits, dates from a workbook; precincts known, unknown, spaced, not numbers
BIRTHS = st.one_of(
    st.sampled_from(
        [
            "1980-03-12",
            " 12.03.1980 ",
            "2010-01-01",
            "2030-01-01",
            "1899-12-31",
            "1980-02-30",
            "1980/03/12",
            "",
            "٢٠٠٠-٠١-٠١",
            "2008-12-11",
            "2008-12-12",
        ]
    ),
    st.dates(min_value=dt.date(1890, 1, 1), max_value=dt.date(2030, 1, 1)),
    st.text(alphabet="0123456789-. ", max_size=12),
)
PRECINCT_CELLS = st.one_of(
    st.sampled_from(["1001", " 1 002 ", "7", "0007", "9999", "", "abc", "1e3", "１００１"]),
    st.text(alphabet="0127 ", max_size=6),
)


def _check(cells_list):
    rows = [
        (n + 2, ["12345678901234", "Асанов", "Бакыт", b, "адрес", p]) for n, (b, p) in enumerate(cells_list)
    ]
    source = Source(header=[], rows=iter(rows), fraction=lambda: 0.0, encoding="utf-8", close=lambda: None)
    checked, problems = [], []
    for chunk_rows, chunk_problems, _count in check_rows(source, POSITIONS, 1, PRECINCTS, LIMITS):
        checked += chunk_rows
        problems += chunk_problems
    by_line = {}
    for problem in problems:
        by_line.setdefault(problem[1], []).append(problem[2:])
    # per line: the birth date, the precinct's id and number, and the problems of those two cells
    return [
        (row[6], row[9], row[10], sorted(p for p in by_line.get(row[1], []) if p[0] != "personal_number"))
        for row in checked
    ]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(BIRTHS, PRECINCT_CELLS), min_size=1, max_size=30))
def test_a_rows_birth_date_and_precinct_do_not_depend_on_the_other_rows(cells_list):
    together = _check(cells_list)
    alone = [_check([cells])[0] for cells in cells_list]
    assert together == alone


def test_the_outcomes_are_those_the_report_promises():
    out = _check(
        [("1980-03-12", "1 002"), ("2008-12-12", "9999"), ("1980-02-30", "abc"), (" 12.03.1980 ", "7")]
    )
    assert out[0] == (dt.date(1980, 3, 12), 12, 1002, [])
    assert out[1][3] == [
        ("birth_date", "under_age", "2008-12-12", "2026-12-11", ""),
        ("precinct_number", "unknown_precinct", "9999", "9999", ""),
    ]
    assert out[2][3] == [
        ("birth_date", "date_invalid", "1980-02-30", "", ""),
        ("precinct_number", "not_a_number", "abc", "", ""),
    ]
    assert out[3][:3] == (dt.date(1980, 3, 12), 13, 7)
