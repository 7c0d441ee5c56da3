"""Admin entries: open to the secretariat; group, unit and commission edits go through the
services (audited); members, nominations and observer applications are read-only there."""

import pytest
from django.urls import reverse

from elections.models import AuditEntry


@pytest.mark.django_db
def test_admin_lists_and_forms_open_for_the_secretariat(client, built):
    client.force_login(built["users"]["secretariat"])
    for model in (
        "electoralgroup",
        "territorialunit",
        "commission",
        "commissionmember",
        "orgcommitteenomination",
        "observerapplication",
    ):
        assert client.get(reverse(f"admin:groups_{model}_changelist")).status_code == 200, model
    assert (
        client.get(reverse("admin:groups_electoralgroup_change", args=[built["group_a"].pk])).status_code
        == 200
    )
    assert client.get(reverse("admin:groups_observerapplication_add")).status_code == 403
    client.force_login(built["users"]["org_committee_a"])
    assert client.get(reverse("admin:groups_commissionmember_changelist")).status_code == 302


@pytest.mark.django_db
def test_admin_edits_go_through_the_services(client, built):
    client.force_login(built["users"]["secretariat"])
    unit = built["precinct"]
    url = reverse("admin:groups_territorialunit_change", args=[unit.pk])
    data = {
        "election": built["election"].pk,
        "kind": unit.kind,
        "parent": unit.parent_id,
        "number": unit.number,
        "name_ru": unit.name_ru,
        "name_en": "",
        "address": unit.address,
        "voters_on_list": 1777,
    }
    assert client.post(url, data).status_code == 302
    unit.refresh_from_db()
    assert unit.voters_on_list == 1777
    entry = AuditEntry.objects.filter(action="groups.unit.updated").latest("seq")
    assert entry.data["changed"] == {"voters_on_list": [1500, 1777]}


@pytest.mark.django_db
def test_role_assignments_in_the_admin_list_and_on_the_users_page(client, built):
    """Role assignments moved to groups (issue 17); the admin keeps its list of them and the
    inline on each user's page (added to accounts' user admin by groups)."""
    client.force_login(built["users"]["secretariat"])
    listing = client.get(reverse("admin:groups_roleassignment_changelist"))
    assert listing.status_code == 200
    assert str(built["users"]["commission_a"]) in listing.content.decode()
    page = client.get(reverse("admin:accounts_user_change", args=[built["users"]["commission_a"].pk]))
    assert page.status_code == 200
    assert 'name="role_assignments-TOTAL_FORMS"' in page.content.decode()
    client.force_login(built["users"]["org_committee_a"])
    assert client.get(reverse("admin:groups_roleassignment_changelist")).status_code == 302
