import pytest
from django.core.management import call_command

from accounts.models import Role, RoleAssignment, User
from ballots.models import Ballot, Contest, ContestOption, LateAttempt, PaperTally, Participation
from ballots.selectors import paper_batches
from candidates.models import Application
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
        Contest.objects.count(),
        ContestOption.objects.count(),
        Ballot.objects.count(),
        Participation.objects.count(),
        PaperTally.objects.count(),
        LateAttempt.objects.count(),
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


@pytest.mark.django_db
def test_ccm_demo_has_voted_and_stands_at_counting(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    call_command("load_demo")
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
