import pytest
from django.core.management import call_command

from accounts.models import Role, RoleAssignment, User
from elections.audit import verify_chain
from elections.models import AuditEntry, Election
from groups.models import Commission, ElectoralGroup


def _snapshot():
    return (
        list(Election.objects.order_by("slug").values_list("slug", "state")),
        ElectoralGroup.objects.count(),
        Commission.objects.count(),
        User.objects.count(),
        RoleAssignment.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.mark.django_db
def test_load_demo_is_idempotent_and_covers_every_role(capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    first = _snapshot()
    call_command("load_demo")
    assert _snapshot() == first
    assert [s for s, _ in first[0]] == ["ccm-kz-2024", "kg-local-2016"]
    assert ElectoralGroup.objects.filter(election__slug="ccm-kz-2024").count() == 6
    held = set(RoleAssignment.objects.values_list("role", flat=True))
    assert held == set(Role.values)
    for user in User.objects.all():
        assert user.email in out
    assert verify_chain().ok
