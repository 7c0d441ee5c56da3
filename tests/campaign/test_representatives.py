"""Representatives and proxies (seed 003 items 15, 27): recorded by the TEC with the two-day
deadline from the plan, registered with an account, the role and a credential, refused with
reasons, cancelled; the credential's public verification; the pages by role."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.permissions import roles_in
from campaign import services
from campaign.models import Representative
from elections.models import AuditEntry

pytestmark = pytest.mark.django_db


def _receive(k, kind="financial", email="finrep@example.org"):
    return services.representative_receive(
        election=k["election"],
        actor=k["tec_member"],
        kind=kind,
        full_name="Финансов Фин Финович",
        email=email,
        received_at=timezone.now() - dt.timedelta(hours=3),
        party_list=k["party"],
    )


def test_the_tec_registers_a_financial_representative_who_gets_the_role_and_a_credential(kg_campaign, client):
    k = kg_campaign
    rep = _receive(k)
    assert rep.status == "submitted" and rep.commission == k["tec"]
    rep = services.representative_register(representative=rep, actor=k["tec_member"])
    assert rep.status == "registered" and rep.decision.number == 1 and rep.user.email == "finrep@example.org"
    assert Role.PARTY_REPRESENTATIVE in roles_in(rep.user, k["election"])
    client.force_login(k["tec_member"])
    pdf = client.get(reverse("campaign:credential", args=[k["election"].slug, rep.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    client.logout()
    verify = reverse("campaign:verify", args=[k["election"].slug, rep.credential_code])
    assert "Финансов Фин Финович" in client.get(verify).content.decode()
    with pytest.raises(ValidationError):
        services.representative_cancel(representative=rep, actor=k["tec_member"], reasons=" ")
    services.representative_cancel(representative=rep, actor=k["tec_member"], reasons="Отозван партией.")
    page = client.get(verify).content.decode()
    assert "verify-result" in page and ("НЕДЕЙСТВИТЕЛЬН" in page or "NOT VALID" in page)
    from accounts.models import User

    assert Role.PARTY_REPRESENTATIVE not in roles_in(User.objects.get(pk=rep.user_id), k["election"])
    actions = list(
        AuditEntry.objects.filter(action__startswith="campaign.representative").values_list(
            "action", flat=True
        )
    )
    assert actions == [
        "campaign.representative.received",
        "campaign.representative.registered",
        "campaign.representative.cancelled",
    ]


def test_refusals_need_reasons_and_only_the_tec_decides(kg_campaign):
    k = kg_campaign
    rep = _receive(k, kind="election", email="elrep@example.org")
    with pytest.raises((PermissionDenied, ValidationError)):
        services.representative_register(representative=rep, actor=k["pec_members"][0])
    with pytest.raises(ValidationError):
        services.representative_refuse(representative=rep, actor=k["tec_member"], reasons="")
    services.representative_refuse(representative=rep, actor=k["tec_member"], reasons="Нет решения партии.")
    assert Representative.objects.get(pk=rep.pk).status == "refused"
    with pytest.raises(ValidationError):  # an e-mail is needed for an account
        services.representative_receive(
            election=k["election"],
            actor=k["tec_member"],
            kind="election",
            full_name="Без Почты",
            received_at=timezone.now(),
            party_list=k["party"],
        )
    proxy = services.representative_receive(
        election=k["election"],
        actor=k["tec_member"],
        kind="proxy",
        full_name="Доверенное Лицо",
        received_at=timezone.now(),
        party_list=k["party"],
    )
    proxy = services.representative_register(representative=proxy, actor=k["tec_member"])
    assert proxy.user is None and proxy.status == "registered"


def test_the_register_page_for_the_tec_and_the_observer(kg_campaign, client):
    from tests.factories import user_with_role

    k = kg_campaign
    url = reverse("campaign:representatives", args=[k["election"].slug])
    client.force_login(k["tec_member"])
    page = client.get(url).content.decode()
    assert "receive-form" in page and "Зелёная долина" in page
    bad = client.post(
        url,
        {
            "principal": f"l{k['party'].pk}",
            "kind": "financial",
            "full_name": "Х",
            "email": "",
            "received_at": "2030-08-01T10:00",
        },
    )
    assert bad.status_code == 200 and not Representative.objects.exists()
    ok = client.post(
        url,
        {
            "principal": f"l{k['party'].pk}",
            "kind": "financial",
            "full_name": "Финансов Ф.",
            "email": "fin@example.org",
            "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert ok.status_code == 302
    observer = user_with_role(Role.OBSERVER, election=k["election"], email="obs@example.org")
    client.force_login(observer)
    page = client.get(url).content.decode()
    assert "Финансов Ф." in page and "receive-form" not in page
    assert client.post(url, {}).status_code == 403


def test_a_registered_representative_sees_the_partys_list_applications(kg_campaign):
    from candidates.models import Application
    from candidates.selectors import my_applications

    k = kg_campaign
    now = timezone.now()
    app = Application.objects.create(
        election=k["election"],
        unit=k["district"],
        commission=k["tec"],
        nomination="party_list",
        party_list=k["party"],
        list_position=1,
        full_name="Кандидат Списка",
        email="cand@example.org",
        consent_at=now,
        consent_text="согласие",
        received_at=now,
    )
    rep = services.representative_register(
        representative=_receive(k, kind="election", email="el@example.org"), actor=k["tec_member"]
    )
    assert list(my_applications(rep.user, k["election"])) == [app]
    services.representative_cancel(representative=rep, actor=k["tec_member"], reasons="Отозван.")
    assert not my_applications(rep.user, k["election"]).exists()
