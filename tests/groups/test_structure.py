"""Electoral groups (regulations, decision rule, eligibility) and the commission hierarchy."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from elections.models import AuditEntry
from elections.services import election_transition
from groups import services
from groups.models import Commission, DecisionRule

from .factories import PNG_BYTES, PrecinctFactory, kg_hierarchy, pdf_upload, read


@pytest.mark.django_db
def test_secretariat_builds_a_group_with_regulations_through_the_ui(client, structure):
    election = structure["election"]
    client.force_login(structure["users"]["secretariat"])
    response = client.post(
        reverse("groups:group_create", args=[election.slug]),
        {
            "name_ru": "Люди, живущие с ВИЧ",
            "name_en": "People living with HIV",
            "slug": "plhiv",
            "eligibility_ru": "Кандидат — человек, живущий с ВИЧ.",
            "seats_members": 1,
            "seats_alternates": 1,
            "decision_rule": "plurality",
            "order": 1,
            "regulations": pdf_upload(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    group = election.groups.get(slug="plhiv")
    assert group.decision_rule == DecisionRule.PLURALITY
    assert group.regulations.name.startswith(
        f"regulations/{election.pk}/"
    ) and group.regulations.name.endswith(".pdf")
    entry = AuditEntry.objects.get(action="groups.group.created", object_id=str(group.pk))
    assert len(entry.data["regulations_sha256"]) == 64
    election_transition(election=election, transition="announce", actor=None)
    client.logout()
    download = client.get(reverse("groups:group_regulations", args=[election.slug, "plhiv"]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert read(download).startswith(b"%PDF-")
    page = client.get(reverse("groups:group_detail", args=[election.slug, "plhiv"])).content.decode()
    assert "Кандидат — человек, живущий с ВИЧ." in page and 'id="regulations-link"' in page


@pytest.mark.django_db
def test_regulations_must_be_a_pdf_by_content_not_by_name(client, structure):
    election = structure["election"]
    client.force_login(structure["users"]["secretariat"])
    response = client.post(
        reverse("groups:group_edit", args=[election.slug, "a"]),
        {"name_ru": "Группа А", "slug": "a", "seats_members": 1, "seats_alternates": 1, "order": 0,
         "decision_rule": "plurality", "regulations": pdf_upload("fake.pdf", PNG_BYTES)},
    )  # fmt: skip
    assert response.status_code == 200
    assert "regulations" in response.context["form"].errors
    with pytest.raises(ValidationError):
        services.group_update(
            group=structure["group_a"], actor=None, regulations=pdf_upload("x.pdf", b"<html>")
        )


@pytest.mark.django_db
def test_regulations_size_limit(structure, monkeypatch):
    from elections import files

    monkeypatch.setattr(files, "MAX_DOCUMENT_BYTES", 10)
    with pytest.raises(ValidationError) as exc:
        services.group_update(group=structure["group_a"], actor=None, regulations=pdf_upload())
    assert exc.value.error_dict["regulations"][0].code == "too_large"


@pytest.mark.django_db
def test_rules_of_the_vote_are_fixed_once_voting_opened(structure):
    from tests.factories import open_voting

    election = open_voting(structure["election"])
    assert election.state == "voting"
    group = structure["group_a"]
    with pytest.raises(ValidationError) as exc:
        services.group_update(group=group, actor=None, decision_rule=DecisionRule.STV_MEEK)
    assert "decision_rule" in exc.value.error_dict
    updated = services.group_update(group=group, actor=None, description_ru="Уточнённое описание")
    assert updated.description_ru == "Уточнённое описание"


@pytest.mark.django_db
def test_group_changes_need_the_secretariat(structure):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.group_update(
            group=structure["group_a"], actor=structure["users"]["org_committee_a"], order=3
        )


@pytest.mark.django_db
def test_commission_hierarchy_pec_tec_cec(election):
    h = kg_hierarchy(election)
    assert h["pec"].parent == h["tec"] and h["tec"].parent == h["cec"]
    with pytest.raises(ValidationError) as exc:
        services.commission_create(election=election, actor=None, kind="cec", name_ru="Вторая ЦИК")
    assert "kind" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.commission_create(election=election, actor=None, kind="pec", name_ru="УИК", parent=h["cec"])
    assert "parent" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.commission_create(election=election, actor=None, kind="tec", name_ru="ТИК без ЦИК")
    assert "parent" in exc.value.error_dict
    with pytest.raises(ValidationError) as exc:
        services.commission_create(
            election=election, actor=None, kind="tec", name_ru="ТИК", parent=h["cec"], unit=h["precinct"]
        )
    assert "unit" in exc.value.error_dict


@pytest.mark.django_db
def test_a_pec_serves_a_precinct_of_its_tec_district(election):
    h = kg_hierarchy(election)
    elsewhere = PrecinctFactory(election=election, number=2001, parent__number=2)
    with pytest.raises(ValidationError) as exc:
        services.commission_create(
            election=election, actor=None, kind="pec", name_ru="УИК 2001", parent=h["tec"], unit=elsewhere
        )
    assert "unit" in exc.value.error_dict


@pytest.mark.django_db
def test_a_custom_commission_cannot_report_to_its_own_subordinate(election):
    top = services.commission_create(election=election, actor=None, kind="custom", name_ru="Рабочая группа")
    sub = services.commission_create(
        election=election, actor=None, kind="custom", name_ru="Подгруппа", parent=top
    )
    with pytest.raises(ValidationError) as exc:
        services.commission_update(commission=top, actor=None, parent=sub)
    assert "parent" in exc.value.error_dict


@pytest.mark.django_db
def test_secretariat_forms_the_kg_hierarchy_through_the_ui(client, structure):
    election = structure["election"]
    client.force_login(structure["users"]["secretariat"])
    url = reverse("groups:commission_create", args=[election.slug])
    assert client.post(url, {"kind": "cec", "name_ru": "ЦИК"}).status_code == 302
    cec = Commission.objects.get(election=election, kind="cec")
    response = client.post(url, {"kind": "tec", "name_ru": "ТИК"})
    assert response.status_code == 200 and "parent" in response.context["form"].errors
    assert client.post(url, {"kind": "tec", "name_ru": "ТИК", "parent": cec.pk}).status_code == 302
    detail = client.get(reverse("groups:commission_detail", args=[election.slug, cec.pk])).content.decode()
    assert 'id="children"' in detail and "ТИК" in detail
