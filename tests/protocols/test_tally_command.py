"""`manage.py tally`, as scripts call it: official winners of real elections, exit codes."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT.parent / "shared" / "counting-reference"


def _tally(*args):
    env = dict(os.environ, DEBUG="true", ENV_FILE="")
    return subprocess.run(
        [sys.executable, "manage.py", "tally", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="shared/counting-reference is not beside the repository")
def test_tally_elects_the_official_winners():
    calton = _tally(
        "--method",
        "stv-scottish",
        "--blt",
        str(REFERENCE / "stv/glasgow-2007/Calton-2007.blt"),
        "--format",
        "json",
    )
    assert calton.returncode == 0, calton.stderr
    # Glasgow City Council, Calton ward, 3 May 2007 (3 seats): Redmond, Thewliss, Simpson
    assert set(json.loads(calton.stdout)["elected"]) == {
        "George Redmond",
        "Alison E Thewliss",
        "Ruth Simpson",
    }
    burlington = _tally(
        "--method", "irv", "--blt", str(REFERENCE / "irv/burlington_2009_mayor.blt"), "--format", "json"
    )
    assert burlington.returncode == 0 and json.loads(burlington.stdout)["elected"] == ["Bob Kiss"]


def test_list_seats_with_a_threshold_and_a_malformed_file(tmp_path):
    votes = tmp_path / "votes.csv"
    votes.write_text(
        "name,votes,kind\nА,5200,list\nБ,3100,list\nВ,1200,list\nГ,280,list\nпротив всех,220,against_all\n",
        encoding="utf-8",
    )
    result = _tally(
        "--method",
        "dhondt",
        "--seats",
        "10",
        "--votes",
        str(votes),
        "--threshold",
        "5",
        "--threshold-base",
        "participants",
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    seats = json.loads(result.stdout)["seats"]
    assert sum(seats.values()) == 10 and "Г" not in seats and "против всех" not in seats
    bad = tmp_path / "bad.csv"
    bad.write_text("name,votes,kind\nА,много,list\n", encoding="utf-8")
    broken = _tally("--method", "hare", "--seats", "3", "--votes", str(bad))
    assert broken.returncode == 2 and "line 2" in broken.stderr
