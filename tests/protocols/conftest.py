"""Elections at the counting stage, built through the real services, for protocol tests.

* ``counted`` — a CCM group (the ``vote`` fixture): three voters, two online ballots and one late
  attempt, voting closed; a counting commission of three members who declared no conflict of
  interest (``members``: chair, secretary, member; password ``PASSWORD``).
* ``kg_counting`` — a local-council election: one district (the council, a party-list contest with
  "against all"), two precincts with PECs under a TEC and the CEC, one signing member each.
"""

import pytest
from freezegun import freeze_time

from accounts.models import Role
from ballots import services as ballot_services
from elections.services import election_transition
from tests.ballots.fixtures import AFTER, OPEN
from tests.factories import PASSWORD, user_with_role

from .pdf_fixtures import pair, portal, signed  # noqa: F401 - fixtures of the PDF tests


def commission_member(commission, email, position="member", full_name=""):
    from groups.models import CommissionMember
    from groups.services import member_declare_coi

    user = user_with_role(
        Role.COMMISSION_MEMBER,
        commission=commission,
        position=position,
        email=email,
        full_name=full_name or email.split("@")[0].title(),
    )
    member = CommissionMember.objects.filter(commission=commission, user=user).first()
    if member is None:
        member = CommissionMember.objects.create(commission=commission, user=user, position=position)
    member_declare_coi(member=member, actor=user)
    return user


@pytest.fixture
def counted(vote):
    commission = vote["commission"]
    users = [
        commission_member(commission, "chair@example.org", "chair", "Асанова Гульмира"),
        commission_member(commission, "secretary@example.org", "secretary", "Бекова Сауле"),
        commission_member(commission, "member@example.org", "member", "Волков Иван"),
    ]
    with freeze_time(OPEN):
        ballot_services.ballot_cast(credential=vote["credentials"][0], choices=[vote["alpha"].code])
        ballot_services.ballot_cast(credential=vote["credentials"][1], choices=[vote["alpha"].code])
    with freeze_time(AFTER):
        with pytest.raises(ballot_services.VotingRefused):
            ballot_services.ballot_cast(credential=vote["credentials"][2], choices=[vote["beta"].code])
        election = election_transition(election=vote["election"], transition="close_voting", actor=None)
    return {**vote, "election": election, "members": users, "password": PASSWORD}


@pytest.fixture
def kg_counting(db):
    from ballots.models import Contest, ContestOption
    from groups.models import Commission, TerritorialUnit
    from tests.factories import CommissionFactory, ElectionFactory

    election = ElectionFactory(slug="kg-test", kind="local_council", time_zone="Asia/Bishkek")
    district = TerritorialUnit.objects.create(
        election=election, kind="district", number=1, name_ru="Бишкекский городской кенеш"
    )
    precincts = [
        TerritorialUnit.objects.create(
            election=election,
            kind="precinct",
            parent=district,
            number=1000 + n,
            name_ru=f"Участок {1000 + n}",
            voters_on_list=1000,
        )
        for n in (1, 2)
    ]
    cec = CommissionFactory(election=election, kind=Commission.Kind.CEC, name_ru="ЦИК")
    tec = CommissionFactory(election=election, kind="tec", parent=cec, unit=district, name_ru="ТИК")
    pecs = [
        CommissionFactory(election=election, kind="pec", parent=tec, unit=p, name_ru=f"УИК {p.number}")
        for p in precincts
    ]
    contest = ballot_services.contest_save(
        election=election,
        actor=None,
        unit=district,
        title_ru="Выборы депутатов городского кенеша",
        method="dhondt",
        seats=5,
        alternates=0,
        max_choices=1,
        has_against_all=True,
    )
    options = [
        ContestOption.objects.create(contest=contest, kind="party_list", label_ru=name, position=n)
        for n, name in enumerate(["Партия А", "Партия Б"])
    ]
    options.append(
        ContestOption.objects.create(contest=contest, kind="against_all", label_ru="Против всех", position=2)
    )
    for name in ("announce", "open_registration", "open_voting"):
        election = election_transition(election=election, transition=name, actor=None)
    with freeze_time(AFTER):
        election = election_transition(election=election, transition="close_voting", actor=None)
    contest = Contest.objects.select_related("election").get(pk=contest.pk)  # at the counting stage now
    return {
        "election": election,
        "district": district,
        "precincts": precincts,
        "cec": cec,
        "tec": tec,
        "pecs": pecs,
        "contest": contest,
        "options": options,
        "pec_members": [commission_member(p, f"pec{p.unit.number}@example.org", "chair") for p in pecs],
        "tec_member": commission_member(tec, "tec@example.org", "chair"),
        "cec_member": commission_member(cec, "cec@example.org", "chair"),
        "password": PASSWORD,
    }
