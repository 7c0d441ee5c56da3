"""Election funds and their three reports (seed 003 items 36, 38): the deadlines from the plan,
rows entered and imported, forbidden donors and caps flagged, the TEC's decision, the review,
the public summary."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from campaign import services
from campaign.models import FundEntry, FundReport
from groups.models import CommissionMember

pytestmark = pytest.mark.django_db


def _fund(k):
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
    fund = services.fund_open(
        election=k["election"],
        actor=rep.user,
        bank="Айыл Банк",
        account="1240020001",
        opened_on=timezone.localdate() - dt.timedelta(days=5),
        party_list=k["party"],
    )
    return rep.user, fund


def _row(**kw):
    base = {
        "direction": "income",
        "on_date": timezone.localdate().isoformat(),
        "amount": "50000",
        "counterparty": "Асанов Б.",
        "donor_kind": "person",
        "donor_id": "21001199000123",
        "purpose": "взнос",
    }
    return {**base, **kw}


def test_the_financial_representative_reports_and_the_tec_decides_on_a_flagged_contribution(kg_campaign):
    k = kg_campaign
    finrep, fund = _fund(k)
    assert [r.kind for r in fund.reports.order_by("pk")] == ["first", "before", "final"]
    first = fund.reports.get(kind="first")
    services.fund_entry_add(report=first, actor=finrep, row=_row())
    flagged = services.fund_entry_add(report=first, actor=finrep, row=_row(amount="60000"))  # 110,000 > cap
    assert (
        flagged.verdict == "pending"
        and "100000" in flagged.flag_texts[0]
        and "21001199000123" not in flagged.flag_texts[0]
    )
    foreign = services.fund_entry_add(
        report=first, actor=finrep, row=_row(donor_kind="foreign", donor_id="X1", counterparty="Foreign Ltd")
    )
    assert foreign.flags
    services.fund_entry_add(
        report=first,
        actor=finrep,
        row=_row(
            direction="expense", donor_kind="", amount="20000", counterparty="Типография", purpose="листовки"
        ),
    )
    with pytest.raises(ValidationError):
        services.fund_entry_add(report=first, actor=finrep, row=_row(amount="-5"))
    with pytest.raises(PermissionDenied):
        services.fund_entry_add(report=first, actor=k["tec_member"], row=_row())
    with pytest.raises(ValidationError):  # the second before the first
        services.fund_report_submit(report=fund.reports.get(kind="before"), actor=finrep)
    services.fund_report_submit(report=first, actor=finrep)
    with pytest.raises(ValidationError):
        services.fund_entry_add(report=first, actor=finrep, row=_row())
    with pytest.raises(ValidationError, match="(?i)каждому|every"):
        services.fund_report_review(report=first, actor=k["tec_member"], note="Замечаний нет.")
    chair = CommissionMember.objects.get(commission=k["tec"], user=k["tec_member"])
    decision = services.fund_entry_decide(
        entry=flagged,
        actor=k["tec_member"],
        verdict="return",
        reasons="Превышен предельный размер взноса гражданина.",
        votes={chair.pk: "for"},
    )
    assert decision.is_adopted and FundEntry.objects.get(pk=flagged.pk).verdict == "return"
    services.fund_entry_decide(
        entry=foreign,
        actor=k["tec_member"],
        verdict="to_budget",
        reasons="Иностранный источник.",
        votes={chair.pk: "for"},
    )
    report = services.fund_report_review(
        report=first, actor=k["tec_member"], note="Два взноса возвращены/перечислены."
    )
    assert report.status == "reviewed"


def test_a_csv_import_is_all_or_nothing_and_names_the_line(kg_campaign):
    k = kg_campaign
    finrep, fund = _fund(k)
    first = fund.reports.get(kind="first")
    today = timezone.localdate().isoformat()
    good = f"direction,on_date,amount,counterparty,donor_kind,donor_id,purpose\nincome,{today},1000,Б,person,1,взнос\n"
    bad = good + f"income,{today},abc,В,person,2,взнос\n"
    with pytest.raises(ValidationError, match="3"):
        services.fund_entries_import(report=first, actor=finrep, content=bad)
    assert not FundEntry.objects.exists()
    assert len(services.fund_entries_import(report=first, actor=finrep, content=good)) == 1


def test_the_public_summary_shows_submitted_reports_and_never_a_donors_number(kg_campaign, client):
    k = kg_campaign
    finrep, fund = _fund(k)
    first = fund.reports.get(kind="first")
    services.fund_entry_add(report=first, actor=finrep, row=_row())
    url = reverse("campaign:fund", args=[k["election"].slug, fund.pk])
    assert "Асанов Б." not in client.get(url).content.decode()  # a draft is not public
    services.fund_report_submit(report=first, actor=finrep)
    page = client.get(url).content.decode()
    assert "Асанов Б." in page and "21001199000123" not in page
    listing = client.get(reverse("campaign:funds", args=[k["election"].slug])).content.decode()
    assert "Зелёная долина" in listing and "50000" in listing
    assert FundReport.objects.get(pk=first.pk).on_time in (True, None)
    assert Decimal("50000") == first.entries.get().amount


def test_the_secretariat_sets_the_rules_and_the_cecs_audit_group_concludes(kg_campaign, client):
    from accounts.models import Role
    from tests.factories import user_with_role

    k = kg_campaign
    secretariat = user_with_role(Role.SECRETARIAT, election=k["election"], email="sec@example.org")
    client.force_login(secretariat)
    url = reverse("campaign:funds", args=[k["election"].slug])
    bad = client.post(url, {"action": "rules", "cap_person": "-1"})
    assert bad.status_code == 200
    ok = client.post(url, {"action": "rules", "cap_person": "50000", "forbidden": ["anonymous"]})
    assert ok.status_code == 302
    from campaign.models import FundRules

    rules = FundRules.objects.get(election=k["election"])
    assert rules.cap_person == Decimal("50000") and rules.forbidden == ["anonymous"]
    finrep, fund = _fund(k)
    first = fund.reports.get(kind="first")
    services.fund_entry_add(report=first, actor=finrep, row=_row(amount="1000"))
    services.fund_report_submit(report=first, actor=finrep)
    report = services.fund_report_review(report=first, actor=k["cec_member"], note="Проверено КРГ при ЦИК.")
    assert report.status == "reviewed" and report.reviewed_by == k["cec_member"]
