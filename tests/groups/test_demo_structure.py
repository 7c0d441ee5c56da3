"""demo.structure.load_structure: the structure of both demo elections, idempotent."""

import pytest

from accounts.models import Role, User
from demo import loader
from demo.structure import DEMO_ACCOUNTS, load_structure
from elections.audit import verify_chain
from elections.models import AuditEntry
from groups.models import (
    Commission,
    CommissionMember,
    ObserverApplication,
    OrgCommitteeNomination,
    RoleAssignment,
    TerritorialUnit,
)
from groups.services import role_assign


def _snapshot():
    return tuple(
        model.objects.count()
        for model in (
            User,
            RoleAssignment,
            Commission,
            CommissionMember,
            TerritorialUnit,
            OrgCommitteeNomination,
            ObserverApplication,
            AuditEntry,
        )
    )


@pytest.fixture
def demo_base(db):
    users = {spec.email: loader._user(spec) for spec in loader.USERS}
    role_assign(user=users["secretariat@demo.example"], role=Role.SECRETARIAT, actor=None)
    return loader._ccm(users), loader._kg(users), users


@pytest.mark.django_db
def test_load_structure_builds_both_elections_and_is_idempotent(demo_base):
    ccm, kg, users = demo_base
    load_structure(ccm, kg, users)
    first = _snapshot()
    load_structure(ccm, kg, users)
    assert _snapshot() == first
    assert verify_chain().ok

    assert all(g.eligibility_ru and g.decision_rule == "plurality" for g in ccm.groups.all())
    approved = OrgCommitteeNomination.objects.filter(commission__election=ccm, status="approved")
    assert approved.count() == 6
    assert approved.get(group__slug="plhiv").user.email == "orgcom@demo.example"
    plhiv = Commission.objects.get(election=ccm, group__slug="plhiv", kind="mandate")
    members = CommissionMember.objects.filter(commission=plhiv, is_active=True)
    assert members.count() == 4 and not members.filter(coi_declared_at=None).exists()
    assert members.get(position="chair").user.email == "commission@demo.example"
    ccm_observers = set(ObserverApplication.objects.filter(election=ccm).values_list("status", flat=True))
    assert ccm_observers == {"accredited", "refused", "submitted"}

    assert Commission.objects.filter(election=kg, kind="tec").count() == 2
    pecs = Commission.objects.filter(election=kg, kind="pec").select_related("unit", "parent__unit")
    assert sorted(p.unit.number for p in pecs) == [1001, 1002, 1003, 1004, 1005, 1006]
    assert all(p.unit.parent_id == p.parent.unit_id for p in pecs)
    assert TerritorialUnit.objects.filter(election=kg, kind="district").count() == 2
    international = ObserverApplication.objects.filter(election=kg, kind="international")
    assert international.filter(status="accredited").count() == 2
    assert international.filter(status="submitted").count() == 1
    created = {email for email, _name, _label in DEMO_ACCOUNTS}
    assert created <= set(User.objects.values_list("email", flat=True))
    assert all(User.objects.get(email=e).check_password(loader.DEMO_PASSWORD) for e in created)
