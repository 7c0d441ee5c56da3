"""The issue's "done when", through the UI: the secretariat builds the CCM structure (6 groups,
an organising committee, a mandate commission per group) and the KG structure (CEC, 2 TECs,
6 PECs, imported precincts); members declare no conflict of interest; observers apply, are
accredited and get a credential that verifies publicly."""

import pytest
from django.urls import reverse

from accounts.models import Role
from elections.models import Election
from elections.services import election_transition
from groups.models import Commission, CommissionMember, ObserverApplication, TerritorialUnit
from tests.factories import ElectionFactory, user_with_role

from .factories import csv_upload, pdf_upload

GROUPS = [
    ("plhiv", "Люди, живущие с ВИЧ"),
    ("tb", "Люди, затронутые туберкулёзом"),
    ("pwid", "Люди, употребляющие наркотики"),
    ("sw", "Секс-работники"),
    ("msm", "МСМ и ЛГБТ-сообщество"),
    ("ngo", "НПО в сфере ВИЧ и ТБ"),
]

PRECINCTS_CSV = "kind,number,name_ru,parent_number,address,voters_on_list\n" + "\n".join(
    ["district,1,Бишкекский городской округ,,,", "district,2,Чуйский районный округ,,,"]
    + [
        f'precinct,{1000 + i},Участок {1000 + i},{1 if i <= 3 else 2},"адрес {i}",{1000 + 10 * i}'
        for i in range(1, 7)
    ]
)


def _ok(response):
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


def _declare(client, election, email):
    member = CommissionMember.objects.get(commission__election=election, user__email=email)
    client.force_login(member.user)
    _ok(
        client.post(
            reverse("groups:member_declare", args=[election.slug, member.pk]), {f"m{member.pk}-confirm": "on"}
        )
    )


@pytest.mark.django_db
def test_ccm_structure_through_the_ui(client):
    secretariat = user_with_role(Role.SECRETARIAT)
    election = election_transition(election=ElectionFactory(), transition="announce", actor=None)
    slug = election.slug
    client.force_login(secretariat)
    for order, (group_slug, name) in enumerate(GROUPS, start=1):
        _ok(
            client.post(
                reverse("groups:group_create", args=[slug]),
                {"name_ru": name, "slug": group_slug, "seats_members": 1, "seats_alternates": 1,
                 "decision_rule": "plurality", "order": order, "eligibility_ru": "Представители сообщества",
                 "regulations": pdf_upload()},
            )
        )  # fmt: skip
    _ok(
        client.post(
            reverse("groups:commission_create", args=[slug]),
            {"kind": "org_committee", "name_ru": "Оргкомитет"},
        )
    )
    for group in election.groups.all():
        _ok(
            client.post(
                reverse("groups:commission_create", args=[slug]),
                {"kind": "mandate", "name_ru": f"Мандатная комиссия — {group.name_ru}", "group": group.pk},
            )
        )
    assert election.groups.count() == 6
    assert Commission.objects.filter(election=election, kind="mandate").count() == 6
    # each group nominates its representative; the secretariat approves
    client.logout()
    for group in election.groups.all():
        _ok(
            client.post(
                reverse("groups:orgcom_nominate", args=[slug]),
                {
                    "group": group.pk,
                    "full_name": f"Представитель {group.slug}",
                    "email": f"{group.slug}@example.org",
                },
            )
        )
    client.force_login(secretariat)
    committee = Commission.objects.get(election=election, kind="org_committee")
    for nomination in committee.nominations.all():
        _ok(
            client.post(
                reverse("groups:nomination_decide", args=[slug, nomination.pk]), {"decision": "approve"}
            )
        )
    assert committee.nominations.filter(status="approved").count() == 6
    # members of the first group's commission, who then declare no conflict of interest
    mandate = Commission.objects.get(election=election, kind="mandate", group__slug="plhiv")
    for i, position in enumerate(["chair", "secretary", "member"]):
        _ok(
            client.post(
                reverse("groups:member_invite", args=[slug, mandate.pk]),
                {
                    "email": f"m{i}@example.org",
                    "full_name": f"Член {i}",
                    "position": position,
                    "language": "ru",
                },
            )
        )
    for i in range(3):
        _declare(client, election, f"m{i}@example.org")
    assert not CommissionMember.objects.filter(commission=mandate, coi_declared_at=None).exists()


@pytest.mark.django_db
def test_kg_structure_and_international_observers_through_the_ui(client, django_capture_on_commit_callbacks):
    secretariat = user_with_role(Role.SECRETARIAT)
    election = ElectionFactory(kind=Election.Kind.LOCAL_COUNCIL, time_zone="Asia/Bishkek")
    election = election_transition(election=election, transition="announce", actor=None)
    slug = election.slug
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):  # the task reads the file
        _ok(client.post(reverse("groups:unit_import", args=[slug]), {"file": csv_upload(PRECINCTS_CSV)}))
    assert TerritorialUnit.objects.filter(election=election, kind="precinct").count() == 6
    create = reverse("groups:commission_create", args=[slug])
    _ok(client.post(create, {"kind": "cec", "name_ru": "ЦИК"}))
    cec = Commission.objects.get(election=election, kind="cec")
    units = {u.number: u for u in TerritorialUnit.objects.filter(election=election)}
    for district in (1, 2):
        _ok(
            client.post(
                create,
                {"kind": "tec", "name_ru": f"ТИК {district}", "parent": cec.pk, "unit": units[district].pk},
            )
        )
    for number in range(1001, 1007):
        tec = Commission.objects.get(election=election, kind="tec", unit=units[number].parent)
        _ok(
            client.post(
                create,
                {"kind": "pec", "name_ru": f"УИК № {number}", "parent": tec.pk, "unit": units[number].pk},
            )
        )
    assert Commission.objects.filter(election=election, kind="tec").count() == 2
    assert Commission.objects.filter(election=election, kind="pec").count() == 6
    _ok(
        client.post(
            reverse("groups:member_invite", args=[slug, cec.pk]),
            {
                "email": "cec-member@example.org",
                "full_name": "Член ЦИК",
                "position": "member",
                "language": "ru",
            },
        )
    )
    _declare(client, election, "cec-member@example.org")
    # an international observer applies (no account), a CEC member accredits
    client.logout()
    _ok(
        client.post(
            reverse("groups:observer_apply", args=[slug]),
            {"kind": "international", "applicant_type": "person", "name": "Johan Lindqvist",
             "organisation": "ОБСЕ/БДИПЧ", "country": "Швеция", "contact_email": "johan@example.org", "consent": "on"},
        )
    )  # fmt: skip
    application = ObserverApplication.objects.get(election=election)
    client.force_login(CommissionMember.objects.get(commission=cec).user)
    _ok(
        client.post(
            reverse("groups:observer_application", args=[slug, application.pk]),
            {"decision": "accredit", "create_account": "on"},
        )
    )
    application.refresh_from_db()
    client.force_login(application.user)
    credential = client.get(reverse("groups:observer_credential", args=[slug, application.credential_code]))
    assert credential.content.startswith(b"%PDF-")
    client.logout()
    verify = client.get(reverse("groups:observer_verify", args=[slug, application.credential_code]))
    assert 'data-status="valid"' in verify.content.decode() and "Johan Lindqvist" in verify.content.decode()
