"""demo.candidates.load_candidates: candidates at every stage in both demo elections, idempotent."""

import pytest

from accounts.models import Role, User
from candidates.models import Application, PartyList
from candidates.selectors import ballot_candidates
from demo import loader
from demo.candidates import DEMO_ACCOUNTS, load_candidates
from elections.audit import verify_chain
from elections.models import AuditEntry, Decision, Election
from groups.models import RoleAssignment, TerritorialUnit


def _snapshot():
    return tuple(
        model.objects.count()
        for model in (User, RoleAssignment, Application, PartyList, Decision, AuditEntry)
    )


@pytest.mark.django_db
def test_load_candidates_covers_every_stage_and_is_idempotent(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    loader.load_demo()
    users = {u.email: u for u in User.objects.all()}
    ccm, kg = Election.objects.get(slug="ccm-kz-2024"), Election.objects.get(slug="kg-local-2016")
    accounts = load_candidates(ccm, kg, users)
    first = _snapshot()
    assert load_candidates(ccm, kg, users) == accounts
    assert _snapshot() == first
    assert verify_chain().ok

    plhiv = Application.objects.filter(election=ccm, group__slug="plhiv")
    # the applications left undecided here are decided before the vote by demo.voting
    assert set(plhiv.values_list("status", flat=True)) == {"admitted", "refused", "withdrawn"}
    assert plhiv.get(email="candidate@demo.example").status == "admitted"
    assert all(a.refusal_reason for a in plhiv.filter(status="refused"))
    assert Application.objects.filter(election=ccm, group__slug="tb", status="admitted").count() == 2
    # the mandate commission numbers all its decisions (candidates and voters) 1, 2, 3 … in a year
    mandate = plhiv.first().commission
    decisions = Decision.objects.filter(body_key=f"groups.commission:{mandate.pk}", is_adopted=True)
    for year in set(decisions.values_list("year", flat=True)):
        numbers = list(decisions.filter(year=year).order_by("number").values_list("number", flat=True))
        assert numbers == list(range(1, len(numbers) + 1))
    assert (
        Decision.objects.filter(
            body_key=f"groups.commission:{mandate.pk}", is_adopted=True, kind__startswith="candidate_"
        ).count()
        == 6
    )

    bishkek = TerritorialUnit.objects.get(election=kg, kind="district", number=1)
    assert PartyList.objects.filter(election=kg, unit=bishkek).count() == 3
    horizon = PartyList.objects.get(election=kg, party_name="Новый горизонт")
    assert list(horizon.candidates.order_by("list_position").values_list("list_position", flat=True)) == [
        1,
        2,
        3,
        4,
    ]
    aiyl = TerritorialUnit.objects.get(election=kg, kind="district", number=3)
    statuses = set(Application.objects.filter(unit=aiyl).values_list("status", flat=True))
    assert statuses == {"admitted", "refused", "withdrawn", "cancelled"}
    assert all(a.nomination == "self" for a in Application.objects.filter(unit=aiyl))
    # who left after the ballot was approved (26 Nov) stays on the ballot, marked in the results
    on_ballot = ballot_candidates(kg, aiyl)
    late = {a.full_name: a.status for a in on_ballot if not a.is_standing}
    assert late == {"Кубан Джунусов": "withdrawn", "Руслан Осмоналиев": "cancelled"}
    assert all(a.left_after_ballot_approval for a in on_ballot if not a.is_standing)
    # the party-list candidate who withdrew before the approval is off the ballot
    assert "Назгуль Эрмекова" not in [a.full_name for a in ballot_candidates(kg, bishkek)]

    held = set(RoleAssignment.objects.values_list("role", flat=True))
    assert Role.PARTY_REPRESENTATIVE in held and Role.CANDIDATE in held
    created = {email for email, _name, _label in DEMO_ACCOUNTS}
    assert created <= set(User.objects.values_list("email", flat=True))
    assert all(User.objects.get(email=e).check_password(loader.DEMO_PASSWORD) for e in created)
