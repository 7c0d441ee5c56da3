"""Calendar exports (iCalendar, CSV, JSON, PDF, personal feed), reminders and the calendar_plan CLI."""

import csv
import datetime as dt
import io
import json
import re
import shutil
import subprocess
import zoneinfo

import pytest
from django.core.management import call_command
from django.urls import reverse
from freezegun import freeze_time

from accounts.models import Role
from elections.models import CalendarActivity, CalendarFeedToken, CalendarReminder, Notification, PlanTemplate
from elections.services import calendar as services
from elections.services import election_transition
from elections.services.reminders import send_calendar_reminders
from tests.factories import CommissionFactory, ElectionFactory, user_with_role
from tests.outbox import send_outbox

BISHKEK = zoneinfo.ZoneInfo("Asia/Bishkek")


@pytest.fixture
def kg(db):
    services.load_builtin_templates()
    election = ElectionFactory(
        slug="kg-x", kind="local_council", time_zone="Asia/Bishkek", voting_day=dt.date(2016, 12, 11)
    )
    election_transition(election=election, transition="announce", actor=None)
    cec = CommissionFactory(election=election, kind="cec", name_ru="ЦИК")
    calendar = services.calendar_start(
        election=election,
        template=PlanTemplate.objects.get(slug="kg-local-2016"),
        anchors={"voting_day": dt.date(2016, 12, 11), "decision_published": dt.date(2016, 10, 28)},
        actor=None,
    )
    return {
        "election": election,
        "calendar": calendar,
        "cec_ru": user_with_role(Role.COMMISSION_MEMBER, commission=cec, email="cec-ru@example.org"),
        "cec_en": user_with_role(
            Role.COMMISSION_MEMBER, commission=cec, email="cec-en@example.org", language="en"
        ),
        "secretariat": user_with_role(Role.SECRETARIAT, email="sec@example.org"),
    }


# --- exports --------------------------------------------------------------------------------


def test_ics_parses_and_holds_every_dated_activity(client, kg):
    from icalendar import Calendar

    response = client.get(reverse("elections:calendar_export", args=["kg-x", "ics"]))
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    events = list(cal.walk("VEVENT"))
    uids = {str(e["uid"]) for e in events}
    assert "kg-local-2016-1@electionportal" in uids
    first = next(e for e in events if str(e["uid"]) == "kg-local-2016-1@electionportal")
    assert "Образование избирательных округов" in str(first["summary"])
    dated = kg["calendar"].activities.exclude(starts_at__isnull=True, due_at__isnull=True).count()
    assert len([u for u in uids if u.count("-") == 3]) == dated  # one per activity, plus milestones


def test_csv_and_json_exports(client, kg):
    body = client.get(reverse("elections:calendar_export", args=["kg-x", "csv"])).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == 58 and "due_at" in rows[0]
    data = json.loads(
        client.get(reverse("elections:calendar_export", args=["kg-x", "json"]) + "?lang=en").content
    )
    assert len(data) == 58
    first = data[0]
    for key in ("number", "section", "title", "responsible", "legal_basis", "kind", "starts_at", "due_at"):
        assert key in first
    assert first["due_at"] == "2016-11-03T00:00:00+06:00"
    assert first["title"].startswith("Formation of electoral districts")


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed")
def test_pdf_is_a4_landscape_with_russian_titles(client, kg, tmp_path):
    response = client.get(reverse("elections:calendar_export", args=["kg-x", "pdf"]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    path = tmp_path / "plan.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Образование избирательных округов" in text
    assert "ч.4 ст.10" in text
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "841.89 x 595.276" in info or "842 x 595" in info  # A4 landscape in points


def test_personal_feed_holds_only_my_deadlines(client, kg):
    feed = CalendarFeedToken.objects.create(user=kg["cec_ru"])
    from icalendar import Calendar

    response = client.get(reverse("portal:calendar_feed", args=[feed.token]))
    events = Calendar.from_ical(response.content).walk("VEVENT")
    numbers = {str(e["uid"]).split("@")[0].rsplit("-", 1)[-1] for e in events}
    assert "2" in numbers  # the CEC approves the districts
    assert "1" not in numbers  # TECs form them
    assert client.get(reverse("portal:calendar_feed", args=["wrong-token"])).status_code == 404


def test_feed_token_renewal_from_the_profile(client, kg):
    client.force_login(kg["cec_ru"])
    client.post(reverse("portal:calendar_feed_renew"))
    first = CalendarFeedToken.objects.get(user=kg["cec_ru"]).token
    client.post(reverse("portal:calendar_feed_renew"))
    assert CalendarFeedToken.objects.get(user=kg["cec_ru"]).token != first
    assert client.get(reverse("portal:calendar_feed", args=[first])).status_code == 404


# --- reminders ------------------------------------------------------------------------------


def test_reminders_3_days_before_go_once_in_each_language(kg, mailoutbox):
    # item 2 (CEC) is due 3 Nov 2016 00:00 Bishkek: its last day is 2 Nov; 3 days before = 30 Oct
    with freeze_time("2016-10-30 09:00:00+06:00"):
        first = send_calendar_reminders()
        second = send_calendar_reminders()
        send_outbox()
    assert first > 0 and second == 0
    to_item2 = [m for m in mailoutbox if re.search(r"\b2: ", m.subject)]
    recipients = sorted(addr for m in to_item2 for addr in m.to)
    assert recipients == ["cec-en@example.org", "cec-ru@example.org"]
    by_user = {m.to[0]: m for m in to_item2}
    assert "осталось 3 дня" in by_user["cec-ru@example.org"].subject
    assert "3 days left" in by_user["cec-en@example.org"].subject
    assert CalendarReminder.objects.filter(activity__number=2, kind="d3").count() == 2
    assert Notification.objects.filter(user=kg["cec_ru"], kind="calendar.reminder.d3").exists()


def test_overdue_notice_reaches_the_secretariat_too(kg, mailoutbox):
    with freeze_time("2016-11-03 10:00:00+06:00"):
        send_calendar_reminders()
        send_calendar_reminders()
        send_outbox()
    overdue = [
        m for m in mailoutbox if "Календарный план, мероприятие 2:" in m.subject and "срок истёк" in m.subject
    ]
    assert sorted(a for m in overdue for a in m.to) == ["cec-ru@example.org", "sec@example.org"]


def test_no_reminder_for_done_or_not_applicable(kg, mailoutbox):
    item2 = CalendarActivity.objects.get(calendar=kg["calendar"], number=2)
    services.activity_complete(
        activity=item2, actor=None, completed_at=dt.datetime(2016, 10, 29, tzinfo=BISHKEK)
    )
    with freeze_time("2016-10-30 09:00:00+06:00"):
        send_calendar_reminders()
    assert not CalendarReminder.objects.filter(activity=item2).exists()


def test_reminder_task_runs_through_celery(kg, mailoutbox):
    from elections.tasks import send_calendar_reminders as task

    with freeze_time("2016-10-30 09:00:00+06:00"):
        assert task.delay().get() > 0


# --- calendar_plan command --------------------------------------------------------------------


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("calendar_plan", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    except Exception as exc:  # CommandError
        code = getattr(exc, "returncode", 1)
        err.write(str(exc))
    return code, out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_cli_lists_58_seed_activities_and_writes_nothing():
    from elections.models import AuditEntry

    before = AuditEntry.objects.count()
    code, out, _ = _run(
        "--template",
        "kg-local-2016",
        "--anchor",
        "voting_day=2016-12-11",
        "--anchor",
        "decision_published=2016-10-28",
        "--format",
        "json",
    )
    assert code == 0
    plan = json.loads(out)
    assert len(plan) == 58
    due = {a["number"]: a["due_at"] for a in plan}
    assert due[1] == "2016-11-03T00:00:00+06:00" and due[28] == "2016-11-04T00:00:00+06:00"
    assert due[54] == "2016-12-26T00:00:00+06:00" and due[7] is None
    assert AuditEntry.objects.count() == before and not PlanTemplate.objects.exists()


@pytest.mark.django_db
def test_cli_another_voting_day_and_formats():
    code, out, _ = _run(
        "--template",
        "kg-local-2016",
        "--anchor",
        "voting_day=2017-03-05",
        "--anchor",
        "decision_published=2017-01-20",
    )
    assert json.loads(out)[0]["due_at"] == "2017-01-26T00:00:00+06:00"
    code, out, _ = _run("--template", "ccm-ngo-2024", "--anchor", "voting_day=2024-08-17", "--format", "csv")
    assert code == 0 and len(list(csv.reader(io.StringIO(out)))) == 26
    code, out, _ = _run("--template", "ccm-ngo-2024", "--anchor", "voting_day=2024-08-17", "--format", "ics")
    assert code == 0 and out.startswith("BEGIN:VCALENDAR")


@pytest.mark.django_db
def test_cli_check_reports_contradictions_of_seed_000():
    code, out, _ = _run("--template", "ccm-ngo-2024", "--anchor", "voting_day=2024-08-17", "--check")
    assert code == 1
    assert "dependency_order" in out and "after_voting" in out
    code, out, _ = _run(
        "--template",
        "kg-local-2016",
        "--anchor",
        "voting_day=2016-12-11",
        "--anchor",
        "decision_published=2016-10-28",
        "--check",
    )
    assert code == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "args",
    [
        ["--template", "nope", "--anchor", "voting_day=2016-12-11"],
        ["--template", "kg-local-2016", "--anchor", "voting_day=2016-12-11"],  # missing decision_published
        [
            "--template",
            "kg-local-2016",
            "--anchor",
            "voting_day=2016-12-11",
            "--anchor",
            "decision_published=2016-10-28",
            "--anchor",
            "bogus=2016-01-01",
        ],
        [
            "--template",
            "kg-local-2016",
            "--anchor",
            "voting_day=11.12.2016",
            "--anchor",
            "decision_published=2016-10-28",
        ],
        ["--anchor", "voting_day=2016-12-11"],
    ],
)
def test_cli_errors_exit_2(args):
    code, _, err = _run(*args)
    assert code == 2 and err


@pytest.mark.django_db
def test_cli_list_names_templates_and_anchors():
    code, out, _ = _run("--list")
    assert code == 0
    assert "kg-local-2016" in out and "ccm-ngo-2024" in out and "decision_published" in out


# --- template editor ----------------------------------------------------------------------------


def test_secretariat_writes_a_template_and_sees_every_problem(client, kg):
    client.force_login(kg["secretariat"])
    source = PlanTemplate.objects.get(slug="ccm-ngo-2024").source_yaml
    broken = source.replace('slug: "ccm-ngo-2024"', "slug: my-plan").replace(
        "anchor: voting_day", "anchor: votng_day", 1
    )
    response = client.post(reverse("portal:plan_template_new"), {"yaml_text": broken})
    assert response.status_code == 200
    assert "votng_day" in response.content.decode()
    assert not PlanTemplate.objects.filter(slug="my-plan").exists()
    fixed = source.replace('slug: "ccm-ngo-2024"', "slug: my-plan")
    response = client.post(reverse("portal:plan_template_new"), {"yaml_text": fixed})
    assert response.status_code == 302, response.context["form"].errors
    assert PlanTemplate.objects.get(slug="my-plan").is_builtin is False
    # a shipped template cannot be overwritten from the UI
    response = client.post(reverse("portal:plan_template_new"), {"yaml_text": source + "\n# changed\n"})
    assert response.status_code == 200
    assert "# changed" not in PlanTemplate.objects.get(slug="ccm-ngo-2024").source_yaml


def test_template_pages_are_for_the_secretariat(client, kg):
    client.force_login(kg["cec_ru"])
    assert client.get(reverse("portal:plan_templates")).status_code == 403
    assert client.post(reverse("portal:plan_template_new"), {"yaml_text": "x"}).status_code == 403


@pytest.mark.django_db
def test_load_calendar_templates_command(tmp_path):
    out = io.StringIO()
    call_command("load_calendar_templates", stdout=out)
    assert "kg-local-2016" in out.getvalue() and PlanTemplate.objects.count() == 2
    bad = tmp_path / "bad.yaml"
    bad.write_text("slug: bad\nname_ru: x\n", encoding="utf-8")
    with pytest.raises(Exception) as exc:
        call_command("load_calendar_templates", str(bad))
    assert getattr(exc.value, "returncode", None) == 2
    assert PlanTemplate.objects.count() == 2
