"""Template ccm-ngo-2024 against seed 000 (CCM NGO-sector elections, voting day 17 Aug 2024)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from elections.calendar import check_plan, compute_plan

from .conftest import CCM_ANCHORS, norm
from .seedtext import printed_instants, yaml_instants

# The dates printed in seed 000 (local Asia/Almaty): due unless noted.
SEED_000 = {
    1: "08-12", 2: "08-13", 4: "08-12", 5: "08-12", 6: "08-12", 7: "08-12", 8: "08-12", 9: "08-12",
    10: "08-11", 12: "08-12", 13: "08-19", 14: "08-19", 15: "08-15", 16: "08-15", 17: "08-20",
    18: "08-25", 19: "08-15", 20: "08-17", 21: "08-17", 22: "08-17", 23: "09-05", 24: "09-01", 25: "09-01",
}  # fmt: skip
STARTS = {3: "08-05"}  # "с 5 августа"
EXACT = {11: "08-11"}  # "11 августа"

CONTRADICTIONS = {
    # the announcement package is due before the meeting that agrees the deadlines it publishes
    ("dependency_order", (1, 10)),
    ("dependency_order", (14, 16)),  # registration is closed (15 Aug) before it is opened (19 Aug)
    ("dependency_order", (18, 20)),  # the vote (17 Aug) before the candidate list is published (25 Aug)
    ("after_voting", (13,)),  # registration preparation after the vote
    ("after_voting", (14,)),  # registration still open after the vote
    ("after_voting", (17,)),  # candidate list submitted after the vote
    ("after_voting", (18,)),  # candidate list published after the vote
}


def test_counts_and_stages(ccm, ccm_plan):
    assert len(ccm_plan) == 25
    assert [a.number for a in ccm_plan] == list(range(1, 26))
    assert [s.number for s in ccm.sections] == [1, 2, 3, 4, 5, 6]
    assert [len(s.activities) for s in ccm.sections] == [9, 3, 4, 2, 5, 2]
    # the seed's stages overlap on its own dates: stage order is not a rule of this plan
    assert not ccm.stages_ordered and ccm.time_zone == "Asia/Almaty"
    assert ccm.required_anchors == ("voting_day",)


def test_every_seed_row_verbatim(ccm, seed_000_text):
    for s in ccm.sections:
        assert f"Этап {s.number}. {s.title_ru}" in seed_000_text
    for a in ccm.activities:
        assert a.title_ru in seed_000_text, a.number
        assert a.seed_deadline_text in seed_000_text, a.number
        assert a.responsible.ru in seed_000_text, a.number
        if a.participants:
            assert a.participants.ru in seed_000_text, a.number
        if a.details_ru:
            assert a.details_ru in seed_000_text, a.number
    assert ccm.activity(10).participants is None  # "____" in the seed


@pytest.mark.parametrize("number", range(1, 26))
def test_expected_dates_match_the_printed_text(ccm, number):
    spec = ccm.activity(number)
    assert printed_instants(spec.seed_deadline_text, 2024) == yaml_instants(spec)
    assert norm(spec.seed_deadline_text).startswith(("до", "с", "11"))


@pytest.mark.parametrize("number", range(1, 26))
def test_computed_dates_reproduce_the_seed(ccm, ccm_plan, number):
    a, spec = ccm_plan.get(number), ccm.activity(number)
    if number in SEED_000:
        assert a.kind == "deadline"
        assert a.due_at.isoformat() == f"2024-{SEED_000[number]}T00:00:00+05:00"
        assert a.due_at.replace(tzinfo=None) == spec.expected_due
    elif number in STARTS:
        assert a.kind == "not_earlier_than" and a.due_at is None
        assert a.starts_at.isoformat() == f"2024-{STARTS[number]}T00:00:00+05:00"
    else:
        assert a.kind == "exact_day"
        assert a.starts_at.isoformat() == f"2024-{EXACT[number]}T00:00:00+05:00"
        assert a.due_at - a.starts_at == timedelta(days=1)


def test_all_rules_are_relative_to_voting_day(ccm):
    for a in ccm.activities:
        for _, p in a.rule.points():
            assert p.anchor in ("voting_day", "voting_closes_at") and p.activity is None


def test_another_voting_day_moves_everything(ccm, ccm_plan):
    moved = compute_plan(ccm, {"voting_day": date(2025, 8, 16)})
    for a, b in zip(ccm_plan, moved, strict=True):
        for x, y in ((a.starts_at, b.starts_at), (a.due_at, b.due_at)):
            if x is not None:
                assert y.replace(tzinfo=None) - x.replace(tzinfo=None) == timedelta(days=364)


def test_check_reports_the_seed_contradictions(ccm_plan):
    found = check_plan(ccm_plan)
    assert {(c.code, c.activities) for c in found} == CONTRADICTIONS
    for c in found:
        assert c.message_ru and c.message_en
        assert str(c.activities[0]) in c.message_en
    # the archive (item 23, 5 Sep) is exempt from the stage-order check
    assert not any(23 in c.activities for c in found)
    assert not any(c.code == "outside_period" for c in found)


def test_registration_open_and_list_published_after_the_vote(ccm_plan):
    after = {c.activities[0]: c for c in check_plan(ccm_plan) if c.code == "after_voting"}
    assert "is due 19 August 2024" in after[14].message_en
    assert "срок — 19 августа 2024" in after[14].message_ru
    assert "is due 25 August 2024" in after[18].message_en
    assert after[14].message_en.startswith("Item 14 (Opening of registration")


def test_contradictions_read_as_sentences_with_item_numbers(ccm_plan):
    """Explained in words with the seed's item numbers and titles; no code, no ISO date."""
    import re

    found = check_plan(ccm_plan)
    dep = next(c for c in found if c.activities == (14, 16))
    assert dep.message_en.startswith("Item 16 (")
    assert "is due 15 August 2024, before item 14 it depends on (due 19 August 2024)" in dep.message_en
    assert dep.message_ru.startswith("Пункт 16 («")
    assert "раньше пункта 14, от которого он зависит (срок — 19 августа 2024)" in dep.message_ru
    for c in found:
        for text in (c.message_en, c.message_ru):
            assert not re.search(r"[a-z]+_[a-z_]+|\d{4}-\d\d-\d\d", text), text


def test_a_consistent_reschedule_has_no_contradictions(ccm):
    """The check is not trigger-happy: the same rows with stage-ordered dates report nothing."""
    import dataclasses

    from elections.calendar import Point

    by_stage = {1: -10, 2: -8, 3: -6, 4: -4, 5: 0, 6: 15}
    acts = []
    for a in ccm.activities:
        days = 19 if a.number == 23 else by_stage[a.section]
        p = Point(anchor="voting_day", days=days)
        field = {"deadline": "due", "not_earlier_than": "start", "exact_day": "day"}[a.rule.kind]
        acts.append(dataclasses.replace(a, rule=dataclasses.replace(a.rule, **{field: p})))
    plan = compute_plan(dataclasses.replace(ccm, activities=tuple(acts)), CCM_ANCHORS)
    assert check_plan(plan) == []


def test_voting_closes_at_milestone(ccm, ccm_plan):
    assert ccm_plan.get(20).milestones[0].at is None  # optional anchor not given
    plan = compute_plan(ccm, {**CCM_ANCHORS, "voting_closes_at": "2024-08-17T18:00"})
    assert plan.get(20).milestones[0].at.isoformat() == "2024-08-17T18:00:00+05:00"
    aware = compute_plan(ccm, {**CCM_ANCHORS, "voting_closes_at": datetime(2024, 8, 17, 13, 0, tzinfo=UTC)})
    assert aware.get(20).milestones[0].at.isoformat() == "2024-08-17T18:00:00+05:00"
