"""Fuzz (hypothesis): a preliminary-figures CSV of any bytes is stored whole or refused with
PreliminaryImportError rows naming a line — never another exception."""

from hypothesis import given
from hypothesis import strategies as st

from protocols.services.preliminary import PreliminaryImportError, preliminary_import
from tests.fuzz import FUZZ, any_file


@FUZZ
@given(data=st.data())
def test_any_preliminary_file_is_stored_or_refused_row_by_row(kg_counting, data):
    a, b, against = (o.code for o in kg_counting["options"])
    lines = [
        f"precinct;source;ballots_valid;{a};{b};{against}",
        f"precinct,ballots_valid,{a}",
        "1001;automated;830;300;130;400",
        "1002;;350;200;100;50",
        "1002,99999999999999999999999,1",
        "9999;manual;1;1;1;1",
    ]
    content = data.draw(any_file(lines))
    try:
        result = preliminary_import(
            election=kg_counting["election"], file=content, actor=kg_counting["cec_member"]
        )
    except PreliminaryImportError as exc:
        assert exc.rows and all(r.line >= 1 and str(r.message) for r in exc.rows)
        return
    assert result.created >= 1
