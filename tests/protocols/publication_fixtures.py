"""Published elections for the results tests, built through the real services: protocols are
created, filled in, signed by every present member (``protocols.services.protocol``), KG precinct
protocols accepted by the TEC and aggregated into the summary table and the CEC result
(``protocols.services.aggregation``), then the election is certified and published.

* ``ccm_signed(counted)`` — the CCM group protocol of the ``counted`` fixture with paper figures
  entered by the commission: 11 ballots received, 8 valid (1 blank), 2 wrongly filled, 1 late;
  Alieva 4, Borisov 2, against all 1.
* ``kg_signed(kg_counting)`` — two precinct protocols, the TEC summary and the CEC result of the
  council (D'Hondt, 5 seats): list A 500, list B 300, against all 70; 30 invalid of 900 in boxes.
* ``publish(election)`` — certify and publish (the results mail is queued on commit).
"""

from __future__ import annotations

from elections.services import election_transition
from protocols.models import Protocol
from protocols.services.protocol import protocol_create, protocol_sign, protocol_update
from tests.protocols.completing import complete_group

CCM_FIGURES = {
    "voters_registered": 20,
    "voters_voted": 10,
    "voted_online": 2,
    "voted_assembly": 0,
    "voted_paper": 8,
    "regions": 1,
    "organisations": 0,
    "ballots_total": 11,
    "ballots_valid": 8,
    "ballots_blank": 1,
    "ballots_invalid": 2,
    "ballots_late": 1,
    "late_online_attempts": 1,
    "observers": 0,
}

KG_PRECINCTS = [
    (
        {
            "voters_on_list": 1000,
            "ballots_received": 600,
            "ballots_issued_premises": 480,
            "ballots_issued_outside": 20,
            "ballots_cancelled": 100,
            "ballots_in_boxes": 500,
            "ballots_invalid": 10,
            "ballots_valid": 490,
        },
        (300, 150, 40),
    ),
    (
        {
            "voters_on_list": 1000,
            "ballots_received": 500,
            "ballots_issued_premises": 390,
            "ballots_issued_outside": 10,
            "ballots_cancelled": 100,
            "ballots_in_boxes": 400,
            "ballots_invalid": 20,
            "ballots_valid": 380,
        },
        (200, 150, 30),
    ),
]


def _sign(protocol: Protocol, users, password) -> Protocol:
    for user in users:
        protocol_sign(protocol=protocol, actor=user, password=password)
    protocol.refresh_from_db()
    assert protocol.status == Protocol.Status.SIGNED
    return protocol


def ccm_signed(counted) -> Protocol:
    chair = counted["members"][0]
    protocol = protocol_create(
        contest=counted["contest"], level="group", commission=counted["commission"], actor=chair
    )
    protocol = protocol_update(
        protocol=protocol,
        actor=chair,
        figures={**protocol.figures, **CCM_FIGURES},
        votes={counted["alpha"].code: 4, counted["beta"].code: 2, counted["against"].code: 1},
        decision_text="Членом СКК избрана Алиева Айгуль.",
    )
    protocol = complete_group(protocol, chair)
    return _sign(protocol, counted["members"], counted["password"])


def kg_signed(kg) -> dict:
    from ballots.models import Contest
    from protocols.services.acts import act_receive, protocol_hand_over
    from protocols.services.aggregation import (
        central_result_build,
        protocol_transmission_set,
        territorial_summary_build,
    )

    # a fresh contest: the fixture's instance caches its election from the draft stage
    contest = Contest.objects.select_related("election").get(pk=kg["contest"].pk)
    options, password = kg["options"], kg["password"]
    precinct_protocols = []
    for precinct, pec, member, (figures, votes) in zip(
        kg["precincts"], kg["pecs"], kg["pec_members"], KG_PRECINCTS, strict=True
    ):
        p = protocol_create(contest=contest, level="precinct", commission=pec, actor=member, unit=precinct)
        p = protocol_update(
            protocol=p,
            actor=member,
            figures=figures,
            votes={o.code: n for o, n in zip(options, votes, strict=True)},
        )
        p = _sign(p, [member], password)
        act = protocol_hand_over(protocol=p, actor=member, password=password)  # by act to the TEC
        act_receive(act=act, actor=kg["tec_member"], password=password)
        protocol_transmission_set(protocol=p, actor=kg["tec_member"], status="accepted")
        precinct_protocols.append(p)
    summary = territorial_summary_build(contest=contest, district=kg["district"], actor=kg["tec_member"])
    summary = _sign(summary, [kg["tec_member"]], password)
    result = central_result_build(contest=contest, actor=kg["cec_member"])
    result = _sign(result, [kg["cec_member"]], password)
    return {"precinct_protocols": precinct_protocols, "summary": summary, "result": result}


def publish(election):
    election = election_transition(election=election, transition="certify", actor=None)
    return election_transition(election=election, transition="publish", actor=None)
