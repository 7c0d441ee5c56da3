"""Rule semantics, working days, per-case deadlines, anchors, validation errors."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from elections.calendar import (
    ActualError,
    AnchorError,
    CalendarError,
    CycleError,
    TemplateError,
    TemplateNotFound,
    anchors_help,
    check_plan,
    compute_plan,
    is_working_day,
    list_templates,
    load_template,
    parse_template,
    per_case_due,
    shift_days,
    template_slugs,
)

from .conftest import KG_ANCHORS

BISHKEK = ZoneInfo("Asia/Bishkek")


def act(n, rule, **kw):
    return {
        "number": n,
        "title_ru": f"Мероприятие {n}",
        "title_en": f"Activity {n}",
        "responsible": {"ru": "ТИК", "en": "TEC", "roles": ["tec"]},
        "rule": rule,
        **kw,
    }


def tpl(*activities, **over):
    d = {
        "slug": "test-plan",
        "name_ru": "План",
        "name_en": "Plan",
        "time_zone": "Asia/Bishkek",
        "anchors": [
            {"name": "voting_day", "label_ru": "День голосования", "label_en": "Voting day", "type": "date"},
            {
                "name": "opens_at",
                "label_ru": "Открытие",
                "label_en": "Opens",
                "type": "datetime",
                "required": False,
            },
            {
                "name": "voting_start",
                "label_ru": "Начало",
                "label_en": "Start",
                "type": "time",
                "required": False,
                "default": "08:00",
            },
        ],
        "roles": {"tec": {"ru": "ТИК", "en": "TEC"}},
        "case_kinds": {"complaint": {"ru": "Жалоба", "en": "Complaint"}},
        "sections": [
            {"number": 1, "title_ru": "Раздел", "title_en": "Section", "activities": list(activities)}
        ],
    }
    d.update(over)
    return d


VD = {"voting_day": date(2016, 12, 11)}  # a Sunday


def due(rule_due, **rule):
    return {"kind": "deadline", "due": rule_due, **rule}


# --------------------------------------------------------------------------- rule kinds


def test_rule_kinds():
    t = parse_template(
        tpl(
            act(1, due({"anchor": "voting_day", "days": -38})),
            act(
                2,
                {
                    "kind": "window",
                    "start": {"anchor": "voting_day", "days": -30},
                    "due": {"anchor": "voting_day", "at": "voting_start", "hours": -24},
                },
            ),
            act(3, {"kind": "not_earlier_than", "start": {"anchor": "voting_day", "at": "20:00"}}),
            act(4, {"kind": "exact_day", "day": {"anchor": "voting_day", "days": -1}}),
            act(5, {"kind": "per_case", "case_kind": "complaint", "days": 3}),
            act(6, {"kind": "undated", "reason": "by_separate_plan"}),
            act(7, due({"activity": 1, "days": 4})),
            act(8, due({"anchor": "opens_at", "hours": 48})),
        )
    )
    p = compute_plan(t, VD)
    assert [a.kind for a in p] == [
        "deadline",
        "window",
        "not_earlier_than",
        "exact_day",
        "per_case",
        "undated",
        "deadline",
        "deadline",
    ]
    assert p.get(1).due_at == datetime(2016, 11, 3, tzinfo=BISHKEK) and p.get(1).starts_at is None
    assert (p.get(2).starts_at, p.get(2).due_at) == (
        datetime(2016, 11, 11, tzinfo=BISHKEK),
        datetime(2016, 12, 10, 8, tzinfo=BISHKEK),
    )
    assert (p.get(3).starts_at, p.get(3).due_at) == (datetime(2016, 12, 11, 20, tzinfo=BISHKEK), None)
    assert (p.get(4).starts_at, p.get(4).due_at) == (
        datetime(2016, 12, 10, tzinfo=BISHKEK),
        datetime(2016, 12, 11, tzinfo=BISHKEK),
    )
    assert (p.get(5).starts_at, p.get(5).due_at, p.get(5).per_case.days) == (None, None, 3)
    assert (p.get(6).starts_at, p.get(6).due_at, p.get(6).undated_reason) == (None, None, "by_separate_plan")
    assert p.get(7).due_at == datetime(2016, 11, 7, tzinfo=BISHKEK)
    assert p.get(8).due_at is None  # optional datetime anchor not given: undated
    p2 = compute_plan(t, {**VD, "opens_at": datetime(2016, 11, 1, 9, 30)})
    assert p2.get(8).due_at == datetime(2016, 11, 3, 9, 30, tzinfo=BISHKEK)
    assert p2.anchors["opens_at"] == datetime(2016, 11, 1, 9, 30, tzinfo=BISHKEK)
    assert p2.anchors["voting_start"] == time(8, 0)


def test_topological_order_independent_of_listing():
    t = parse_template(
        tpl(
            act(1, due({"activity": 2, "days": 2})),
            act(2, due({"activity": 3, "days": 1})),
            act(3, due({"anchor": "voting_day", "days": -10})),
        )
    )
    assert t.order == (3, 2, 1)
    p = compute_plan(t, VD)
    assert [a.number for a in p] == [1, 2, 3]  # output in template order
    assert p.get(1).due_at == datetime(2016, 12, 4, tzinfo=BISHKEK)
    moved = compute_plan(t, VD, actuals={3: datetime(2016, 11, 20, 12, 0)})  # 3 done early: 2 and 1 move
    assert moved.get(2).due_at == datetime(2016, 11, 22, tzinfo=BISHKEK)
    assert moved.get(1).due_at == datetime(2016, 11, 24, tzinfo=BISHKEK)


# --------------------------------------------------------------------------- working days


def test_working_days_before_an_anchor_with_holidays():
    t = parse_template(
        tpl(
            act(1, due({"anchor": "voting_day", "days": -5}, counting="working")),
            act(2, due({"activity": 1, "days": 3}, counting="working")),
            act(3, due({"anchor": "voting_day", "days": -5})),
        )
    )
    p = compute_plan(t, VD)
    # Sun 11 Dec: Fri 9, Thu 8, Wed 7, Tue 6, Mon 5 -> due Mon 5 Dec 00:00
    assert p.get(1).due_at == datetime(2016, 12, 5, tzinfo=BISHKEK)
    assert p.get(2).due_at == datetime(2016, 12, 8, tzinfo=BISHKEK)  # Mon 5, Tue 6, Wed 7 -> end of Wed
    assert p.get(3).due_at == datetime(2016, 12, 6, tzinfo=BISHKEK)  # calendar
    hp = compute_plan(t, VD, holidays=[date(2016, 12, 7)])
    assert hp.get(1).due_at == datetime(2016, 12, 2, tzinfo=BISHKEK)  # Wed 7 skipped -> Fri 2
    assert hp.get(2).due_at == datetime(2016, 12, 7, tzinfo=BISHKEK)  # Fri 2, Mon 5, Tue 6
    assert hp.get(3).due_at == p.get(3).due_at
    # holidays of the template itself, and another weekend
    t2 = parse_template(
        tpl(
            act(1, due({"anchor": "voting_day", "days": -5}, counting="working")),
            holidays=["2016-12-07"],
            weekend=["fri", "sat"],
        )
    )
    # Sat 10 no, Fri 9 no, Thu 8, Wed 7 holiday, Tue 6, Mon 5, Sun 4, Sat 3 no, Fri 2 no, Thu 1 -> 5th
    assert compute_plan(t2, VD).get(1).due_at == datetime(2016, 12, 1, tzinfo=BISHKEK)


def test_point_level_counting_override():
    t = parse_template(tpl(act(1, due({"anchor": "voting_day", "days": -5, "counting": "working"}))))
    assert compute_plan(t, VD).get(1).due_at == datetime(2016, 12, 5, tzinfo=BISHKEK)


def test_shift_days_and_is_working_day():
    assert shift_days(date(2016, 12, 11), -38) == date(2016, 11, 3)
    assert shift_days(date(2016, 12, 9), 1, "working") == date(2016, 12, 10)  # Fri counts: end of Fri
    assert shift_days(date(2016, 12, 10), 1, "working") == date(2016, 12, 13)  # Sat, Sun skipped: end of Mon
    assert shift_days(date(2016, 12, 12), -1, "working") == date(2016, 12, 9)  # Fri before Mon
    assert not is_working_day(date(2016, 12, 10)) and is_working_day(date(2016, 12, 12))
    assert not is_working_day(date(2016, 12, 12), holidays=[date(2016, 12, 12)])
    with pytest.raises(CalendarError):
        shift_days(date(2016, 12, 12), 2, "working", weekend=range(7))


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)), st.integers(-400, 400))
def test_working_days_without_non_working_days_equal_calendar_days(d, n):
    assert shift_days(d, n, "working", holidays=(), weekend=()) == shift_days(d, n, "calendar")


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)), st.integers(1, 60))
def test_working_day_shift_counts_exactly_n_working_days(d, n):
    fwd = shift_days(d, n, "working")
    assert sum(is_working_day(d + timedelta(i)) for i in range((fwd - d).days)) == n
    assert is_working_day(fwd - timedelta(days=1))
    back = shift_days(d, -n, "working")
    assert sum(is_working_day(back + timedelta(i)) for i in range((d - back).days)) == n
    assert is_working_day(back)


# --------------------------------------------------------------------------- per case


def test_per_case_due_from_the_seed_plan(kg_plan, kg):
    # item 15: within 2 calendar days from receipt of documents
    assert per_case_due(kg_plan.get(15), datetime(2016, 11, 10, 15, 0), kg.tz) == datetime(
        2016, 11, 13, tzinfo=BISHKEK
    )
    # item 20: within 7 days from acceptance; the template's ActivitySpec works too; tz by name
    assert per_case_due(kg.activity(20), datetime(2016, 11, 10, 9, 0), "Asia/Bishkek") == datetime(
        2016, 11, 18, tzinfo=BISHKEK
    )
    # aware input in UTC: 10 Nov 20:00 UTC = 11 Nov 02:00 Bishkek
    assert per_case_due(kg_plan.get(15), datetime(2016, 11, 10, 20, 0, tzinfo=UTC), kg.tz) == datetime(
        2016, 11, 14, tzinfo=BISHKEK
    )
    with pytest.raises(CalendarError):
        per_case_due(kg_plan.get(1), datetime(2016, 11, 10), kg.tz)


def test_per_case_working_days_and_hours():
    t = parse_template(
        tpl(
            act(1, {"kind": "per_case", "case_kind": "complaint", "days": 2, "counting": "working"}),
            act(2, {"kind": "per_case", "case_kind": "complaint", "hours": 24}),
            holidays=["2016-11-14"],
        )
    )
    p = compute_plan(t, VD)
    fri = datetime(2016, 11, 11, 17, 0)
    # received Fri 11 Nov; Mon 14 is a holiday: Tue 15, Wed 16 -> due at the end of Wed
    assert per_case_due(p.get(1), fri, t.tz) == datetime(2016, 11, 17, tzinfo=BISHKEK)
    assert per_case_due(p.get(1), fri, t.tz, holidays=[]) == datetime(
        2016, 11, 16, tzinfo=BISHKEK
    )  # Mon, Tue
    assert per_case_due(t.activity(1).rule, fri, t.tz) == datetime(
        2016, 11, 16, tzinfo=BISHKEK
    )  # no plan holidays
    assert per_case_due(p.get(2), fri, t.tz) == datetime(2016, 11, 12, 17, 0, tzinfo=BISHKEK)


# --------------------------------------------------------------------------- anchors and actuals


def test_anchor_errors(kg):
    with pytest.raises(AnchorError, match="unknown anchor.*'voting_date'"):
        compute_plan(kg, {"voting_date": "2016-12-11", "decision_published": "2016-10-28"})
    with pytest.raises(AnchorError, match="missing required anchor.*decision_published"):
        compute_plan(kg, {"voting_day": "2016-12-11"})
    with pytest.raises(AnchorError, match="voting_day"):
        compute_plan(kg, {"voting_day": "2016-13-45", "decision_published": "2016-10-28"})
    with pytest.raises(AnchorError, match="voting_day"):
        compute_plan(kg, {"voting_day": datetime(2016, 12, 11, 8), "decision_published": "2016-10-28"})
    with pytest.raises(AnchorError, match="voting_start"):
        compute_plan(kg, {**KG_ANCHORS, "voting_start": "8 am"})
    with pytest.raises(ActualError, match="99"):
        compute_plan(kg, KG_ANCHORS, actuals={99: datetime(2016, 11, 1)})


def test_templates_listing_and_lookup(kg):
    slugs = [t.slug for t in list_templates()]
    assert slugs == ["ccm-ngo-2024", "kg-local-2016"]
    assert template_slugs() == slugs
    assert load_template("kg-local-2016") is kg  # cached
    with pytest.raises(TemplateNotFound, match="kg-local-2016"):
        load_template("kg-local-2017")
    help_lines = anchors_help(kg)
    assert help_lines[0].startswith("voting_day (date, required)")
    assert any(line.startswith("voting_start (time, optional, default 08:00)") for line in help_lines)
    assert any("default = decision_published" in line for line in help_lines)
    assert anchors_help(kg, "ru")[0].startswith("voting_day (date, обязательный) — День голосования")


def test_load_from_another_folder(tmp_path):
    (tmp_path / "test-plan.yaml").write_text(
        yaml.safe_dump(tpl(act(1, due({"anchor": "voting_day"})))), encoding="utf-8"
    )
    assert [t.slug for t in list_templates([tmp_path])] == ["test-plan"]
    assert load_template("test-plan", [tmp_path]).activity(1).title_en == "Activity 1"
    (tmp_path / "other.yaml").write_text(
        yaml.safe_dump(tpl(act(1, due({"anchor": "voting_day"})))), encoding="utf-8"
    )
    with pytest.raises(TemplateError, match="must equal the file name 'other'"):
        load_template("other", [tmp_path])
    (tmp_path / "broken.yaml").write_text("slug: [unclosed", encoding="utf-8")
    with pytest.raises(TemplateError, match="not valid YAML"):
        load_template("broken", [tmp_path])


# --------------------------------------------------------------------------- validation


def errors_of(data) -> list[str]:
    with pytest.raises(TemplateError) as e:
        parse_template(data)
    return e.value.errors


def test_validation_errors_name_the_activity_and_field():
    errs = errors_of(
        tpl(
            act(1, due({"anchor": "voting_day", "days": -3})),
            act(2, {"kind": "dealine", "due": {"anchor": "voting_day"}}),
            act(3, due({"anchor": "votng_day", "days": -3})),
            act(4, due({"activity": 99, "days": 1}), depends_on=[98]),
            act(5, due({"anchor": "voting_day", "at": 1200})),
            act(6, {"kind": "per_case", "days": 2}),
            act(7, due({"anchor": "voting_day", "dayz": 3})),
            {
                **act(8, due({"anchor": "voting_day"})),
                "responsible": {"ru": "ТИК", "en": "TEC", "roles": ["tek"]},
            },
            {k: v for k, v in act(9, due({"anchor": "voting_day"})).items() if k != "title_en"},
            act(1, due({"anchor": "voting_day"})),
            act(10, {"kind": "window", "due": {"anchor": "voting_day"}}),
            act(11, {"kind": "undated"}),
            act(12, due({"anchor": "voting_day"}), dealine="x"),
        )
    )
    text = "\n".join(errs)
    assert (
        "activity 2: rule.kind: expected one of deadline, window, not_earlier_than, exact_day, per_case, undated, got 'dealine'"
        in text
    )
    assert "activity 3: rule.due: unknown anchor 'votng_day'" in text
    assert "activity 4: rule.due: unknown activity 99" in text
    assert "activity 4: depends_on: unknown activity 98" in text
    assert "activity 5: rule.due.at" in text and "quotes" in text
    assert "activity 6: rule.case_kind: required for kind 'per_case'" in text
    assert "activity 7: rule.due: unknown field 'dayz'" in text
    assert "activity 8: responsible.roles: unknown role 'tek'" in text
    assert "activity 9: title_en: required text is missing" in text
    assert "activity 1: duplicate activity number" in text
    assert "activity 10: rule.start: required for kind 'window'" in text
    assert "activity 11: rule.reason" in text
    assert "activity 12: unknown field 'dealine'" in text
    assert len(errs) >= 13
    assert str(TemplateError(errs)).count("\n  - ") == len(errs)


def test_template_level_validation():
    errs = errors_of(
        tpl(
            act(1, due({"anchor": "voting_start"})),
            time_zone="Asia/Nowhere",
            anchors=[
                {"name": "voting_day", "label_ru": "д", "label_en": "v", "type": "date"},
                {
                    "name": "voting_start",
                    "label_ru": "н",
                    "label_en": "s",
                    "type": "time",
                    "required": False,
                    "default": 1200,
                },
                {"name": "x", "label_ru": "х", "label_en": "x", "type": "day"},
            ],
        )
    )
    text = "\n".join(errs)
    assert "template: time_zone" in text
    assert "anchor voting_start: default" in text and "quotes" in text
    assert "anchor x: type" in text
    assert "activity 1: rule.due: anchor 'voting_start' is a time of day" in text
    assert errors_of({"slug": "x"})  # everything missing is reported, not a crash
    assert errors_of([1, 2])


def test_cycles_are_errors():
    with pytest.raises(CycleError) as e:
        parse_template(tpl(act(1, due({"activity": 2, "days": 1})), act(2, due({"activity": 1, "days": 1}))))
    assert sorted(e.value.cycle) == [1, 2] and "cycle" in str(e.value)
    with pytest.raises(CycleError, match="depends_on"):
        parse_template(
            tpl(
                act(1, due({"anchor": "voting_day"}), depends_on=[2]), act(2, due({"activity": 1, "days": 1}))
            )
        )


# --------------------------------------------------------------------------- check


def test_check_codes_on_a_small_template():
    d = tpl(
        period={"start": {"anchor": "voting_day", "days": -30}, "end": {"anchor": "voting_day", "days": 30}},
        voting={"anchor": "voting_day", "at": "voting_start"},
        stages_ordered=True,
        sections=[
            {
                "number": 1,
                "title_ru": "Этап 1",
                "title_en": "Stage 1",
                "before_voting": True,
                "activities": [
                    act(
                        1,
                        {
                            "kind": "window",
                            "start": {"anchor": "voting_day", "days": 5},
                            "due": {"anchor": "voting_day", "days": -5},
                        },
                    ),
                    act(2, {"kind": "not_earlier_than", "start": {"anchor": "voting_day", "days": -2}}),
                    act(3, due({"anchor": "voting_day", "days": -3}), depends_on=[2]),
                ],
            },
            {
                "number": 2,
                "title_ru": "Этап 2",
                "title_en": "Stage 2",
                "activities": [
                    act(4, due({"anchor": "voting_day", "days": 40})),
                    act(5, due({"anchor": "voting_day", "days": -20})),
                    act(6, due({"anchor": "voting_day", "days": 1}), before_voting=True),
                ],
            },
        ],
    )
    t = parse_template(d)
    found = {(c.code, c.activities) for c in check_plan(compute_plan(t, VD))}
    assert found == {
        ("window_inverted", (1,)),
        ("dependency_order", (2, 3)),  # 2 starts (9 Dec) after 3 is due (8 Dec)
        ("stage_order", (1, 5)),
        ("stage_order", (2, 5)),
        ("stage_order", (3, 5)),
        ("outside_period", (4,)),
        ("after_voting", (6,)),
    }
    # 2 is a start-only row: its start is before voting; a voting start at 00:00 changes nothing for it
    t2 = compute_plan(t, {**VD, "voting_start": "00:00"})
    assert ("after_voting", (2,)) not in {(c.code, c.activities) for c in check_plan(t2)}


def test_the_readme_example_template_is_valid():
    from pathlib import Path

    import elections.calendar

    readme = (Path(elections.calendar.__file__).parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("```yaml\n", 1)[1].split("```", 1)[0]
    t = parse_template(yaml.safe_load(block))
    plan = compute_plan(t, {"voting_day": "2025-10-05", "decision_published": "2025-08-01"})
    assert plan.get(1).due_at.isoformat() == "2025-08-28T00:00:00+05:00"
    assert plan.get(2).due_at.isoformat() == "2025-09-01T00:00:00+05:00"
    assert plan.get(3).kind == "per_case" and plan.get(3).per_case.counting == "working"
    assert check_plan(plan) == []
