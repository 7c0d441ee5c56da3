"""A local-council election before voting, for the ballot papers and the voting day.

``kg_polling``: one district (a party-list council with "against all") with two precincts of 1,000
voters each under a TEC and the CEC; the final list frozen; the CEC, the TEC and each PEC have a
chair (PEC 1 also a secretary and a member: three members to take the mobile box). Voting day is
17 August 2030 (10:00–19:00 in Bishkek, the factory's hours); password ``PASSWORD``.
"""

import datetime as dt
import zoneinfo

import pytest

from tests.factories import PASSWORD
from tests.protocols.conftest import commission_member

BISHKEK = zoneinfo.ZoneInfo("Asia/Bishkek")


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """A moment of August 2030 in Bishkek."""
    return dt.datetime(2030, 8, day, hour, minute, tzinfo=BISHKEK)


@pytest.fixture
def kg_polling(db):
    from django.utils import timezone

    from ballots import services as ballot_services
    from ballots.models import ContestOption
    from elections.services import election_transition
    from groups.models import Commission, TerritorialUnit
    from tests.factories import CommissionFactory, ElectionFactory
    from voters.models import VoterSettings

    election = ElectionFactory(slug="kg-polling", kind="local_council", time_zone="Asia/Bishkek")
    district = TerritorialUnit.objects.create(
        election=election, kind="district", number=1, name_ru="Городской кенеш"
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
    for n, name in enumerate(["Партия А", "Партия Б"]):
        ContestOption.objects.create(contest=contest, kind="party_list", label_ru=name, position=n)
    ContestOption.objects.create(contest=contest, kind="against_all", label_ru="Против всех", position=2)
    for name in ("announce", "open_registration"):
        election = election_transition(election=election, transition=name, actor=None)
    # the lists are the numbers recorded with the precincts (no register loaded): frozen as they are
    VoterSettings.objects.update_or_create(election=election, defaults={"list_frozen_at": timezone.now()})
    pec_members = [commission_member(p, f"pec{p.unit.number}@example.org", "chair") for p in pecs]
    return {
        "election": election,
        "district": district,
        "precincts": precincts,
        "cec": cec,
        "tec": tec,
        "pecs": pecs,
        "contest": contest,
        "pec_members": pec_members,
        "pec_secretary": commission_member(pecs[0], "pec-sec@example.org", "secretary"),
        "pec_member": commission_member(pecs[0], "pec-mem@example.org", "member"),
        "tec_member": commission_member(tec, "tec@example.org", "chair"),
        "cec_member": commission_member(cec, "cec@example.org", "chair"),
        "password": PASSWORD,
    }


def approve(k):
    """The TEC's chair (its only member) approves the ballot text."""
    from ballots.services import ballot_text_approve
    from groups.models import CommissionMember

    chair = CommissionMember.objects.get(commission=k["tec"], user=k["tec_member"])
    return ballot_text_approve(contest=k["contest"], actor=k["tec_member"], votes={chair.pk: "for"})


@pytest.fixture
def produced(kg_polling):
    """The TEC approved the ballot text; the print run calculated (1 % reserve, at least 5: 1,010 per precinct), ordered, delivered."""
    from polling import services

    k = kg_polling
    approve(k)
    run = services.print_run_calculate(election=k["election"], actor=k["cec_member"])
    run = services.print_run_order(run=run, actor=k["cec_member"], printing_house="Учкун")
    run = services.print_run_produced(run=run, actor=k["cec_member"])
    return {**k, "run": run}


@pytest.fixture
def delivered(produced):
    """Ballots handed CEC → TEC → both PECs, each act received."""
    from protocols.services.acts import act_receive
    from protocols.services.ballot_acts import ballots_hand_over

    k = produced
    rows = [{"contest": k["contest"], "unit": p, "count": 1010} for p in k["precincts"]]
    act = ballots_hand_over(
        from_commission=k["cec"], to_commission=k["tec"], rows=rows, actor=k["cec_member"], password=PASSWORD
    )
    act_receive(act=act, actor=k["tec_member"], password=PASSWORD)
    for i, pec in enumerate(k["pecs"]):
        act = ballots_hand_over(
            from_commission=k["tec"],
            to_commission=pec,
            rows=[rows[i]],
            actor=k["tec_member"],
            password=PASSWORD,
        )
        act_receive(act=act, actor=k["pec_members"][i], password=PASSWORD)
    return k
