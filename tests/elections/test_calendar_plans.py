"""Calendar plans in the portal: templates, an election's calendar, completion, statuses, views."""

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from freezegun import freeze_time

from accounts.models import Role
from elections.models import AuditEntry, CalendarActivity, PlanTemplate
from elections.services import calendar as services
from elections.services import election_transition
from tests.factories import CommissionFactory, ElectionFactory, user_with_role

BISHKEK = zoneinfo.ZoneInfo("Asia/Bishkek")
KG_ANCHORS = {"voting_day": dt.date(2016, 12, 11), "decision_published": dt.date(2016, 10, 28)}


@pytest.fixture
def templates(db):
    return {t.slug: t for t in services.load_builtin_templates()}


@pytest.fixture
def kg(templates):
    election = ElectionFactory(
        slug="kg-test",
        kind="local_council",
        time_zone="Asia/Bishkek",
        voting_day=dt.date(2016, 12, 11),
        voting_starts_at=dt.datetime(2016, 12, 11, 8, tzinfo=BISHKEK),
        voting_ends_at=dt.datetime(2016, 12, 11, 20, tzinfo=BISHKEK),
    )
    cec = CommissionFactory(election=election, kind="cec", name_ru="ЦИК")
    tec = CommissionFactory(election=election, kind="tec", name_ru="ТИК", parent=cec)
    calendar = services.calendar_start(
        election=election, template=templates["kg-local-2016"], anchors=KG_ANCHORS, actor=None
    )
    return {
        "election": election,
        "calendar": calendar,
        "cec_member": user_with_role(Role.COMMISSION_MEMBER, commission=cec),
        "tec_member": user_with_role(Role.COMMISSION_MEMBER, commission=tec),
        "secretariat": user_with_role(Role.SECRETARIAT),
        "observer": user_with_role(Role.OBSERVER, election=election),
    }


def _act(calendar, number) -> CalendarActivity:
    return CalendarActivity.objects.get(calendar=calendar, number=number)


def _local(value):
    return value.astimezone(BISHKEK).replace(tzinfo=None)


def test_builtin_templates_load_once(templates):
    assert set(templates) == {"kg-local-2016", "ccm-ngo-2024"}
    count = AuditEntry.objects.filter(action__startswith="elections.plan_template").count()
    services.load_builtin_templates()
    assert AuditEntry.objects.filter(action__startswith="elections.plan_template").count() == count


def test_calendar_reproduces_every_dated_row_of_seed_003(kg):
    import yaml

    source = yaml.safe_load(PlanTemplate.objects.get(slug="kg-local-2016").source_yaml)
    expected = {
        a["number"]: a["expected_due"]
        for section in source["sections"]
        for a in section["activities"]
        if a.get("expected_due")
    }
    assert len(expected) >= 30
    assert kg["calendar"].activities.count() == 58
    for number, due in expected.items():
        assert _local(_act(kg["calendar"], number).due_at) == dt.datetime.fromisoformat(due), number
    # the two conventions of the issue
    assert _local(_act(kg["calendar"], 1).due_at) == dt.datetime(2016, 11, 3, 0, 0)  # "до 3 ноября"
    assert _local(_act(kg["calendar"], 16).due_at) == dt.datetime(
        2016, 11, 11, 0, 0
    )  # "до 24.00 часов 10 ноября"
    entry = AuditEntry.objects.get(action="elections.calendar.started")
    assert entry.data["activities"] == 58 and entry.data["anchors"]["voting_day"] == "2016-12-11"


def test_a_new_voting_day_moves_the_plan(kg):
    services.calendar_set_anchors(
        calendar=kg["calendar"],
        anchors={"voting_day": "2017-03-05", "decision_published": "2017-01-20"},
        actor=None,
    )
    assert _local(_act(kg["calendar"], 1).due_at) == dt.datetime(2017, 1, 26)  # 38 days before 5 March
    assert _local(_act(kg["calendar"], 28).due_at) == dt.datetime(2017, 1, 27)  # published + 7 days
    assert AuditEntry.objects.filter(action="elections.calendar.anchors_changed").count() == 1


def test_chain_is_recomputed_from_the_actual_date(kg):
    item2 = _act(kg["calendar"], 2)
    assert _local(_act(kg["calendar"], 3).due_at) == dt.datetime(2016, 11, 7)
    with freeze_time("2016-11-01 12:00:00+06:00"):
        services.activity_complete(
            activity=item2, actor=kg["cec_member"], completed_at=dt.datetime(2016, 10, 31, 15, tzinfo=BISHKEK)
        )
    # approved on 31 Oct: publication within 4 days of approval -> by 4 Nov 24:00 = 5 Nov 00:00
    assert _local(_act(kg["calendar"], 3).due_at) == dt.datetime(2016, 11, 5)
    entry = AuditEntry.objects.get(action="elections.calendar.activity_completed")
    assert entry.data["number"] == 2 and entry.actor == kg["cec_member"]


def test_statuses_follow_the_clock(kg):
    item45 = _act(kg["calendar"], 45)  # voting 11 Dec 08:00–20:00
    with freeze_time("2016-12-11 01:59:00+00:00"):
        assert item45.status == "planned"
    with freeze_time("2016-12-11 02:00:00+00:00"):
        assert item45.status == "in_progress"
    with freeze_time("2016-12-11 14:00:00+00:00"):
        assert item45.status == "overdue"
    services.activity_set_not_applicable(activity=item45, actor=None, reason="тест")
    assert _act(kg["calendar"], 45).status == "not_applicable"


def test_only_the_responsible_body_or_secretariat_marks_done(kg):
    item1 = _act(kg["calendar"], 1)  # responsible: TEC
    item2 = _act(kg["calendar"], 2)  # responsible: CEC
    with freeze_time("2016-11-01"):
        with pytest.raises(PermissionDenied):
            services.activity_complete(activity=item2, actor=kg["tec_member"])
        with pytest.raises(PermissionDenied):
            services.activity_complete(activity=item1, actor=kg["observer"])
        services.activity_complete(activity=item1, actor=kg["tec_member"])
        with pytest.raises(ValidationError):
            services.activity_complete(activity=item1, actor=kg["secretariat"])  # already done
        services.activity_complete(activity=item2, actor=kg["secretariat"])
    assert _act(kg["calendar"], 2).completed_by == kg["secretariat"]


def test_completion_cannot_be_in_the_future(kg):
    with freeze_time("2016-11-01 10:00:00+00:00"), pytest.raises(ValidationError):
        services.activity_complete(
            activity=_act(kg["calendar"], 1),
            actor=None,
            completed_at=dt.datetime(2016, 11, 2, tzinfo=dt.UTC),
        )


def test_restart_refused_once_something_is_done(kg, templates):
    services.activity_complete(
        activity=_act(kg["calendar"], 1), actor=None, completed_at=dt.datetime(2016, 11, 1, tzinfo=BISHKEK)
    )
    with pytest.raises(ValidationError):
        services.calendar_start(
            election=kg["election"], template=templates["kg-local-2016"], anchors=KG_ANCHORS, actor=None
        )


def test_missing_anchor_is_refused_with_nothing_stored(templates):
    election = ElectionFactory()
    with pytest.raises(ValidationError):
        services.calendar_start(
            election=election,
            template=templates["kg-local-2016"],
            anchors={"voting_day": dt.date(2030, 1, 1)},
            actor=None,
        )
    assert not CalendarActivity.objects.filter(calendar__election=election).exists()


def test_case_due_applies_the_per_case_rule(kg):
    from elections.selectors import case_due

    received = dt.datetime(2016, 11, 10, 15, 0, tzinfo=BISHKEK)
    # item 20: within 7 days from acceptance of the documents
    assert _local(case_due(kg["election"], "candidate_application", received)) == dt.datetime(2016, 11, 18)
    assert case_due(kg["election"], "no_such_case", received) is None


def test_case_due_computes_the_plan_once_per_version_of_the_calendar(kg, monkeypatch):
    """Many case deadlines, one computed plan; a change of anchors, holidays or an activity's
    actual date gives a new version, computed again, and the deadlines follow it."""
    from elections import calendar as engine
    from elections import selectors

    computed = []
    compute_plan = engine.compute_plan
    monkeypatch.setattr(engine, "compute_plan", lambda *a, **kw: computed.append(1) or compute_plan(*a, **kw))
    selectors._CASE_PLANS.clear()
    election = kg["election"]

    def uncached(received):
        calendar = selectors.calendar_of(election)
        rule = selectors.case_rule(election, "candidate_application")
        return engine.per_case_due(selectors.calendar_plan(calendar).get(rule.number), received, election.tz)

    days = [dt.datetime(2016, 11, day, 15, 0, tzinfo=BISHKEK) for day in range(1, 21)]
    dues = [selectors.case_due(election, "candidate_application", day) for day in days]
    assert len(computed) == 1
    assert _local(dues[9]) == dt.datetime(2016, 11, 18)  # received on 10 November
    assert len(set(dues)) == len(days)

    services.calendar_set_anchors(
        calendar=kg["calendar"], anchors=KG_ANCHORS, actor=None, holidays=[dt.date(2016, 11, 15)]
    )
    computed.clear()
    after_holiday = [selectors.case_due(election, "candidate_application", day) for day in days]
    assert len(computed) == 1  # a new version: computed again, once
    computed.clear()
    assert after_holiday == [uncached(day) for day in days]

    services.activity_complete(activity=_act(kg["calendar"], 1), actor=None)
    computed.clear()
    assert [selectors.case_due(election, "candidate_application", day) for day in days[:3]] == [
        uncached(day) for day in days[:3]
    ]
    assert len(computed) == 1 + 3  # once for the new version, then once per uncached reference


# --- pages ----------------------------------------------------------------------------------


def test_public_calendar_page_and_hidden_draft(client, kg):
    url = reverse("elections:calendar", args=["kg-test"])
    assert client.get(url).status_code == 404  # draft
    election_transition(election=kg["election"], transition="announce", actor=None)
    body = client.get(url).content.decode()
    assert "Образование избирательных округов по выборам депутатов местных кенешей" in body
    assert 'id="activity-58"' in body
    assert "Mark as done" not in body and 'name="note"' not in body


def test_observer_cannot_change_anything(client, kg):
    election_transition(election=kg["election"], transition="announce", actor=None)
    client.force_login(kg["observer"])
    for name in ("activity_complete", "activity_not_applicable", "activity_reopen"):
        response = client.post(reverse(f"elections:{name}", args=["kg-test", 1]), {"reason": "x"})
        assert response.status_code == 403, name
    assert client.get(reverse("elections:calendar_start", args=["kg-test"])).status_code == 403
    assert client.post(reverse("elections:calendar_start", args=["kg-test"])).status_code == 403
    assert not CalendarActivity.objects.filter(calendar=kg["calendar"], completed_at__isnull=False).exists()
    assert not CalendarActivity.objects.filter(calendar=kg["calendar"], is_not_applicable=True).exists()


def test_member_marks_done_with_note_and_document(client, kg):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(kg["cec_member"])
    pdf = SimpleUploadedFile("решение.pdf", b"%PDF-1.4\n%...\n", content_type="application/pdf")
    with freeze_time("2016-11-02 10:00:00+00:00"):
        response = client.post(
            reverse("elections:activity_complete", args=["kg-test", 2]),
            {"note": "Постановление №1", "document": pdf},
        )
    assert response.status_code == 302
    item = _act(kg["calendar"], 2)
    assert item.completed_by == kg["cec_member"] and item.completion_note == "Постановление №1"
    assert item.completion_file.name.endswith(".pdf")


def test_wrong_document_type_is_refused_and_nothing_stored(client, kg):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(kg["cec_member"])
    fake = SimpleUploadedFile("решение.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(
        reverse("elections:activity_complete", args=["kg-test", 2]), {"document": fake}, follow=True
    )
    assert "PDF / JPEG / PNG" in response.content.decode()
    assert _act(kg["calendar"], 2).completed_at is None


def test_my_deadlines_lists_the_members_activities(client, kg):
    client.force_login(kg["tec_member"])
    with freeze_time("2016-11-01"):
        body = client.get(reverse("elections:calendar_mine", args=["kg-test"])).content.decode()
    assert 'id="activity-1"' in body  # TEC forms the districts
    assert 'id="activity-2"' not in body  # the CEC approves them


def test_secretariat_starts_a_calendar_through_the_ui(client, templates):
    election = ElectionFactory(slug="ccm-ui", voting_day=dt.date(2024, 8, 17))
    secretariat = user_with_role(Role.SECRETARIAT)
    client.force_login(secretariat)
    template = templates["ccm-ngo-2024"]
    page = client.get(reverse("elections:calendar_start", args=["ccm-ui"]), {"template": template.pk})
    assert page.status_code == 200 and 'name="voting_day"' in page.content.decode()
    response = client.post(
        reverse("elections:calendar_start", args=["ccm-ui"]),
        {"template": template.pk, "voting_day": "2024-08-17", "holidays": "2024-08-30"},
    )
    assert response.status_code == 302
    calendar = election.calendar
    assert calendar.activities.count() == 25 and calendar.holidays == ["2024-08-30"]
    almaty = zoneinfo.ZoneInfo("Asia/Almaty")
    assert calendar.activities.get(number=1).due_at == dt.datetime(2024, 8, 12, tzinfo=almaty)
    body = client.get(reverse("elections:calendar", args=["ccm-ui"])).content.decode()
    assert 'id="contradictions"' in body
    # explained in words with the seed's item numbers, never as a code
    assert "Пункт 10 (" in body or "Item 10 (" in body
    assert "dependency_order" not in body and "stage_order" not in body and "after_voting" not in body
    assert "The plan has 7 contradictions" in body or "7 противореч" in body


def test_bad_holiday_line_is_refused(client, templates):
    ElectionFactory(slug="ccm-bad")
    client.force_login(user_with_role(Role.SECRETARIAT))
    response = client.post(
        reverse("elections:calendar_start", args=["ccm-bad"]),
        {"template": templates["ccm-ngo-2024"].pk, "voting_day": "2024-08-17", "holidays": "30.08.2024"},
    )
    assert response.status_code == 200
    assert "30.08.2024" in response.content.decode()
    assert not CalendarActivity.objects.filter(calendar__election__slug="ccm-bad").exists()


def test_timeline_has_a_bar_per_dated_activity(client, kg):
    election_transition(election=kg["election"], transition="announce", actor=None)
    body = client.get(reverse("elections:calendar_timeline", args=["kg-test"])).content.decode()
    dated = kg["calendar"].activities.exclude(starts_at__isnull=True, due_at__isnull=True).count()
    assert body.count('class="timeline-bar') == dated


def test_change_the_dates_works_after_an_activity_is_done(client, kg):
    """ "Change the dates" of the same plan moves the deadlines and keeps what is done; it used to
    start the plan anew, which is refused once an activity is done — a form that could never end."""
    calendar = kg["calendar"]
    services.activity_complete(
        activity=_act(calendar, 1),
        actor=kg["secretariat"],
        completed_at=dt.datetime(2016, 11, 1, tzinfo=BISHKEK),
    )
    due_before = _act(calendar, 10).due_at
    client.force_login(kg["secretariat"])
    response = client.post(
        reverse("elections:calendar_start", args=["kg-test"]),
        {"template": calendar.template.pk, "voting_day": "2016-12-18", "decision_published": "2016-10-28"},
    )
    assert response.status_code == 302
    assert _act(calendar, 1).completed_at is not None
    assert _act(calendar, 10).due_at == due_before + dt.timedelta(days=7)
    assert AuditEntry.objects.filter(action="elections.calendar.anchors_changed").exists()
