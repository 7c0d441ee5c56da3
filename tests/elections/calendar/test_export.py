"""JSON, CSV and iCalendar exports of a computed plan."""

import csv
import io
import json
import re
from datetime import UTC, datetime

from icalendar import Calendar

from elections.calendar import (
    CSV_COLUMNS,
    check_plan,
    contradictions_to_dicts,
    format_contradictions,
    plan_to_csv,
    plan_to_dicts,
    plan_to_ics,
    plan_to_json,
)

ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
REQUIRED = ("number", "section", "title", "responsible", "legal_basis", "kind", "starts_at", "due_at")


def test_json_fields_and_offsets(kg_plan):
    rows = json.loads(plan_to_json(kg_plan))
    assert len(rows) == 58
    for r in rows:
        for k in REQUIRED:
            assert k in r
        for k in ("starts_at", "due_at", "actual_at"):
            assert r[k] is None or ISO_WITH_OFFSET.match(r[k]), r[k]
        for m in r["milestones"]:
            assert m["at"] is None or ISO_WITH_OFFSET.match(m["at"])
    by = {r["number"]: r for r in rows}
    assert by[1]["due_at"] == "2016-11-03T00:00:00+06:00"
    assert by[1]["title"] == "Образование избирательных округов по выборам депутатов местных кенешей"
    assert by[1]["legal_basis"] == "ч.4 ст.10 Закона"
    assert by[1]["responsible_roles"] == ["tec", "local_government"]
    assert by[7]["due_at"] is None and by[7]["starts_at"] is None and by[7]["kind"] == "undated"
    assert by[20]["per_case"] == {
        "case_kind": "candidate_application",
        "days": 7,
        "hours": None,
        "counting": "calendar",
    }
    assert by[35]["legal_basis"] is None
    en = {r["number"]: r for r in plan_to_dicts(kg_plan, lang="en")}
    assert en[1]["title"].startswith("Formation of electoral districts")
    assert en[1]["legal_basis"] == "Law, art. 10(4)"
    assert en[1]["section_title"] == "Formation of electoral districts and polling precincts"


def test_json_ccm(ccm_plan):
    rows = plan_to_dicts(ccm_plan)
    assert len(rows) == 25 and {r["section"] for r in rows} == {1, 2, 3, 4, 5, 6}
    assert rows[0]["due_at"] == "2024-08-12T00:00:00+05:00"
    assert rows[2]["starts_at"] == "2024-08-05T00:00:00+05:00" and rows[2]["due_at"] is None


def test_csv_has_a_header_and_one_row_per_activity(kg_plan):
    text = plan_to_csv(kg_plan)
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == 59
    recs = list(csv.DictReader(io.StringIO(text)))
    assert recs[0]["number"] == "1" and recs[0]["due_at"] == "2016-11-03T00:00:00+06:00"
    assert recs[29]["milestones"] == "aiyl_start=2016-11-26T00:00:00+06:00"
    assert recs[14]["per_case"] == "representative_registration: 2 days (calendar)"
    assert recs[6]["due_at"] == "" and recs[6]["undated_reason"] == "by_separate_plan"


def test_ics_parses(kg_plan):
    stamp = datetime(2024, 1, 1, tzinfo=UTC)
    text = plan_to_ics(kg_plan, calendar_name="kg-local-2016", dtstamp=stamp)
    assert text == plan_to_ics(kg_plan, calendar_name="kg-local-2016", dtstamp=stamp)  # deterministic
    cal = Calendar.from_ical(text)
    events = list(cal.walk("VEVENT"))
    dated = [a for a in kg_plan if a.is_dated]
    milestones = [m for a in kg_plan for m in a.milestones if m.at is not None]
    assert len(events) == len(dated) + len(milestones)
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    assert list(cal.walk("VTIMEZONE"))
    first = next(e for e in events if str(e["UID"]) == "kg-local-2016-1@electionportal")
    assert first.decoded("DTSTART") == kg_plan.get(1).due_at
    assert str(first["SUMMARY"]).startswith("Срок: 1. ")
    voting = next(e for e in events if str(e["UID"]) == "kg-local-2016-45@electionportal")
    assert voting.decoded("DTSTART").isoformat() == "2016-12-11T08:00:00+06:00"
    assert voting.decoded("DTEND").isoformat() == "2016-12-11T20:00:00+06:00"
    assert "kg-local-2016-7@electionportal" not in uids  # undated
    en = Calendar.from_ical(plan_to_ics(kg_plan, lang="en", dtstamp=stamp))
    assert any(str(e["SUMMARY"]).startswith("Deadline: 1. Formation") for e in en.walk("VEVENT"))


def test_contradiction_exports(ccm_plan):
    found = check_plan(ccm_plan)
    dicts = contradictions_to_dicts(found)
    assert json.loads(json.dumps(dicts, ensure_ascii=False)) == dicts
    assert set(dicts[0]) == {"code", "activities", "message_ru", "message_en"}
    text = format_contradictions(found)
    assert text.count("\n") == len(found) - 1
    assert "[after_voting] 14:" in text
    ru = format_contradictions(found, "ru")
    assert "[after_voting] 14:" in ru and "до голосования" in ru
