"""The precinct's voting day (seed 003 items 44–45) and the protocol's lines 2–5 from the records:
voting out of the premises only the day before, the opening with the boxes shown, turnout at the
set hours, incidents, the closing; the precinct protocol pre-filled from the acts and the day with
its control checks; the records frozen once the protocol is signed; the pages by role."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from freezegun import freeze_time

from elections.models import AuditEntry
from polling import services
from polling.models import HomeVotingRequest
from polling.services import PollingRefused
from tests.factories import PASSWORD

from .conftest import at

pytestmark = pytest.mark.django_db


def _home(k, pec_user, members):
    request = services.home_request_register(
        unit=k["precincts"][0],
        actor=pec_user,
        voter_name="Асанов Бакыт",
        address="ул. Ленина, 5, кв. 2",
        reason="болезнь",
        how="oral",
        received_at=at(16, 9),
    )
    run = services.mobile_run_record(
        unit=k["precincts"][0],
        actor=pec_user,
        box="П-1",
        left_at=at(16, 10),
        returned_at=at(16, 12),
        member_ids=[m.pk for m in members],
        counts={k["contest"].pk: {"taken": 3, "issued": 1, "returned": 2}},
        request_ids=[request.pk],
    )
    return request, run


def _members(k):
    return list(k["pecs"][0].members.filter(is_active=True).order_by("pk"))


@freeze_time("2030-08-17 16:00:00+00:00")  # 22:00 in Bishkek on voting day
def test_a_pec_day_from_the_eve_to_the_closing_fills_the_protocol_lines_2_to_5(delivered):
    k = delivered
    pec_user, unit, contest = k["pec_members"][0], k["precincts"][0], k["contest"]
    members = _members(k)
    request, run = _home(k, pec_user, members)
    assert HomeVotingRequest.objects.get(pk=request.pk).status == "voted"
    with pytest.raises(PollingRefused, match="(?i)ящик|boxes"):
        services.day_open(
            unit=unit, actor=pec_user, opened_at=at(17, 10), member_ids=[members[0].pk], boxes_shown=False
        )
    services.day_open(
        unit=unit,
        actor=pec_user,
        opened_at=at(17, 10),
        member_ids=[m.pk for m in members],
        boxes_shown=True,
        witnesses="Наблюдатель Иванов (партия А)",
    )
    services.polling_settings_save(
        election=k["election"], actor=k["cec_member"], turnout_times=["12:00", "15:00", "19:00"]
    )
    services.turnout_report(unit=unit, actor=pec_user, time="12:00", voters=120)
    with pytest.raises(PollingRefused, match="120"):
        services.turnout_report(unit=unit, actor=pec_user, time="15:00", voters=100)
    with pytest.raises(PollingRefused, match="(?i)причин|reason"):
        services.turnout_report(unit=unit, actor=pec_user, time="12:00", voters=121)
    services.turnout_report(
        unit=unit, actor=pec_user, time="12:00", voters=119, correction_reason="Ошибка при подсчёте"
    )
    services.turnout_report(unit=unit, actor=pec_user, time="15:00", voters=400)
    services.incident_record(
        unit=unit, actor=pec_user, occurred_at=at(17, 13, 5), text="Отключили свет на 10 минут."
    )
    with pytest.raises(PollingRefused, match="19:00"):
        services.day_close(
            unit=unit,
            actor=pec_user,
            closed_at=at(17, 18, 30),
            counts={contest.pk: {"issued_premises": 600, "cancelled": 409}},
        )
    services.day_close(
        unit=unit,
        actor=pec_user,
        closed_at=at(17, 19, 10),
        counts={contest.pk: {"issued_premises": 600, "cancelled": 409}},
    )
    # the protocol's lines 2–5 come from the acts and the day's records
    from protocols.selectors import protocol_checks
    from protocols.services.protocol import protocol_create, protocol_sign, protocol_update
    from tests.protocols.conftest import commission_member  # noqa: F401

    with freeze_time("2030-08-17 16:00:00+00:00"):
        from elections.services import election_transition

        election = election_transition(election=k["election"], transition="open_voting", actor=None)
    with freeze_time("2030-08-17 14:00:00+00:00"):
        pass
    from elections.models import Election

    Election.objects.filter(pk=election.pk).update(state="counting")
    protocol = protocol_create(
        contest=contest, level="precinct", commission=k["pecs"][0], unit=unit, actor=pec_user
    )
    assert {
        k_: protocol.prefilled["figures"][k_]
        for k_ in (
            "ballots_received",
            "ballots_issued_premises",
            "ballots_issued_outside",
            "ballots_cancelled",
        )
    } == {
        "ballots_received": 1010,
        "ballots_issued_premises": 600,
        "ballots_issued_outside": 1,
        "ballots_cancelled": 409,
    }
    codes = [o.code for o in contest.options.all()]
    figures = {
        "voters_on_list": 1000,
        "ballots_received": 1010,
        "ballots_issued_premises": 600,
        "ballots_issued_outside": 1,
        "ballots_cancelled": 409,
        "ballots_in_boxes": 601,
        "ballots_invalid": 1,
        "ballots_valid": 600,
    }
    protocol = protocol_update(
        protocol=protocol,
        actor=pec_user,
        figures={**figures, "ballots_cancelled": 405},
        votes={codes[0]: 300, codes[1]: 200, codes[2]: 100},
    )
    failing = {c.code: c for c in protocol_checks(protocol) if not c.ok}
    assert set(failing) == {"received_accounted", "source_ballots_cancelled"}
    assert (failing["source_ballots_cancelled"].left, failing["source_ballots_cancelled"].right) == (405, 409)
    assert (
        "закрыт" in failing["source_ballots_cancelled"].label
        or "closing" in failing["source_ballots_cancelled"].label
    )
    from protocols.services.protocol import ProtocolRefused

    with pytest.raises(ProtocolRefused):
        protocol_sign(protocol=protocol, actor=pec_user, password=PASSWORD)
    protocol = protocol_update(protocol=protocol, actor=pec_user, figures=figures)
    assert not [c for c in protocol_checks(protocol) if not c.ok]
    for user in (pec_user, k["pec_secretary"], k["pec_member"]):
        protocol_sign(protocol=protocol, actor=user, password=PASSWORD)
    with pytest.raises(PollingRefused, match="(?i)протокол|protocol"):
        services.incident_record(unit=unit, actor=pec_user, occurred_at=at(17, 21), text="Поздняя запись")
    actions = set(AuditEntry.objects.filter(action__startswith="polling.").values_list("action", flat=True))
    assert {
        "polling.home_request.registered",
        "polling.mobile_run.recorded",
        "polling.day.opened",
        "polling.turnout.reported",
        "polling.turnout.corrected",
        "polling.incident.recorded",
        "polling.day.closed",
    } <= actions


@freeze_time("2030-08-17 16:00:00+00:00")
def test_voting_out_of_the_premises_only_the_day_before_with_two_members_and_registered_requests(delivered):
    k = delivered
    pec_user, unit, contest = k["pec_members"][0], k["precincts"][0], k["contest"]
    members = _members(k)
    request = services.home_request_register(
        unit=unit,
        actor=pec_user,
        voter_name="Асанов",
        address="ул. Ленина, 5",
        reason="болезнь",
        how="written",
        received_at=at(16, 9),
    )
    base = {
        "unit": unit,
        "actor": pec_user,
        "box": "П-1",
        "member_ids": [m.pk for m in members],
        "counts": {contest.pk: {"taken": 2, "issued": 1, "returned": 1}},
        "request_ids": [request.pk],
    }
    with pytest.raises(PollingRefused, match="16.08.2030"):
        services.mobile_run_record(left_at=at(17, 11), returned_at=at(17, 12), **base)
    with pytest.raises(PollingRefused, match="(?i)двух|two"):
        services.mobile_run_record(
            left_at=at(16, 11), returned_at=at(16, 12), **{**base, "member_ids": [members[0].pk]}
        )
    with pytest.raises(PollingRefused, match="(?i)заявлен|request"):
        services.mobile_run_record(left_at=at(16, 11), returned_at=at(16, 12), **{**base, "request_ids": []})
    with pytest.raises(PollingRefused, match="(?i)объясн|explain"):
        services.mobile_run_record(
            left_at=at(16, 11),
            returned_at=at(16, 12),
            **{**base, "counts": {contest.pk: {"taken": 3, "issued": 1, "returned": 1}}},
        )
    with pytest.raises(PollingRefused, match="(?i)позже|until"):
        services.home_request_register(
            unit=unit,
            actor=pec_user,
            voter_name="Б",
            address="А",
            reason="болезнь",
            how="oral",
            received_at=at(17, 9),
        )
    with pytest.raises((PollingRefused, PermissionDenied)):  # another precinct's member
        services.home_request_register(
            unit=unit,
            actor=k["pec_members"][1],
            voter_name="Б",
            address="А",
            reason="болезнь",
            how="oral",
            received_at=at(16, 9),
        )
    run = services.mobile_run_record(left_at=at(16, 11), returned_at=at(16, 12), **base)
    assert run.count(contest.pk, "issued") == 1


@freeze_time("2030-08-17 16:00:00+00:00")
def test_the_day_page_for_the_pec_the_observer_and_the_public_turnout(delivered, client):
    from accounts.models import Role
    from elections.models import Election
    from tests.factories import user_with_role

    k = delivered
    pec_user, unit = k["pec_members"][0], k["precincts"][0]
    slug = k["election"].slug
    url = reverse("polling:day", args=[slug, unit.pk])
    _home(k, pec_user, _members(k))
    client.force_login(pec_user)
    page = client.get(url).content.decode()
    assert "open-form" in page and "Асанов Бакыт" in page and 'http-equiv="refresh"' not in page
    wrong = client.post(
        url, {"action": "open", "opened_at": "2030-08-17T10:00", "members": [_members(k)[0].pk]}
    )
    assert wrong.status_code == 200 and "опечатаны" in wrong.content.decode()
    ok = client.post(
        url,
        {
            "action": "open",
            "opened_at": "2030-08-17T10:00",
            "members": [_members(k)[0].pk],
            "boxes_shown": "on",
        },
    )
    assert ok.status_code == 302
    client.post(
        url, {"action": "incident", "occurred_at": "2030-08-17T11:20", "text": "Избиратель без паспорта."}
    )
    observer = user_with_role(Role.OBSERVER, election=k["election"], email="obs@example.org")
    client.force_login(observer)
    page = client.get(url).content.decode()
    assert "Избиратель без паспорта." in page and 'http-equiv="refresh"' in page
    assert "Асанов Бакыт" not in page and "open-form" not in page and "incident-form" not in page
    assert (
        client.post(url, {"action": "incident", "occurred_at": "2030-08-17T11:30", "text": "x"}).status_code
        == 403
    )
    client.force_login(k["pec_members"][1])
    assert client.get(url).status_code == 404  # another precinct's commission
    client.logout()
    turnout = reverse("polling:turnout", args=[slug])
    assert "turnout-not-yet" in client.get(turnout).content.decode()
    Election.objects.filter(pk=k["election"].pk).update(state="voting")
    assert "turnout-totals" in client.get(turnout).content.decode()
