"""The command-line core ``cli.main(argv, stdout, stderr) -> int``."""

import io
import json

import pytest

from protocols.counting import ENGINE_VERSION, cli

from .helpers import needs_reference_files, ref

BLT = """4 2
4 1 2 0
3 2 0
2 3 4 0
1 4 0
0
"Anna"
"Bert"
"Cleo"
"Dan"
"Club board"
"""

CSV = """name,votes,kind
Red,4000,
Blue,3000,list
Green,520,list
Tiny,80,list
,300,against_all
,100,blank
,500,invalid
"""


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def blt(tmp_path):
    path = tmp_path / "board.blt"
    path.write_text(BLT, encoding="utf-8")
    return str(path)


@pytest.fixture
def votes(tmp_path):
    path = tmp_path / "votes.csv"
    path.write_text(CSV, encoding="utf-8")
    return str(path)


def test_json_output_keys(blt):
    code, out, err = run("--method", "stv-scottish", "--blt", blt, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    for key in ("elected", "seats", "stages", "ties", "method", "quota", "engine_version", "status"):
        assert key in data
    # 10 papers, 2 seats: quota 10 // 3 + 1 = 4; Anna 4 and Bert 3 + ... -> Anna, Bert
    assert data["engine_version"] == ENGINE_VERSION
    assert data["method"] == "stv-scottish"
    assert data["quota"] == "4.00000"
    assert data["elected"][0] == "Anna"
    assert data["seats"] == dict.fromkeys(data["elected"], 1)
    assert data["stages"][0]["tallies"]["Anna"] == "4.00000"


def test_json_is_the_default_and_seats_override(blt):
    code, out, _ = run("--method", "stv-meek", "--blt", blt, "--seats", "1")
    assert code == 0
    assert json.loads(out)["seat_count"] == 1


def test_text_output(blt):
    code, out, _ = run("--method", "irv", "--blt", blt, "--seats", "1", "--format", "text")
    assert code == 0
    assert out.startswith("Count: Instant-runoff voting")
    assert "Election: Club board" in out
    assert "Stage 1:" in out
    assert "Elected: " in out


def test_plurality_and_approval_from_a_blt(blt):
    # first preferences: Anna 4, Bert 3, Cleo 2, Dan 1 -> Anna, alternate Bert
    code, out, _ = run("--method", "plurality", "--blt", blt, "--seats", "1")
    data = json.loads(out)
    assert (data["elected"], data["alternates"]) == (["Anna"], ["Bert"])
    # marks: Anna 4, Bert 4 + 3 = 7, Cleo 2, Dan 2 + 1 = 3 -> Bert
    code, out, _ = run("--method", "approval", "--blt", blt, "--seats", "1")
    assert json.loads(out)["elected"] == ["Bert"]
    assert json.loads(out)["stages"][0]["tallies"] == {"Anna": "4", "Bert": "7", "Cleo": "2", "Dan": "3"}


def test_list_methods_with_threshold_options(votes):
    # list votes 7600, valid 8000, participants 8500
    # 7% of list votes = 532 -> Green (520) out; 6% of participants = 510 -> Green in
    code, out, err = run(
        "--method",
        "dhondt",
        "--votes",
        votes,
        "--seats",
        "10",
        "--threshold",
        "7",
        "--threshold-base",
        "list",
    )
    assert code == 0, err
    data = json.loads(out)
    assert "Green" not in data["seats"]
    assert data["stages"][0]["details"]["base_total"] == "7600"
    code, out, _ = run(
        "--method",
        "dhondt",
        "--votes",
        votes,
        "--seats",
        "10",
        "--threshold",
        "6",
        "--threshold-base",
        "participants",
    )
    data = json.loads(out)
    assert data["stages"][0]["details"]["base_total"] == "8500"
    # Green qualifies (520 >= 510) but gets no seat: D'Hondt averages Red 4000, 2000, 1333.3, 1000,
    # 800, 666.7 | Blue 3000, 1500, 1000, 750 are the 10 largest, all above Green's 520
    assert "Green" in data["stages"][0]["details"]["qualified"]
    assert data["seats"] == {"Red": 6, "Blue": 4}
    code, out, _ = run("--method", "hare", "--votes", votes, "--seats", "10", "--format", "text")
    assert code == 0 and "Hare quota" in out
    code, out, _ = run("--method", "sainte-lague", "--votes", votes, "--seats", "10")
    assert code == 0 and sum(json.loads(out)["seats"].values()) == 10


def test_malformed_blt_exit_2_and_names_the_line(tmp_path):
    path = tmp_path / "bad.blt"
    path.write_text('2 1\n3 1 2 0\n1 2 5 0\n0\n"A"\n"B"\n', encoding="utf-8")
    code, out, err = run("--method", "stv-scottish", "--blt", str(path))
    assert code == 2
    assert out == ""
    assert "line 3" in err and "candidate 5 does not exist" in err


def test_equal_rankings_are_rejected_clearly(tmp_path):
    path = tmp_path / "eq.blt"
    path.write_text('2 1\n3 1=2 0\n0\n"A"\n"B"\n', encoding="utf-8")
    code, _, err = run("--method", "irv", "--blt", str(path))
    assert code == 2
    assert "line 2" in err and "equal rankings" in err


def test_malformed_csv_exit_2_and_names_the_line(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("name,votes,kind\nRed,12,\nBlue,lots,\n", encoding="utf-8")
    code, _, err = run("--method", "dhondt", "--votes", str(path), "--seats", "3")
    assert code == 2
    assert "line 3" in err and "whole non-negative number" in err


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--method", "borda", "--blt", "x.blt"],
        ["--method", "dhondt"],
        ["--method", "dhondt", "--votes", "x.csv", "--blt", "x.blt", "--seats", "2"],
        ["--method", "stv-scottish", "--blt", "x.blt", "--seats", "many"],
    ],
)
def test_bad_arguments_exit_2(argv):
    code, out, err = run(*argv)
    assert code == 2
    assert "error" in err
    assert out == ""


def test_inconsistent_arguments_exit_2(blt, votes):
    assert run("--method", "stv-scottish", "--blt", blt, "--threshold", "5")[0] == 2
    assert run("--method", "dhondt", "--blt", blt, "--seats", "2")[0] == 2
    assert run("--method", "irv", "--votes", votes, "--seats", "1")[0] == 2
    assert run("--method", "dhondt", "--votes", votes)[0] == 2  # --seats needed
    assert run("--method", "dhondt", "--votes", votes, "--seats", "0")[0] == 2
    assert run("--method", "dhondt", "--votes", votes, "--seats", "3", "--threshold", "abc")[0] == 2
    assert run("--method", "irv", "--blt", blt)[0] == 2  # the file asks for 2 seats
    code, _, err = run("--method", "stv-meek", "--blt", str(blt) + ".missing")
    assert code == 2 and "cannot read" in err


def test_help_exits_0_without_sys_exit():
    code, out, _ = run("--help")
    assert code == 0
    assert "--threshold-base" in out and "--tie-rule" in out


def test_tie_options(tmp_path):
    # A 3, B 2, C 2 for one seat plus an alternate: B and C tie for the alternate place
    path = tmp_path / "t.csv"
    path.write_text("name,votes\nA,3\nB,2\nC,2\n", encoding="utf-8")
    code, out, _ = run(
        "--method", "plurality", "--votes", str(path), "--seats", "1", "--tie-rule", "commission"
    )
    assert code == 3
    data = json.loads(out)
    assert data["status"] == "tie_unresolved"
    assert data["unresolved_tie"]["candidates"] == ["B", "C"]
    code, out, _ = run(
        "--method",
        "plurality",
        "--votes",
        str(path),
        "--seats",
        "1",
        "--tie-rule",
        "commission",
        "--tie-order",
        "C",
        "--tie-order",
        "B",
    )
    assert code == 0 and json.loads(out)["alternates"] == ["C"]
    first = run(
        "--method", "plurality", "--votes", str(path), "--seats", "1", "--tie-rule", "lot", "--seed", "9"
    )
    again = run(
        "--method", "plurality", "--votes", str(path), "--seats", "1", "--tie-rule", "lot", "--seed", "9"
    )
    assert first == again
    assert json.loads(first[1])["ties"][0]["seed"] == 9


@needs_reference_files
def test_cli_on_the_burlington_file():
    code, out, _ = run(
        "--method", "irv", "--blt", str(ref("irv", "burlington_2009_mayor.blt")), "--batch-elimination"
    )
    data = json.loads(out)
    assert code == 0
    assert data["elected"] == ["Bob Kiss"]
    assert len(data["stages"]) == 3
