"""The secretariat creates an election, starts its calendar from a template and opens registration."""

import datetime as dt

from accounts.models import Role
from elections.models import CalendarActivity, Election
from tests.factories import PASSWORD, user_with_role


def test_secretariat_creates_an_election_from_a_calendar_template_and_opens_registration(portal):
    from elections.services.calendar import load_builtin_templates

    load_builtin_templates()
    user_with_role(Role.SECRETARIAT, email="secretariat@example.org")
    page = portal.page
    portal.login("secretariat@example.org", PASSWORD)

    voting_day = dt.date.today() + dt.timedelta(days=60)
    portal.goto("/en/elections/new/")
    page.fill("#id_title_ru", "Выборы членов СКК, браузерный тест")
    page.fill("#id_title_en", "CCM elections, browser test")
    page.fill("#id_slug", "browser-ccm")
    page.select_option("#id_kind", "ccm_ngo")
    page.select_option("#id_time_zone", "Asia/Almaty")
    page.fill("#id_voting_day", voting_day.isoformat())
    page.fill("#id_voting_starts_at", f"{voting_day.isoformat()}T09:00")
    page.fill("#id_voting_ends_at", f"{voting_day.isoformat()}T18:00")
    page.get_by_role("button", name="Create the draft").click()
    page.wait_for_url("**/elections/browser-ccm/")
    assert Election.objects.get(slug="browser-ccm").state == Election.State.DRAFT

    # the calendar, from the CCM template, counted back from the voting day
    portal.goto("/en/elections/browser-ccm/calendar/start/")
    page.get_by_label("Calendar plan template").select_option(label=_template_label(page, "ccm"))
    page.get_by_role("button", name="Use this template").click()
    assert page.locator("[name=voting_day]").input_value() == voting_day.isoformat()
    page.get_by_role("button", name="Compute the calendar plan").click()
    page.wait_for_url("**/elections/browser-ccm/calendar/**")
    assert CalendarActivity.objects.filter(calendar__election__slug="browser-ccm").count() > 10
    portal.shots("/elections/browser-ccm/calendar/", "calendar")

    portal.goto("/en/elections/browser-ccm/")
    # each step opens its confirmation page: what will happen, what is locked, who is told (issue 15)
    page.get_by_role("link", name="Announce the election…").click()
    page.wait_for_url("**/step/announce/")
    assert page.locator("#consequences").is_visible()
    portal.shot("confirm-announce-en")
    portal.axe(name="confirm-announce")
    page.get_by_role("link", name="Cancel").click()
    assert Election.objects.get(slug="browser-ccm").state == Election.State.DRAFT
    page.get_by_role("link", name="Announce the election…").click()
    page.get_by_role("button", name="Yes: Announce the election").click()
    page.get_by_role("link", name="Open registration…").click()
    page.get_by_role("button", name="Yes: Open registration").click()
    page.wait_for_url("**/elections/browser-ccm/")
    page.locator("#lifecycle-title").wait_for()
    assert Election.objects.get(slug="browser-ccm").state == Election.State.REGISTRATION
    portal.shots("/elections/browser-ccm/", "election")


def _template_label(page, needle: str) -> str:
    labels = page.locator("select[name=template] option").all_inner_texts()
    return next(label for label in labels if needle.lower() in label.lower())
