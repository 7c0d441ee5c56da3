"""The campaign in public (seed 003 items 28–32, 40): events inside the campaign period only, the
commission's answer, places, media rates on time or late, precinct notices and the finder."""

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from campaign import services
from campaign.models import CampaignEvent, VoterNotice

pytestmark = pytest.mark.django_db
BISHKEK = zoneinfo.ZoneInfo("Asia/Bishkek")


def test_an_event_is_recorded_by_the_tec_and_answered(kg_campaign, client):
    k = kg_campaign
    starts = timezone.now() + dt.timedelta(days=2)
    event = services.event_notify(
        contest=k["contest"],
        actor=k["tec_member"],
        organiser="Зелёная долина",
        kind="meeting",
        place="ДК «Ала-Тоо»",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        expected=150,
    )
    with pytest.raises(ValidationError):
        services.event_answer(event=event, actor=k["tec_member"], status="refused", answer="")
    services.event_answer(event=event, actor=k["tec_member"], status="agreed", answer="")
    assert CampaignEvent.objects.get().status == "agreed"
    with pytest.raises((PermissionDenied, ValidationError)):
        services.event_notify(
            contest=k["contest"],
            actor=k["pec_members"][0],
            organiser="X",
            kind="rally",
            place="Y",
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=1),
            expected=10,
        )
    page = client.get(reverse("campaign:events", args=[k["election"].slug])).content.decode()
    assert "ДК «Ала-Тоо»" in page and "event-form" not in page


def test_an_event_outside_the_plans_campaign_period_is_refused(kg_campaign):
    """With the kg-local-2016 plan (voting day 17 August 2030): party lists campaign from the end of
    their registration to 24 hours before voting (item 30); outside it an event is refused."""
    from elections.models import PlanTemplate
    from elections.services.calendar import calendar_start, load_builtin_templates

    k = kg_campaign
    load_builtin_templates()
    calendar_start(
        election=k["election"],
        template=PlanTemplate.objects.get(slug="kg-local-2016"),
        anchors={"voting_day": dt.date(2030, 8, 17), "decision_published": dt.date(2030, 7, 4)},
        actor=None,
    )
    start, end = services.campaign_period(k["contest"])
    assert start is not None and end == dt.datetime(2030, 8, 16, 8, 0, tzinfo=BISHKEK)  # 24 h before 8:00
    late = end - dt.timedelta(hours=1)
    with pytest.raises(ValidationError, match="16.08.2030 08:00"):
        services.event_notify(
            contest=k["contest"],
            actor=k["tec_member"],
            organiser="Зелёная долина",
            kind="rally",
            place="Площадь",
            starts_at=late,
            ends_at=late + dt.timedelta(hours=2),
            expected=500,
        )
    ok = start + dt.timedelta(days=1)
    services.event_notify(
        contest=k["contest"],
        actor=k["tec_member"],
        organiser="Зелёная долина",
        kind="rally",
        place="Площадь",
        starts_at=ok,
        ends_at=ok + dt.timedelta(hours=2),
        expected=500,
    )


def test_places_media_and_notices_and_the_finder(kg_campaign, client):
    k = kg_campaign
    unit = k["precincts"][0]
    unit.address = "г. Бишкек, ул. Ахунбаева, 97"
    unit.save()
    services.place_record(
        unit=unit,
        actor=k["tec_member"],
        address="Доска у школы № 61",
        allocated_by="Мэрия г. Бишкек",
        allocated_on=timezone.localdate(),
    )
    services.media_rate_record(
        election=k["election"],
        actor=k["cec_member"],
        outlet="Вечерний Бишкек",
        medium="print",
        conditions="1 полоса — 20 000 сом",
        published_on=timezone.localdate(),
        filed_on=timezone.localdate(),
    )
    with pytest.raises(PermissionDenied):
        services.media_rate_record(
            election=k["election"],
            actor=k["tec_member"],
            outlet="X",
            medium="tv",
            conditions="Y",
            published_on=timezone.localdate(),
            filed_on=timezone.localdate(),
        )
    notice = services.voter_notice_publish(unit=unit, actor=k["pec_members"][0], channels="вывешено у школы")
    assert "ул. Ахунбаева, 97" in notice.text and "1001" in notice.text
    with pytest.raises(ValidationError):
        services.voter_notice_publish(unit=unit, actor=k["pec_members"][0], channels="газета")
    with pytest.raises(PermissionDenied):  # another precinct's commission
        services.voter_notice_publish(unit=k["precincts"][1], actor=k["pec_members"][0], channels="газета")
    slug = k["election"].slug
    found = client.get(reverse("campaign:where", args=[slug]) + "?q=Ахунбаева").content.decode()
    assert "1001" in found and reverse("campaign:notice_pdf", args=[slug, notice.pk]) in found
    assert "where-none" in client.get(reverse("campaign:where", args=[slug]) + "?q=Нетакой").content.decode()
    pdf = client.get(reverse("campaign:notice_pdf", args=[slug, notice.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "Вечерний Бишкек" in client.get(reverse("campaign:media", args=[slug])).content.decode()
    assert VoterNotice.objects.count() == 1
