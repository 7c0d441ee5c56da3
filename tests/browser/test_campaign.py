"""The campaign in the browser (issue 20): a party's financial representative files the fund's
three reports (a row typed, rows imported from a CSV file, a flagged contribution shown), and a
territorial commission registers a representative (with the credential) and a campaign event —
with wrong input refused on the way. The election's plan is kg-local-2016 with voting on 17 August
2030, so every report is filed before its deadline."""

import datetime as dt

from django.utils import timezone

from campaign import services
from campaign.models import CampaignEvent, FundReport, Representative
from tests.campaign.conftest import kg_campaign  # noqa: F401 - fixtures
from tests.polling.conftest import kg_polling  # noqa: F401

from .setup import PASSWORD


def _plan(k):
    from elections.models import PlanTemplate
    from elections.services.calendar import calendar_start, load_builtin_templates

    load_builtin_templates()
    calendar_start(
        election=k["election"],
        template=PlanTemplate.objects.get(slug="kg-local-2016"),
        anchors={"voting_day": dt.date(2030, 8, 17), "decision_published": dt.date(2030, 7, 4)},
        actor=None,
    )


def test_a_financial_representative_files_the_three_reports(portal, kg_campaign, tmp_path):  # noqa: F811
    k = kg_campaign
    _plan(k)
    rep = services.representative_receive(
        election=k["election"],
        actor=k["tec_member"],
        kind="financial",
        full_name="Финансов Фин",
        email="finrep@example.org",
        received_at=timezone.now(),
        party_list=k["party"],
    )
    rep = services.representative_register(representative=rep, actor=k["tec_member"])
    rep.user.set_password(PASSWORD)
    rep.user.save()
    slug, page = k["election"].slug, portal.page
    portal.login("finrep@example.org", PASSWORD)
    portal.goto(f"/en/elections/{slug}/campaign/funds/")
    form = page.locator("#fund-open-form")
    form.locator("#id_bank").fill("Айыл Банк")
    form.locator("#id_account").fill("1240020001")
    form.locator("#id_opened_on").fill(timezone.localdate().isoformat())
    form.get_by_role("button", name="Record the fund").click()
    page.wait_for_load_state()
    fund_path = "/" + page.url.split("/", 3)[3]
    today = timezone.localdate().isoformat()
    first = page.locator("#report-first")
    first.locator("summary", has_text="Add a row").click()
    first.locator(f"[name=r{FundReport.objects.get(kind='first').pk}-amount]").fill("-5")
    first.get_by_role("button", name="Add the row").click()
    page.wait_for_load_state()
    assert FundReport.objects.get(kind="first").entries.count() == 0
    report_pk = FundReport.objects.get(kind="first").pk
    first = page.locator("#report-first")
    if not first.locator(f"[name=r{report_pk}-amount]").is_visible():
        first.locator("summary", has_text="Add a row").click()
    first.locator(f"[name=r{report_pk}-direction]").select_option("income")
    first.locator(f"[name=r{report_pk}-on_date]").fill(today)
    first.locator(f"[name=r{report_pk}-amount]").fill("120000")
    first.locator(f"[name=r{report_pk}-counterparty]").fill("Исаков Марат")
    first.locator(f"[name=r{report_pk}-donor_kind]").select_option("person")
    first.locator(f"[name=r{report_pk}-donor_id]").fill("22001198000111")
    first.get_by_role("button", name="Add the row").click()
    page.wait_for_load_state()
    assert "more than the cap" in page.locator("#report-first").inner_text()
    csv_file = tmp_path / "rows.csv"
    csv_file.write_text(
        f"direction,on_date,amount,counterparty,donor_kind,donor_id,purpose\n"
        f"expense,{today},45000,Принт Экспресс,,,листовки\n",
        encoding="utf-8",
    )
    first = page.locator("#report-first")
    first.locator("summary", has_text="Add rows from a CSV file").click()
    first.locator("input[type=file]").set_input_files(str(csv_file))
    first.get_by_role("button", name="Import").click()
    page.wait_for_load_state()
    assert FundReport.objects.get(kind="first").entries.count() == 2
    for kind in ("first", "before", "final"):
        section = page.locator(f"#report-{kind}")
        section.locator("input[type=checkbox][name$=confirm]").check()
        section.get_by_role("button", name="Submit the report").click()
        page.wait_for_load_state()
    reports = {r.kind: r for r in FundReport.objects.all()}
    assert all(r.status == "submitted" and r.on_time for r in reports.values())
    portal.shots(fund_path, "campaign-fund")


def test_a_tec_registers_a_representative_and_an_event(portal, kg_campaign):  # noqa: F811
    k = kg_campaign
    _plan(k)
    k["tec_member"].set_password(PASSWORD)
    k["tec_member"].save()
    slug, page = k["election"].slug, portal.page
    portal.login("tec@example.org", PASSWORD)
    portal.goto(f"/en/elections/{slug}/campaign/representatives/")
    form = page.locator("#receive-form")
    form.locator("#id_principal").select_option(f"l{k['party'].pk}")
    form.locator("#id_kind").select_option("election")
    form.locator("#id_full_name").fill("Осмонова Чынара")
    form.locator("#id_received_at").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    form.get_by_role("button", name="Record the documents").click()
    page.wait_for_load_state()
    assert "e-mail" in page.locator(".alert-danger").inner_text() and not Representative.objects.exists()
    page.locator("#receive-form #id_email").fill("osmonova@example.org")
    page.locator("#receive-form").get_by_role("button", name="Record the documents").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Register").click()  # not confirmed: refused, nothing changes
    page.wait_for_load_state()
    assert Representative.objects.get().status == "submitted"
    page.locator("#decide-form #id_confirm").check()
    page.get_by_role("button", name="Register").click()
    page.wait_for_load_state()
    rep = Representative.objects.get()
    assert rep.status == "registered" and page.locator("#credential-link").count() == 1
    portal.shots(f"/en/elections/{slug}/campaign/representatives/{rep.pk}/", "campaign-representative")
    portal.goto(f"/en/elections/{slug}/campaign/events/")
    event = page.locator("#event-form")
    event.locator("#id_organiser").fill("Зелёная долина")
    event.locator("#id_kind").select_option("meeting")
    event.locator("#id_place").fill("ДК «Ала-Тоо»")
    event.locator("#id_starts_at").fill("2030-08-17T10:00")  # voting day: outside the campaign period
    event.locator("#id_ends_at").fill("2030-08-17T12:00")
    event.locator("#id_expected").fill("150")
    event.get_by_role("button", name="Record the event").click()
    page.wait_for_load_state()
    assert "outside" in page.locator(".alert-danger").inner_text() and not CampaignEvent.objects.exists()
    page.locator("#event-form #id_starts_at").fill("2030-08-10T18:00")
    page.locator("#event-form #id_ends_at").fill("2030-08-10T20:00")
    page.locator("#event-form").get_by_role("button", name="Record the event").click()
    page.wait_for_load_state()
    assert CampaignEvent.objects.get().place == "ДК «Ала-Тоо»"
    portal.shots(f"/en/elections/{slug}/campaign/events/", "campaign-events")
