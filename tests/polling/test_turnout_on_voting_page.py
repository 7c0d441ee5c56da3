"""The voting page's turnout (and the observers' dashboard block that reuses it) for a council voted
on paper at the precincts: the precinct commissions' turnout reports, as the turnout-by-hour page
shows them — never a 0 that only means "nobody voted through the portal"."""

import re

import pytest
from django.urls import reverse
from freezegun import freeze_time

from accounts.models import Role
from ballots import selectors as ballot_selectors
from polling import services
from polling.selectors import turnout_table
from tests.factories import user_with_role

from .conftest import at

pytestmark = pytest.mark.django_db


def _open_both_days(k):
    services.polling_settings_save(
        election=k["election"], actor=k["cec_member"], turnout_times=["12:00", "15:00", "19:00"]
    )
    for pec, unit, user in zip(k["pecs"], k["precincts"], k["pec_members"], strict=True):
        members = list(pec.members.filter(is_active=True).order_by("pk"))
        services.day_open(
            unit=unit,
            actor=user,
            opened_at=at(17, 8),
            member_ids=[m.pk for m in members],
            boxes_shown=True,
        )


def _voted_cell(page: str, contest) -> str:
    match = re.search(rf'<td[^>]*data-voted="{contest.pk}"[^>]*>(.*?)</td>', page, re.S)
    assert match, page
    return match.group(1).strip()


@freeze_time("2030-08-17 10:00:00+00:00")  # 16:00 in Bishkek on voting day
def test_the_voting_turnout_of_a_precinct_council_is_the_precincts_reports(delivered, client):
    k = delivered
    contest = k["contest"]
    observer = user_with_role(Role.OBSERVER, election=k["election"], email="obs@example.org")
    client.force_login(observer)
    turnout_url = reverse("ballots:turnout", args=[k["election"].slug])
    dashboard_url = reverse("groups:dashboard", args=[k["election"].slug])

    # nothing reported yet: said in words, not a 0
    row = ballot_selectors.turnout(k["election"])[0]
    assert row["voted"] is None and row["precincts"].reported == 0
    page = client.get(turnout_url).content.decode()
    assert _voted_cell(page, contest) != "0"
    assert 'data-source="precincts"' in page and ">0<" not in page.split('id="turnout-table"')[1]

    _open_both_days(k)
    first, second = k["pec_members"]
    services.turnout_report(unit=k["precincts"][0], actor=first, time="12:00", voters=120)
    services.turnout_report(unit=k["precincts"][0], actor=first, time="15:00", voters=400)
    services.turnout_report(unit=k["precincts"][1], actor=second, time="12:00", voters=80)

    # 15:00: one precinct of two has reported; the figures are those of the turnout-by-hour table
    at_three = turnout_table(k["election"]).totals[1]
    row = ballot_selectors.turnout(k["election"])[0]
    assert (row["voted"], row["percent"], row["eligible"]) == (at_three["voters"], at_three["percent"], 2000)
    assert (row["precincts"].time, row["precincts"].reported, row["precincts"].precincts) == ("15:00", 1, 2)
    assert (row["voted"], row["percent"]) == (400, 40.0)

    services.turnout_report(unit=k["precincts"][1], actor=second, time="15:00", voters=300)
    at_three = turnout_table(k["election"]).totals[1]
    assert at_three["voters"] == 700
    for url in (turnout_url, dashboard_url):
        page = client.get(url).content.decode()
        assert _voted_cell(page, contest) == "700", url
        assert "15:00" in page and "35,0" in page, url
        assert reverse("polling:turnout", args=[k["election"].slug]) in page, url
