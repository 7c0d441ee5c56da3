"""The commissions' training and budget (seed 003 items 7, 35, 37): a session scheduled by the
CEC, attendance recorded, the member list shows who is trained; the estimate by commission and
article, spending against it, over-spending flagged, spending outside the estimate refused."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from groups import work_selectors
from groups.models import CommissionMember
from groups.services import work as services
from tests.polling.conftest import kg_polling  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def test_training_is_scheduled_attended_and_shown_on_the_member_list(kg_polling, client):  # noqa: F811
    k = kg_polling
    session = services.training_schedule(
        election=k["election"],
        actor=k["cec_member"],
        topic="Подсчёт голосов",
        starts_at=timezone.now() - dt.timedelta(hours=2),
        trainer="Центр обучения ЦИК",
        place="ЦИК",
        commissions=[k["tec"], k["pecs"][0]],
    )
    assert session.attendance.count() == 4  # the TEC chair; the PEC's chair, secretary, member
    from elections.models import OutboxMail

    invited = set(OutboxMail.objects.filter(kind="groups.training_invitation").values_list("to", flat=True))
    assert invited == {"tec@example.org", "pec1001@example.org", "pec-sec@example.org", "pec-mem@example.org"}
    with pytest.raises(PermissionDenied):
        services.training_schedule(
            election=k["election"],
            actor=k["tec_member"],
            topic="X",
            starts_at=timezone.now(),
            trainer="Y",
            place="Z",
            commissions=[k["tec"]],
        )
    tec_chair = CommissionMember.objects.get(commission=k["tec"], user=k["tec_member"])
    services.training_attendance_record(session=session, actor=k["cec_member"], attended_ids=[tec_chair.pk])
    assert work_selectors.trained_member_ids(k["tec"]) == {tec_chair.pk}
    client.force_login(k["tec_member"])
    page = client.get(
        reverse("groups:commission_members", args=[k["election"].slug, k["tec"].pk])
    ).content.decode()
    assert "text-bg-success" in page


def test_the_budget_shows_spending_against_the_estimate_and_flags_over_spending(kg_polling, client):  # noqa: F811
    k = kg_polling
    services.budget_line_save(
        election=k["election"],
        actor=k["cec_member"],
        commission=k["pecs"][0],
        article="printing",
        planned=Decimal("1000"),
    )
    with pytest.raises(ValidationError):  # not in the estimate
        services.spending_record(
            commission=k["pecs"][0],
            actor=k["pec_members"][0],
            article="transport",
            on_date=timezone.localdate(),
            amount=Decimal("10"),
            description="такси",
            document_ref="чек № 1",
        )
    services.spending_record(
        commission=k["pecs"][0],
        actor=k["pec_members"][0],
        article="printing",
        on_date=timezone.localdate(),
        amount=Decimal("1200"),
        description="бланки",
        document_ref="п/п № 15 от 02.12.2016",
    )
    with pytest.raises(PermissionDenied):  # another commission's money
        services.spending_record(
            commission=k["pecs"][0],
            actor=k["pec_members"][1],
            article="printing",
            on_date=timezone.localdate(),
            amount=Decimal("1"),
            description="x",
            document_ref="y",
        )
    report = work_selectors.budget_report(k["election"])
    assert report["over"] == 1 and report["rows"][0]["left"] == Decimal("-200")
    client.force_login(k["cec_member"])
    page = client.get(reverse("groups:budget", args=[k["election"].slug])).content.decode()
    assert "table-danger" in page and "line-form" in page
