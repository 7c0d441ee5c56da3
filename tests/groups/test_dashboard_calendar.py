"""The calendar tile of the observers' dashboard: the first overdue activities by name, and how
many more there are, with the link to the plan."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from elections.models import CalendarActivity, ElectionCalendar, PlanTemplate
from tests.factories import ElectionFactory, user_with_role

pytestmark = pytest.mark.django_db


def _overdue(election, n):
    template = PlanTemplate.objects.create(slug="t", name_ru="План", source_yaml="")
    calendar = ElectionCalendar.objects.create(election=election, template=template, template_yaml="")
    past = timezone.now() - dt.timedelta(days=2)
    for number in range(1, n + 1):
        CalendarActivity.objects.create(
            calendar=calendar,
            number=number,
            section=1,
            section_title_ru="Раздел",
            kind="fixed",
            title_ru=f"Мероприятие {number}",
            due_at=past + dt.timedelta(minutes=number),
        )


@pytest.mark.parametrize(("overdue", "more"), [(6, 1), (5, 0)])
def test_the_calendar_tile_says_how_many_more_are_overdue(client, overdue, more):
    election = ElectionFactory()
    _overdue(election, overdue)
    client.force_login(user_with_role(Role.OBSERVER, election=election))
    page = client.get(reverse("groups:dashboard", args=[election.slug])).content.decode()
    assert f'data-count="overdue">{overdue}<' in page
    listed = [n for n in range(1, overdue + 1) if f"<li>{n}. Мероприятие {n}</li>" in page]
    assert listed == [1, 2, 3, 4, 5]
    calendar = reverse("elections:calendar", args=[election.slug])
    if more:
        tail = page.split('id="calendar-overdue-more"')[1].split("</li>")[0]
        assert f'href="{calendar}"' in tail and f" {more} " in tail
    else:
        assert 'id="calendar-overdue-more"' not in page
