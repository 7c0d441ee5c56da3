"""Template kg-local-2016 against seed 003 (calendar plan, voting day 11 Dec 2016)."""

import json
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from elections.calendar import check_plan, compute_plan

from .conftest import KG_ANCHORS, norm
from .seedtext import printed_instants, yaml_instants

# Due instants (local, Asia/Bishkek) read off seed 003 by hand; exact days give (start, due).
SEED_003_DUE = {
    1: "2016-11-03T00:00", 2: "2016-11-03T00:00", 3: "2016-11-07T00:00", 4: "2016-11-07T00:00",
    5: "2016-11-07T00:00", 6: "2016-11-11T00:00", 8: "2016-11-03T00:00", 9: "2016-11-03T00:00",
    10: "2016-11-03T00:00", 11: "2016-11-07T00:00", 12: "2016-11-30T00:00", 13: "2016-12-03T00:00",
    14: "2016-12-09T00:00", 16: "2016-11-11T00:00", 17: "2016-11-19T00:00", 18: "2016-11-11T00:00",
    19: "2016-11-19T00:00", 21: "2016-11-19T00:00", 22: "2016-11-26T00:00", 25: "2016-12-09T00:00",
    26: "2016-12-09T00:00", 28: "2016-11-04T00:00", 30: "2016-12-10T08:00", 39: "2016-11-26T00:00",
    40: "2016-12-04T00:00", 41: "2016-12-04T00:00", 42: "2016-12-04T00:00", 43: "2016-12-10T00:00",
    44: "2016-12-11T00:00", 45: "2016-12-11T20:00", 54: "2016-12-26T00:00",
}  # fmt: skip
SEED_003_START = {
    30: "2016-11-19T00:00",
    43: "2016-12-09T00:00",
    44: "2016-12-10T00:00",
    45: "2016-12-11T08:00",
}
UNDATED = {7, 27, 34, 36, 37}
PER_CASE = {15, 20, 23}


def local(dt):
    return None if dt is None else dt.replace(tzinfo=None)


def test_counts_and_sections(kg, kg_plan):
    assert len(kg_plan) == 58
    assert [a.number for a in kg_plan] == list(range(1, 59))
    assert [s.number for s in kg.sections] == list(range(1, 11))
    assert sum(len(s.activities) for s in kg.sections) == 58
    assert kg.time_zone == "Asia/Bishkek"
    assert kg.required_anchors == ("voting_day", "decision_published")


def test_every_seed_row_verbatim(kg, seed_003_text):
    for s in kg.sections:
        assert s.title_ru in seed_003_text
    for a in kg.activities:
        assert a.title_ru in seed_003_text, a.number
        assert a.seed_deadline_text and norm(a.seed_deadline_text) in seed_003_text, a.number
        assert a.responsible.ru in seed_003_text, a.number
        if a.participants:
            assert a.participants.ru in seed_003_text, a.number
        assert a.title_en and a.responsible.en and a.responsible.roles


@pytest.mark.parametrize("number", range(1, 59))
def test_expected_dates_match_the_printed_text(kg, number):
    spec = kg.activity(number)
    assert printed_instants(spec.seed_deadline_text, 2016) == yaml_instants(spec)
    if spec.rule.kind == "exact_day":
        assert spec.expected_due == spec.expected_start + timedelta(days=1)


@pytest.mark.parametrize("number", range(1, 59))
def test_computed_dates_reproduce_the_seed(kg, kg_plan, number):
    spec, a = kg.activity(number), kg_plan.get(number)
    if spec.expected_due:
        assert local(a.due_at) == spec.expected_due
    if spec.expected_start:
        assert local(a.starts_at) == spec.expected_start
    for m_spec, m in zip(spec.rule.milestones, a.milestones, strict=True):
        if m_spec.expected:
            assert local(m.at) == m_spec.expected
    # the independent table in this test
    if number in SEED_003_DUE:
        assert a.due_at.isoformat() == SEED_003_DUE[number] + ":00+06:00"
        assert spec.expected_due == datetime.fromisoformat(SEED_003_DUE[number])
    if number in SEED_003_START:
        assert a.starts_at.isoformat() == SEED_003_START[number] + ":00+06:00"


def test_every_printed_date_is_covered(kg):
    printed = {n for n in range(1, 59) if printed_instants(kg.activity(n).seed_deadline_text, 2016)}
    assert printed == set(SEED_003_DUE) | set(SEED_003_START)
    assert len(printed) == 31


def test_named_conventions(kg_plan):
    # "до 3 ноября 2016 года" = due 3 Nov 00:00 Asia/Bishkek
    assert kg_plan.get(1).due_at.isoformat() == "2016-11-03T00:00:00+06:00"
    # "до 24.00 часов 10 ноября" = due 11 Nov 00:00
    assert kg_plan.get(16).due_at.isoformat() == "2016-11-11T00:00:00+06:00"
    assert kg_plan.get(16).starts_at.isoformat() == "2016-10-28T00:00:00+06:00"
    # item 28: decision published 28 Oct + 7 days
    assert kg_plan.get(28).due_at.isoformat() == "2016-11-04T00:00:00+06:00"
    # campaigning stops 24 hours before voting starts
    assert kg_plan.get(30).due_at.isoformat() == "2016-12-10T08:00:00+06:00"
    assert kg_plan.get(30).milestones[0].at.isoformat() == "2016-11-26T00:00:00+06:00"
    # voting 08:00-20:00
    assert (kg_plan.get(45).starts_at.hour, kg_plan.get(45).due_at.hour) == (8, 20)
    # post-vote: "не позднее 15 дней со дня голосования (до 26 декабря)" = 26 Dec 00:00
    assert kg_plan.get(54).due_at.isoformat() == "2016-12-26T00:00:00+06:00"
    assert kg_plan.get(56).due_at.isoformat() == "2016-12-27T00:00:00+06:00"
    assert kg_plan.get(58).due_at.isoformat() == "2017-01-02T00:00:00+06:00"
    assert kg_plan.get(38).due_at.isoformat() == "2016-12-18T00:00:00+06:00"
    assert [m.at.isoformat() for m in kg_plan.get(38).milestones] == [
        "2016-11-11T00:00:00+06:00",
        "2016-12-04T00:00:00+06:00",
    ]


def test_undated_and_per_case_rows(kg_plan):
    for n in UNDATED:
        a = kg_plan.get(n)
        assert a.kind == "undated" and a.starts_at is None and a.due_at is None and a.undated_reason
    assert kg_plan.get(7).undated_reason == "by_separate_plan"
    assert kg_plan.get(34).undated_reason == "as_received"
    assert kg_plan.get(34).case_kind == "observer_application"
    for n in PER_CASE:
        a = kg_plan.get(n)
        assert a.kind == "per_case" and a.due_at is None and a.per_case is not None
    assert (kg_plan.get(15).per_case.days, kg_plan.get(20).per_case.days, kg_plan.get(23).per_case.days) == (
        2,
        7,
        2,
    )
    assert kg_plan.get(20).case_kind == "candidate_application"
    assert kg_plan.get(49).case_kind == "complaint"
    assert kg_plan.get(12).case_kind == "voter_correction_request"


def test_json_of_the_done_criterion(kg_plan):
    from elections.calendar import plan_to_json

    rows = json.loads(plan_to_json(kg_plan))
    assert len(rows) == 58
    for r in rows:
        expected = SEED_003_DUE.get(r["number"])
        if expected:
            assert r["due_at"] == expected + ":00+06:00"


def test_another_voting_day_moves_the_plan(kg):
    plan = compute_plan(kg, {"voting_day": date(2017, 3, 5), "decision_published": date(2017, 1, 20)})
    assert plan.get(1).due_at.isoformat() == "2017-01-26T00:00:00+06:00"
    assert plan.get(16).due_at.isoformat() == "2017-02-03T00:00:00+06:00"  # 24:00 of 2 Feb
    assert plan.get(45).starts_at.isoformat() == "2017-03-05T08:00:00+06:00"
    assert plan.get(28).due_at.isoformat() == "2017-01-27T00:00:00+06:00"
    assert plan.get(54).due_at.isoformat() == "2017-03-20T00:00:00+06:00"
    assert check_plan(plan) == []


@settings(max_examples=25, deadline=None)
@given(st.dates(min_value=date(2006, 1, 1), max_value=date(2090, 12, 31)))
def test_shift_property(kg, voting_day):
    """Moving both anchors by the same delta moves every dated instant by it (local wall clock)."""
    base = compute_plan(kg, KG_ANCHORS)
    decision = voting_day - timedelta(days=44)
    moved = compute_plan(kg, {"voting_day": voting_day, "decision_published": decision})
    delta = voting_day - KG_ANCHORS["voting_day"]
    for a, b in zip(base, moved, strict=True):
        for x, y in ((a.starts_at, b.starts_at), (a.due_at, b.due_at)):
            assert (x is None) == (y is None)
            if x is not None:
                assert local(y) - local(x) == delta


def test_check_finds_nothing_in_seed_003(kg_plan):
    assert check_plan(kg_plan) == []


def test_check_reports_a_late_decision(kg):
    plan = compute_plan(kg, {"voting_day": date(2016, 12, 11), "decision_published": date(2016, 11, 5)})
    found = check_plan(plan)
    assert {c.code for c in found} == {"outside_period"}
    assert sorted(c.activities[0] for c in found) == [1, 2, 8, 9, 10]


def test_chain_recomputed_from_actual_dates(kg, kg_plan):
    tz = kg.tz
    assert kg_plan.get(3).due_at == datetime(2016, 11, 7, tzinfo=tz)
    early = compute_plan(kg, KG_ANCHORS, actuals={2: datetime(2016, 11, 1, 10, 0)})
    assert early.get(3).due_at == datetime(2016, 11, 6, tzinfo=tz)  # end of 1 Nov + 4 days
    assert early.get(2).actual_at == datetime(2016, 11, 1, 10, 0, tzinfo=tz)
    assert early.get(2).due_at == kg_plan.get(2).due_at  # own dates stay planned
    late = compute_plan(kg, KG_ANCHORS, actuals={2: datetime(2016, 11, 5, 16, 0, tzinfo=tz)})
    assert late.get(3).due_at == datetime(2016, 11, 10, tzinfo=tz)
    last_day = compute_plan(kg, KG_ANCHORS, actuals={2: datetime(2016, 11, 2, 23, 59)})
    assert last_day.get(3).due_at == kg_plan.get(3).due_at  # done on the last permitted day: as planned
    # aware actual in another zone is converted to Asia/Bishkek (1 Nov 20:00 UTC = 2 Nov 02:00 local)
    from datetime import UTC

    utc = compute_plan(kg, KG_ANCHORS, actuals={2: datetime(2016, 11, 1, 20, 0, tzinfo=UTC)})
    assert utc.get(3).due_at == datetime(2016, 11, 7, tzinfo=tz)


def test_post_vote_chain_recomputed(kg):
    tz = kg.tz
    plan = compute_plan(kg, KG_ANCHORS, actuals={54: datetime(2016, 12, 20, 15, 0)})
    assert plan.get(56).due_at == datetime(2016, 12, 21, 15, 0, tzinfo=tz)  # "within one day": exact 24 h
    assert plan.get(58).due_at == datetime(2016, 12, 28, tzinfo=tz)  # end of 20 Dec + 7 days


def test_planned_due_points_ignore_actuals(kg, kg_plan):
    plan = compute_plan(kg, KG_ANCHORS, actuals={21: datetime(2016, 11, 15, 12, 0)})
    assert plan.get(30).starts_at == kg_plan.get(30).starts_at  # the registration *term* ends 19 Nov


def test_voting_hours_are_anchors(kg):
    plan = compute_plan(kg, {**KG_ANCHORS, "voting_start": "07:00", "voting_end": "19:00"})
    assert plan.get(45).starts_at.isoformat() == "2016-12-11T07:00:00+06:00"
    assert plan.get(45).due_at.isoformat() == "2016-12-11T19:00:00+06:00"
    assert plan.get(30).due_at.isoformat() == "2016-12-10T07:00:00+06:00"
    assert plan.get(46).starts_at.isoformat() == "2016-12-11T19:00:00+06:00"


def test_election_called_defaults_to_publication(kg):
    plan = compute_plan(kg, {**KG_ANCHORS, "election_called": "2016-10-26"})
    assert plan.get(32).due_at.isoformat() == "2016-11-02T00:00:00+06:00"
    assert plan.get(28).due_at.isoformat() == "2016-11-04T00:00:00+06:00"
    assert plan.anchors["election_called"] == date(2016, 10, 26)
