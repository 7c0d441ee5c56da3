import pytest

from accounts.models import Role, User
from ballots.models import Ballot, Contest, ContestOption, LateAttempt, PaperTally, Participation
from ballots.selectors import paper_batches
from candidates.models import Application
from elections.audit import verify_chain
from elections.models import AuditEntry, Election
from groups.models import Commission, CommissionMember, ElectoralGroup, RoleAssignment, TerritorialUnit
from protocols.models import (
    Complaint,
    ContestCount,
    PreliminaryResult,
    Protocol,
    ProtocolDocument,
    ProtocolSignature,
)

from .conftest import load_demo_capturing

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        list(Election.objects.order_by("slug").values_list("slug", "state")),
        ElectoralGroup.objects.count(),
        Commission.objects.count(),
        CommissionMember.objects.count(),
        TerritorialUnit.objects.count(),
        User.objects.count(),
        RoleAssignment.objects.count(),
        AuditEntry.objects.count(),
        Contest.objects.count(),
        ContestOption.objects.count(),
        Ballot.objects.count(),
        Participation.objects.count(),
        PaperTally.objects.count(),
        LateAttempt.objects.count(),
        list(Protocol.objects.order_by("pk").values_list("pk", "status", "version", "transmission")),
        ProtocolSignature.objects.count(),
        list(ProtocolDocument.objects.order_by("pk").values_list("pk", "sha256")),
        PreliminaryResult.objects.count(),
        Complaint.objects.count(),
        ContestCount.objects.count(),
    )


def test_load_demo_is_idempotent_and_covers_every_role(demo):
    first = _snapshot()
    assert first[14] and first[16]  # protocols and their documents are there to compare
    again = load_demo_capturing()  # the PDF tasks it would queue are run too
    assert _snapshot() == first
    assert again == demo["out"]
    assert [s for s, _ in first[0]] == ["ccm-kz-2024", "kg-local-2016"]
    assert ElectoralGroup.objects.filter(election__slug="ccm-kz-2024").count() == 6
    held = set(RoleAssignment.objects.values_list("role", flat=True))
    assert held == set(Role.values)
    for user in User.objects.all():
        assert user.email in demo["out"]
    assert verify_chain().ok


def test_ccm_demo_has_voted_and_stands_at_counting(demo):
    ccm = Election.objects.get(slug="ccm-kz-2024")
    assert ccm.state == Election.State.COUNTING
    assert not Application.objects.filter(election=ccm, status__in=Application.UNDECIDED).exists()
    contests = Contest.objects.filter(election=ccm)
    assert sorted(contests.values_list("group__slug", flat=True)) == sorted(
        ["plhiv", "tb", "pwid", "sw", "msm", "ngo"]
    )
    for contest in contests:
        assert contest.is_locked
        assert contest.options.filter(kind="candidate").count() >= 2, contest.title_ru
        assert Ballot.objects.filter(contest=contest, channel="online").exists(), contest.title_ru
    plhiv = contests.get(group__slug="plhiv")
    # online ballots with receipts, the assembly's paper batches double-entered and matching,
    # an invalid ballot, a late paper ballot and a late online attempt
    assert Ballot.objects.filter(contest=plhiv, channel="online").count() == 10
    assert Participation.objects.filter(contest=plhiv, channel="assembly").count() == 3
    batches = paper_batches(plhiv)
    assert len(batches) == 2 and all(b["status"] == "counted" for b in batches), batches
    assert sum(t.invalid for t in PaperTally.objects.filter(contest=plhiv)) == 2  # one ballot, entered twice
    assert Ballot.objects.filter(contest=plhiv, status="late").count() == 1
    assert LateAttempt.objects.filter(contest=plhiv).count() == 1
    assert verify_chain().ok
