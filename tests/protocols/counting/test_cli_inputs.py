"""``tally`` never prints a traceback (issue 16): every bad input or option is one line on stderr
and a documented exit code (README: 1 unexpected failure, 2 bad arguments or input, 3 tie)."""

import io

import pytest

from protocols.counting import cli
from protocols.counting.blt import parse_blt
from protocols.counting.errors import CountingInputError

BLT = '3 1\n4 1 2 0\n3 2 0\n2 3 1 0\n0\n"Анна"\n"Bert"\n"Cleo"\n"Club"\n'


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def _file(tmp_path, content: bytes, name="in.blt"):
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def _one_line_error(err: str) -> str:
    assert "Traceback" not in err
    assert err.count("\n") == 1 and err.startswith("tally: error: ")
    return err


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            BLT.replace("4 1 2 0", "1" + "0" * 5000 + " 1 2 0").encode(),
            "line 2: the ballot weight is too large: 5001 digits",
        ),
        (
            BLT.replace("3 1\n", "3" + "0" * 5000 + " 1\n").encode(),
            "line 1: the number of candidates is too large",
        ),
        (BLT.replace("3 2 0", "3 ² 0").encode(), "line 3: expected a candidate number, found '²'"),
        (
            BLT.replace("3 2 0", "3 99999999999999999999999 0").encode(),
            "line 3: a candidate number is too large",
        ),
        (BLT.encode("cp1251"), "looks like Windows-1251 text; save it as UTF-8"),
        (BLT.replace("Bert", "B\x00ert").encode(), "line 7 contains a NUL byte"),
        (b"3 1\n" + b"1 " * 20_000 + b"0\n", "line 2 is too long"),
        (b"", "the file is empty"),
        (b"\xff\xfe\x00", "cannot be read as UTF-16 text"),
    ],
    ids=[
        "5000-digit-weight",
        "5000-digit-header",
        "superscript",
        "huge-candidate",
        "cp1251",
        "nul",
        "long-line",
        "empty",
        "odd-utf16",
    ],
)
def test_a_bad_ballot_file_is_one_line_and_exit_2(tmp_path, content, expected):
    code, out, err = run("--method", "stv-scottish", "--blt", _file(tmp_path, content))
    assert code == cli.EXIT_USAGE and out == ""
    assert expected in _one_line_error(err)


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t.encode("utf-16"),
        lambda t: t.replace("\n", "\r").encode(),
        lambda t: t.replace("\n", "\r\n").encode("utf-8-sig"),
    ],
    ids=["utf-16", "cr", "crlf-bom"],
)
def test_any_encoding_with_a_mark_and_any_newline_style_counts(tmp_path, encode):
    code, out, err = run("--method", "irv", "--blt", _file(tmp_path, encode(BLT)), "--format", "text")
    assert (code, err) == (0, "") and "Elected: Анна" in out


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--method", "nope", "--blt", "x"], "invalid choice: 'nope'"),
        (["--bogus", "--method", "irv", "--blt", "x"], "unrecognized arguments: --bogus"),
        (["--method", "dhondt", "--seats", "10" * 30, "--votes", "x"], "--seats must be at most 10000"),
        (
            ["--method", "plurality", "--seats", "1", "--alternates", "99999999", "--blt", "x"],
            "--alternates must be at most",
        ),
        (["--method", "irv", "--blt", "/nonexistent/ballots.blt"], "cannot read the ballot file"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(argv, expected):
    code, out, err = run(*argv)
    assert code == cli.EXIT_USAGE and expected in _one_line_error(err)


def test_huge_votes_and_thresholds_are_refused(tmp_path):
    votes = _file(tmp_path, b"name,votes\nA," + b"9" * 5000 + b"\nB,5\n", "votes.csv")
    code, _out, err = run("--method", "dhondt", "--seats", "3", "--votes", votes)
    assert code == 2 and "line 2: votes are too large: 5000 digits" in _one_line_error(err)
    votes = _file(tmp_path, b"name,votes\nA,12\nB,5\n", "ok.csv")
    code, _out, err = run("--method", "hare", "--seats", "3", "--threshold", "1e999999999", "--votes", votes)
    assert code == 2 and "the threshold must be a number of percent" in _one_line_error(err)


def test_the_parser_names_the_line_for_each_newline_style():
    for newline in ("\n", "\r", "\r\n"):
        with pytest.raises(CountingInputError) as refused:
            parse_blt(newline.join(["2 1", "1 1 0", "x 1 0", "0", '"A"', '"B"']))
        assert refused.value.line == 3
