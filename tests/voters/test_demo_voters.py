"""The demo voters (``demo.voters.load_voters``): built through the services, idempotent."""

import pytest
from django.core.management import call_command

from accounts.models import Role, User
from demo.voters import load_voters
from elections.audit import verify_chain
from elections.models import AuditEntry, Election
from groups.models import RoleAssignment
from voters import selectors
from voters.models import CorrectionRequest, RegisterEntry, VoterRegistration


def _snapshot():
    return (
        VoterRegistration.objects.count(),
        RegisterEntry.objects.count(),
        CorrectionRequest.objects.count(),
        User.objects.count(),
        RoleAssignment.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.mark.django_db
def test_load_voters_is_idempotent_and_shows_every_case(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    call_command("load_demo")
    ccm = Election.objects.get(slug="ccm-kz-2024")
    kg = Election.objects.get(slug="kg-local-2016")
    users = {u.email: u for u in User.objects.all()}
    accounts = load_voters(ccm, kg, users)
    first = _snapshot()
    assert load_voters(ccm, kg, users) == accounts
    assert _snapshot() == first
    assert [email for email, _name, _label in accounts] == ["pec-1001@demo.example"]
    assert User.objects.get(email="pec-1001@demo.example").has_usable_password()

    statuses = set(VoterRegistration.objects.filter(election=ccm).values_list("status", flat=True))
    assert statuses == {"accepted", "rejected"}  # the waiting ones are decided before the vote (demo.voting)
    kinds = set(VoterRegistration.objects.filter(election=ccm).values_list("kind", flat=True))
    assert kinds == {"person", "organisation"}
    voter = VoterRegistration.objects.get(email="voter@demo.example")
    assert (
        voter.status == "accepted"
        and voter.group.slug == "plhiv"
        and voter.user.email == "voter@demo.example"
    )
    assert RoleAssignment.objects.filter(user=voter.user, role=Role.VOTER, group=voter.group).exists()
    counts = selectors.registration_counts(ccm, voter.group)
    assert counts["total"] == 13 and len(counts["by_region"]) == 8  # with demo.voting's paper registrations
    assert not User.objects.filter(email="g.sarsenova@example.org").exists()  # demo voters get no account

    assert RegisterEntry.objects.filter(election=kg).count() == 300
    assert set(RegisterEntry.objects.filter(election=kg).values_list("precinct__number", flat=True)) == set(
        range(1001, 1007)
    )
    assert all(
        len(p) == 14 and p.isdigit() for p in RegisterEntry.objects.values_list("personal_number", flat=True)
    )
    # the one left waiting here is decided (rejected) before the list is frozen by demo.protocols
    assert set(CorrectionRequest.objects.values_list("status", flat=True)) == {"accepted", "rejected"}
    assert verify_chain().ok
