from datetime import date
from pathlib import Path

import pytest

from elections.calendar import compute_plan, load_template

SEEDS = Path("/work/shared/seeds")
SEED_000 = SEEDS / "000_ba40f3b43f6484ea.txt"
SEED_003 = SEEDS / "003_69d3597c16b5f4a5.txt"

KG_ANCHORS = {"voting_day": date(2016, 12, 11), "decision_published": date(2016, 10, 28)}
CCM_ANCHORS = {"voting_day": date(2024, 8, 17)}


def norm(s: str) -> str:
    return " ".join(s.split())


@pytest.fixture(scope="session")
def kg():
    return load_template("kg-local-2016")


@pytest.fixture(scope="session")
def ccm():
    return load_template("ccm-ngo-2024")


@pytest.fixture(scope="session")
def kg_plan(kg):
    return compute_plan(kg, KG_ANCHORS)


@pytest.fixture(scope="session")
def ccm_plan(ccm):
    return compute_plan(ccm, CCM_ANCHORS)


@pytest.fixture(scope="session")
def seed_003_text():
    if not SEED_003.exists():
        pytest.skip("seed 003 not available")
    return norm(SEED_003.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seed_000_text():
    if not SEED_000.exists():
        pytest.skip("seed 000 not available")
    return norm(SEED_000.read_text(encoding="utf-8"))
