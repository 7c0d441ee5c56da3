"""The print run (seed 003 item 41): the frozen list plus the reserve norm per precinct, totals
per TEC and in all, the order as CSV and PDF, versions, and who may do it."""

import shutil
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from elections.models import AuditEntry
from polling import services
from polling.models import PrintRun
from polling.printing import quantities, reserve_for
from polling.services import PollingRefused

from .conftest import approve

pytestmark = pytest.mark.django_db


def test_the_cec_calculates_orders_and_records_the_delivery(kg_polling):
    k = kg_polling
    approve(k)
    services.polling_settings_save(
        election=k["election"],
        actor=k["cec_member"],
        reserve_percent=Decimal("1.5"),
        reserve_minimum=5,
        numbered=True,
        turnout_times=["12:00", "14:00", "19:00"],
    )
    run = services.print_run_calculate(election=k["election"], actor=k["cec_member"])
    rows = list(run.rows.order_by("unit__number"))
    assert [(r.voters_on_list, r.reserve, r.total) for r in rows] == [(1000, 15, 1015), (1000, 15, 1015)]
    assert [(r.serial_from, r.serial_to) for r in rows] == [(1, 1015), (1016, 2030)]
    with pytest.raises(PollingRefused, match="типограф|printing house"):
        services.print_run_order(run=run, actor=k["cec_member"], printing_house=" ")
    run = services.print_run_order(run=run, actor=k["cec_member"], printing_house="Учкун")
    with pytest.raises(PollingRefused, match="причин|reason"):
        services.print_run_calculate(election=k["election"], actor=k["cec_member"])
    run = services.print_run_produced(run=run, actor=k["cec_member"])
    assert run.status == "produced" and run.produced_at
    actions = list(AuditEntry.objects.filter(action__startswith="polling.").values_list("action", flat=True))
    assert actions == [
        "polling.settings.saved",
        "polling.print_run.calculated",
        "polling.print_run.ordered",
        "polling.print_run.produced",
    ]
    again = services.print_run_calculate(
        election=k["election"], actor=k["cec_member"], reason="Снят список партии Б"
    )
    assert again.version == 2 and PrintRun.objects.get(pk=run.pk).status == "superseded"


def test_only_the_cec_or_the_secretariat_and_only_from_a_frozen_list(kg_polling):
    k = kg_polling
    with pytest.raises((PollingRefused, PermissionDenied)):
        services.print_run_calculate(election=k["election"], actor=k["tec_member"])
    with pytest.raises((PollingRefused, PermissionDenied)):
        services.print_run_calculate(election=k["election"], actor=k["pec_members"][0])
    from voters.models import VoterSettings

    VoterSettings.objects.filter(election=k["election"]).update(list_frozen_at=None)
    with pytest.raises(PollingRefused, match="(?i)заморозьте|freeze"):
        services.print_run_calculate(election=k["election"], actor=k["cec_member"])
    assert not PrintRun.objects.exists()


def test_turnout_hours_must_lie_within_voting(kg_polling):
    k = kg_polling
    assert services.turnout_times(k["election"]) == ["12:00", "14:00", "16:00", "18:00", "19:00"]
    with pytest.raises(PollingRefused, match="07:00"):
        services.polling_settings_save(
            election=k["election"], actor=k["cec_member"], turnout_times=["07:00", "10:00"]
        )
    with pytest.raises(PollingRefused, match="25:00"):
        services.parse_times("10:00, 25:00")
    assert services.parse_times("9:30 12:00,12:00") == ["09:30", "12:00"]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
def test_the_order_downloads_as_csv_and_pdf_with_the_totals(produced, client, tmp_path):
    from tests.protocols.test_pdf import pdf_text

    k = produced
    client.force_login(k["tec_member"])
    slug = k["election"].slug
    page = client.get(reverse("polling:print_run", args=[slug]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="run-total">2020<' in html and "Изготовлен" in html
    assert "calculate-form" not in html  # the TEC reads; the CEC acts
    csv_text = client.get(reverse("polling:print_run_csv", args=[slug])).content.decode()
    assert csv_text.splitlines()[1].endswith("1001,1000,10,1010,,")
    pdf = client.get(reverse("polling:print_run_pdf", args=[slug]) + "?lang=ru").content
    (tmp_path / "order.pdf").write_bytes(pdf)
    text = pdf_text(tmp_path / "order.pdf")
    assert "2020" in text and "Учкун" in text


@settings(max_examples=200, deadline=None)
@given(
    lists=st.lists(st.tuples(st.integers(1, 3), st.integers(0, 5000)), max_size=30),
    percent=st.decimals(min_value=0, max_value=20, places=1),
    minimum=st.integers(0, 50),
)
def test_quantities_cover_every_list_and_number_without_gaps_or_overlaps(lists, percent, minimum):
    rows = quantities(
        [(contest, i, voters) for i, (contest, voters) in enumerate(lists)],
        reserve_percent=percent,
        reserve_minimum=minimum,
        numbered=True,
    )
    for row, (_contest, voters) in zip(rows, lists, strict=True):
        assert row.total == voters + row.reserve
        assert row.reserve >= minimum and row.reserve >= voters * percent / 100
        assert row.reserve == reserve_for(voters, percent, minimum)
    for contest in {c for c, _v in lists}:
        mine = [r for r in rows if r.contest == contest and r.total]
        numbers = [n for r in mine for n in (r.serial_from, r.serial_to)]
        assert numbers == sorted(numbers)
        expected = 1
        for r in mine:
            assert r.serial_from == expected and r.serial_to - r.serial_from + 1 == r.total
            expected = r.serial_to + 1
