"""Fuzz (hypothesis): the counting engine's readers (BLT, list-votes CSV) never raise anything but
CountingInputError, and ``tally`` never prints a traceback — one line and exit 2 for any bad
file, whatever its bytes."""

import io

from hypothesis import given
from hypothesis import strategies as st

from protocols.counting import cli
from protocols.counting.blt import read_blt
from protocols.counting.errors import CountingInputError
from protocols.counting.listvotes import read_list_votes
from tests.fuzz import FUZZ, any_file

BLT_LINES = [
    "3 1",
    "4 2",
    "-2",
    "4 1 2 0",
    "3 2 3 0",
    "1 3 0",
    "2 0",
    "0",
    '"Анна"',
    '"Bert"',
    "Cleo",
    '"Club"',
    "# c",
]
CSV_LINES = [
    "name,votes,kind",
    "Greens,1200,",
    "Reds,3400,list",
    ",55,against_all",
    ",20,blank",
    "X,-1,",
    "Y,1e9,",
]


def _write(tmp_path_factory, content: bytes, name: str) -> str:
    path = tmp_path_factory.mktemp("fuzz") / name
    path.write_bytes(content)
    return str(path)


@FUZZ
@given(content=any_file(BLT_LINES))
def test_blt_is_read_or_refused_naming_the_problem(tmp_path_factory, content):
    try:
        profile = read_blt(_write(tmp_path_factory, content, "in.blt"))
    except CountingInputError as exc:
        assert str(exc)
        return
    assert profile.seats >= 1 and len(profile.candidates) >= 1


@FUZZ
@given(content=any_file(CSV_LINES))
def test_list_votes_are_read_or_refused_naming_the_problem(tmp_path_factory, content):
    try:
        counts = read_list_votes(_write(tmp_path_factory, content, "votes.csv"))
    except CountingInputError as exc:
        assert str(exc)
        return
    assert all(v >= 0 for v in counts.votes)


@FUZZ
@given(
    content=any_file(BLT_LINES),
    method=st.sampled_from(["plurality", "approval", "irv", "stv-scottish", "stv-meek"]),
    extra=st.lists(
        st.sampled_from(["--seats", "2", "-1", "99999", "--seed", "x", "--bogus", "--tie-rule", "lot"]),
        max_size=3,
    ),
)
def test_tally_never_prints_a_traceback(tmp_path_factory, content, method, extra):
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(
        ["--method", method, "--blt", _write(tmp_path_factory, content, "in.blt"), *extra], out, err
    )
    assert "Traceback" not in err.getvalue()
    if code == cli.EXIT_USAGE:
        assert err.getvalue().count("\n") == 1 and err.getvalue().startswith("tally: error: ")
    else:
        assert code in (cli.EXIT_OK, cli.EXIT_TIE), err.getvalue()
