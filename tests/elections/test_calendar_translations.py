"""The shipped calendar plans read in the state languages (issue 22): the CCM plan in Kazakh, the
local-council plan in Kyrgyz — every section and every activity's title, who is responsible and
the deadline — copied into an election's calendar when it starts; a text without a translation
falls back to Russian; the calendar page in Kazakh or Kyrgyz shows them."""

import datetime as dt

import pytest
from django.utils import translation

from accounts.models import Role
from elections.calendar import parse_template
from elections.calendar.loader import TEMPLATES_DIR, safe_load
from elections.calendar.translations import translations
from elections.models import CalendarActivity
from elections.services import calendar as services
from tests.factories import ElectionFactory, user_with_role

SHIPPED = {"ccm-ngo-2024": "kk", "kg-local-2016": "ky"}


@pytest.mark.parametrize(("slug", "language"), SHIPPED.items())
def test_every_section_and_activity_of_a_shipped_plan_is_translated(slug, language):
    template = parse_template(
        safe_load((TEMPLATES_DIR / f"{slug}.yaml").read_text(encoding="utf-8")), source=slug
    )
    document = translations(slug)[language]
    assert document["name"] and document["description"]
    assert set(document["sections"]) == {s.number for s in template.sections}
    activities = document["activities"]
    assert set(activities) == {a.number for a in template.activities}
    for a in template.activities:
        texts = activities[a.number]
        assert texts["title"] and texts["responsible"], a.number
        assert bool(texts.get("participants")) == bool(a.participants), a.number
        assert bool(texts.get("deadline")) == bool(a.seed_deadline_text), a.number
        assert texts["title"] != a.title_ru


@pytest.mark.django_db
def test_a_started_calendar_reads_in_the_state_language_and_falls_back_to_russian(client):
    templates = {t.slug: t for t in services.load_builtin_templates()}
    assert templates["ccm-ngo-2024"].name_kk.startswith("Үкіметтік емес сектордан")
    election = ElectionFactory(slug="ccm-test", kind="ccm_ngo", time_zone="Asia/Almaty")
    calendar = services.calendar_start(
        election=election,
        template=templates["ccm-ngo-2024"],
        anchors={"voting_day": dt.date(2024, 8, 17)},
        actor=None,
    )
    first = CalendarActivity.objects.get(calendar=calendar, number=1)
    with translation.override("kk"):
        assert first.title.startswith("Мына мәселелер бойынша жұмыс кездесуі")
        assert first.section_title.startswith("Сайлауды өткізуге дайындық")
        assert first.responsible == "ЕҮК хатшылығы"
    with translation.override("ky"):  # no Kyrgyz text for this plan: Russian
        assert first.title == first.title_ru
    client.force_login(user_with_role(Role.SECRETARIAT))  # a draft election: the secretariat reads it
    page = client.get(f"/kk/elections/{election.slug}/calendar/").content.decode()
    assert "ЕҮК хатшылығы" in page and "Мына мәселелер бойынша жұмыс кездесуі" in page


@pytest.mark.django_db
def test_the_council_plan_reads_in_kyrgyz(client):
    templates = {t.slug: t for t in services.load_builtin_templates()}
    election = ElectionFactory(slug="kg-plan", kind="local_council", time_zone="Asia/Bishkek")
    services.calendar_start(
        election=election,
        template=templates["kg-local-2016"],
        anchors={"voting_day": dt.date(2016, 12, 11), "decision_published": dt.date(2016, 10, 28)},
        actor=None,
    )
    client.force_login(user_with_role(Role.SECRETARIAT))
    page = client.get("/ky/elections/kg-plan/calendar/").content.decode()
    assert "Шайлоо округдарын жана шайлоо участокторун түзүү" in page
    assert "Добуш берүүнү өткөрүү" in page and "Участкалык шайлоо комиссиялары" in page
