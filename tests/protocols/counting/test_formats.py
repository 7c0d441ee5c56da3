"""BLT files and list-vote CSV files: reading, writing, and errors that name the line."""

import io

import pytest

from protocols.counting import (
    BallotGroup,
    CountingInputError,
    Profile,
    VoteCounts,
    parse_blt,
    parse_list_votes,
    read_blt,
    read_list_votes,
    write_blt,
    write_list_votes,
)

BLT = '''4 2
-3
12 1 2 0
4 0

3 4 1 0
0
"Anna"
"Paul FINNEGAN ""Independent"""
Carl (Ind)
"Dora"
Ward 6 - Lerwick North'''


def test_parse_blt_with_quirks():
    p = parse_blt(BLT)
    assert p.seats == 2
    assert p.candidates == ("Anna", 'Paul FINNEGAN "Independent"', "Carl (Ind)", "Dora")
    assert p.withdrawn == frozenset({2})
    assert p.groups == (BallotGroup(12, (0, 1)), BallotGroup(4, ()), BallotGroup(3, (3, 0)))
    assert p.title == "Ward 6 - Lerwick North"
    assert p.total_ballots == 19


def test_names_on_one_line_and_bom_and_comments():
    p = parse_blt('\ufeff# a comment\n2 1\n1 1 0\n0\n"A" "B"\n"T"\n')
    assert p.candidates == ("A", "B")
    assert p.title == "T"


def test_blt_roundtrip(tmp_path):
    p = parse_blt(BLT)
    text = write_blt(p)
    assert '"Paul FINNEGAN ""Independent"""' in text
    assert parse_blt(text) == p
    path = tmp_path / "x.blt"
    path.write_text(text, encoding="utf-8")
    assert read_blt(path) == p
    assert read_blt(io.StringIO(text)) == p


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("", 1, "empty"),
        ("2\n", 1, "<candidates> <seats>"),
        ("2 x\n", 1, "<candidates> <seats>"),
        ('2 1\n-5\n0\n"A"\n"B"\n', 2, "withdrawn candidate 5"),
        ('2 1\n1 1 2\n0\n"A"\n"B"\n', 2, "must end with 0"),
        ('2 1\n1 1 0\n1 3 0\n0\n"A"\n"B"\n', 3, "candidate 3 does not exist"),
        ('2 1\n1 1 1 0\n0\n"A"\n"B"\n', 2, "ranked twice"),
        ('2 1\n1 1=2 0\n0\n"A"\n"B"\n', 2, "equal rankings"),
        ('2 1\n1.5 1 0\n0\n"A"\n"B"\n', 2, "whole number"),
        ('2 1\n0 1 0\n0\n"A"\n"B"\n', 2, "positive"),
        ("2 1\n1 1 0\n1 2 0\n", 3, "line '0'"),
        ('2 1\n1 1 0\n0\n"A"\n', 4, "expected 2 candidate names"),
        ('2 1\n1 1 0\n0\n"A"\n"A"\n', 5, "appears twice"),
        ('2 1\n1 1 0\n0\n"A"\n"B\n', 5, "not closed"),
        ('2 1\n1 1 0\n0\n"A"\n"B"\n"T"\n"extra"\n', 7, "after the title"),
    ],
)
def test_malformed_blt_names_the_line(text, line, words):
    with pytest.raises(CountingInputError) as info:
        parse_blt(text, source="f.blt")
    assert info.value.line == line
    assert f"line {line}:" in str(info.value)
    assert str(info.value).startswith("f.blt: ")
    assert words in str(info.value)


def test_read_blt_missing_file(tmp_path):
    with pytest.raises(CountingInputError) as info:
        read_blt(tmp_path / "nope.blt")
    assert "cannot read" in str(info.value)


CSV = """name,votes,kind
Greens,1200,
"Social Democrats, Left",3400,list
,55,against_all
,20,blank
,10,blank
,13,invalid
"""


def test_parse_list_votes():
    votes = parse_list_votes(CSV)
    assert votes.options == ("Greens", "Social Democrats, Left")
    assert votes.votes == (1200, 3400)
    assert (votes.against_all, votes.blank, votes.invalid) == (55, 30, 13)
    assert votes.valid == 1200 + 3400 + 55 + 30
    assert votes.participants == votes.valid + 13


def test_list_votes_without_kind_column_and_roundtrip(tmp_path):
    votes = parse_list_votes("Name , Votes\nA,1\nB,2\n")
    assert votes == VoteCounts(("A", "B"), (1, 2))
    full = parse_list_votes(CSV)
    assert parse_list_votes(write_list_votes(full)) == full
    path = tmp_path / "v.csv"
    path.write_text(CSV, encoding="utf-8-sig")
    assert read_list_votes(path) == full


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("", 1, "empty"),
        ("party,count\nA,1\n", 1, "missing: name, votes"),
        ("name,votes\nA,x\n", 2, "whole non-negative number"),
        ("name,votes\nA,-3\n", 2, "whole non-negative number"),
        ("name,votes,kind\nA,1,list\nB,2,spoilt\n", 3, "unknown kind"),
        ("name,votes\nA,1\n\nA,2\n", 4, "appears twice (first on line 2)"),
        ("name,votes,kind\n,5,list\n", 2, "needs a name"),
        ("name,votes,kind\n,5,blank\n", 2, "no list votes"),
        ('name,votes\n"A,1\n', 2, "malformed CSV"),
    ],
)
def test_malformed_list_votes_name_the_line(text, line, words):
    with pytest.raises(CountingInputError) as info:
        parse_list_votes(text, source="v.csv")
    assert info.value.line == line, str(info.value)
    assert f"line {line}:" in str(info.value)
    assert words in str(info.value)


def test_profile_validation():
    with pytest.raises(CountingInputError):
        Profile(("A", "A"), 1, ())
    with pytest.raises(CountingInputError):
        Profile(("A",), 0, ())
    with pytest.raises(CountingInputError):
        Profile(("A",), 1, (BallotGroup(1, (1,)),))
    with pytest.raises(CountingInputError):
        VoteCounts(("A",), (-1,))
