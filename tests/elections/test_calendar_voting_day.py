"""Changing the election's voting day offers to recompute the plan (issue 15, deliverable 9)."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse

from accounts.models import Role
from elections.models import AuditEntry, PlanTemplate
from elections.services import calendar as services
from elections.services import election_update
from tests.factories import ElectionFactory, user_with_role

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")


@pytest.fixture
def ccm(db):
    services.load_builtin_templates()
    secretariat = user_with_role(Role.SECRETARIAT)
    election = ElectionFactory(slug="ccm-day", voting_day=dt.date(2024, 8, 17), time_zone="Asia/Almaty")
    services.calendar_start(
        election=election,
        template=PlanTemplate.objects.get(slug="ccm-ngo-2024"),
        anchors={"voting_day": dt.date(2024, 8, 17)},
        actor=secretariat,
    )
    return election, secretariat


def _move_day(election, secretariat, day):
    return election_update(election=election, actor=secretariat, voting_day=day)


def test_plan_page_shows_the_day_it_was_computed_from(client, ccm):
    election, secretariat = ccm
    client.force_login(secretariat)
    body = client.get(
        reverse("elections:calendar", args=["ccm-day"]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert 'id="plan-voting-day"' in body and "17" in body
    assert 'id="voting-day-changed"' not in body


def test_changed_day_is_said_prominently_and_change_dates_offers_the_current_day(client, ccm):
    election, secretariat = ccm
    _move_day(election, secretariat, dt.date(2024, 8, 24))
    client.force_login(secretariat)
    body = client.get(reverse("elections:calendar", args=["ccm-day"])).content.decode()
    assert 'id="voting-day-changed"' in body
    assert reverse("elections:calendar_follow_voting_day", args=["ccm-day"]) in body
    # the "Change the dates" form defaults to the election's CURRENT voting day
    calendar = election.calendar
    page = client.get(
        reverse("elections:calendar_start", args=["ccm-day"]), {"template": calendar.template.pk}
    )
    assert 'value="2024-08-24"' in page.content.decode()
    assert 'value="2024-08-17"' not in page.content.decode()


def test_recompute_asks_for_confirmation_then_moves_every_deadline(client, ccm):
    election, secretariat = ccm
    _move_day(election, secretariat, dt.date(2024, 8, 24))
    client.force_login(secretariat)
    url = reverse("elections:calendar_follow_voting_day", args=["ccm-day"])
    confirm = client.get(url)
    assert confirm.status_code == 200 and '<form method="post"' in confirm.content.decode()
    calendar = election.calendar
    # nothing moved yet: the GET is only the question
    assert calendar.activities.get(number=1).due_at == dt.datetime(2024, 8, 12, tzinfo=ALMATY)
    response = client.post(url)
    assert response.status_code == 302
    calendar.refresh_from_db()
    assert calendar.anchors["voting_day"] == "2024-08-24"
    assert calendar.activities.get(number=1).due_at == dt.datetime(2024, 8, 19, tzinfo=ALMATY)
    assert AuditEntry.objects.filter(action="elections.calendar.anchors_changed").exists()
    body = client.get(reverse("elections:calendar", args=["ccm-day"])).content.decode()
    assert 'id="voting-day-changed"' not in body


def test_editing_the_day_leads_to_the_plan_with_the_prompt(client, ccm):
    from elections.forms import ElectionForm

    election, secretariat = ccm
    client.force_login(secretariat)
    form = ElectionForm(instance=election)
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        shown = field.widget.format_value(value) if hasattr(field.widget, "format_value") else value
        data[name] = list(value) if isinstance(value, (list, tuple)) else shown
        if data[name] is None:
            del data[name]
    data["voting_day"] = "2024-08-31"
    response = client.post(reverse("elections:edit", args=["ccm-day"]), data, follow=True)
    election.refresh_from_db()
    assert election.voting_day == dt.date(2024, 8, 31)
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("elections:calendar", args=["ccm-day"])
    assert 'id="voting-day-changed"' in body


def test_only_the_secretariat_may_recompute(client, ccm):
    election, secretariat = ccm
    _move_day(election, secretariat, dt.date(2024, 8, 24))
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.post(reverse("elections:calendar_follow_voting_day", args=["ccm-day"]))
    assert response.status_code in (403, 404)
    election.calendar.refresh_from_db()
    assert election.calendar.anchors["voting_day"] == "2024-08-17"


def test_the_election_page_points_to_the_plan_when_the_day_changed(client, ccm):
    election, secretariat = ccm
    client.force_login(secretariat)
    url = reverse("elections:detail", args=["ccm-day"])
    assert 'id="plan-day-differs"' not in client.get(url).content.decode()
    _move_day(election, secretariat, dt.date(2024, 8, 24))
    assert 'id="plan-day-differs"' in client.get(url).content.decode()
