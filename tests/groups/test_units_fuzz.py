"""Fuzz (hypothesis): the district/precinct CSV parser never raises anything but its own
UnitImportError (with rows naming a line), whatever the bytes."""

from hypothesis import given

from groups.services.units import UnitImportError, parse_units_csv
from tests.fuzz import FUZZ, any_file

LINES = [
    "kind,number,name_ru,name_en,parent_number,address,voters_on_list",
    "kind;number;name_ru;parent_number;voters_on_list",
    "district,1,Первомайский округ,,,,",
    'precinct,1001,Участок № 1001,,1,"г. Бишкек, ул. Киевская, 96",2140',
    "участок;1002;Школа;1;700",
    "precinct,1003,У,,99999999999999999999999,,-5",
]


@FUZZ
@given(content=any_file(LINES))
def test_units_csv_is_parsed_or_refused_row_by_row(content):
    try:
        rows = parse_units_csv(content)
    except UnitImportError as exc:
        assert exc.rows and all(r.line >= 1 and str(r.message) for r in exc.rows)
        return
    assert rows and all(r.number >= 1 for r in rows)
