"""demo.campaign (issue 20, "Done when"): in kg-local-2016 a party's representatives are registered
with credentials; its fund has three reports on time with one flagged contribution that the TEC
decided on; the campaign events and places of the city are public; every precinct has its voter
notice; the CEC's budget shows spending against the estimate; the members' training is recorded;
the calendar rows 7, 15, 27–38 and 40 link to these functions."""

import pytest
from django.urls import reverse

from campaign.models import CampaignFund, CampaignPlace, Representative, VoterNotice
from elections.models import Election
from groups import work_selectors


@pytest.mark.django_db
def test_the_demo_campaign_is_recorded_and_public(demo, client):
    kg = Election.objects.get(slug="kg-local-2016")
    reps = Representative.objects.filter(election=kg, party_list__party_name="Новый горизонт")
    assert set(reps.values_list("kind", "status")) == {
        ("election", "registered"),
        ("financial", "registered"),
        ("proxy", "registered"),
    }
    fund = CampaignFund.objects.get(election=kg, party_list__party_name="Новый горизонт")
    reports = list(fund.reports.order_by("pk"))
    assert [r.on_time for r in reports] == [True, True, True] and {r.status for r in reports} == {"reviewed"}
    flagged = [e for r in reports for e in r.entries.exclude(flags=[])]
    assert len(flagged) == 1 and flagged[0].verdict == "return" and flagged[0].decision.is_adopted
    slug = kg.slug
    events = client.get(reverse("campaign:events", args=[slug])).content.decode()
    assert "Площадь Ала-Тоо" in events and "Дом культуры «Ала-Тоо»" in events
    assert CampaignPlace.objects.filter(election=kg).count() == 6
    assert VoterNotice.objects.filter(election=kg).count() == 6
    report = work_selectors.budget_report(kg)
    assert report["spent"] > 0 and report["planned"] > report["spent"] and report["over"] == 1
    trained = work_selectors.training_by_commission(kg)
    assert all(row["trained"] == row["members"] for row in trained)
    funds = client.get(reverse("campaign:funds", args=[slug])).content.decode()
    assert "Новый горизонт" in funds


@pytest.mark.django_db
def test_the_calendar_rows_of_the_campaign_link_to_their_functions(demo, client):
    from accounts.models import User

    kg = Election.objects.get(slug="kg-local-2016")
    client.force_login(User.objects.get(email="tec-bishkek@demo.example"))
    page = client.get(reverse("elections:calendar", args=[kg.slug])).content.decode()
    for number in (7, 15, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 40):
        assert f'data-work="{number}"' in page, number
