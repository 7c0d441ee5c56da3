"""Acts of hand-over (issue 18; seed 003 items 14, 51, 55): a signed protocol's first copy handed
by act to the higher commission, signed by both sides with the password; the protocol's receipt
follows its act, and accepting or returning it stays the receiver's decision; voter lists handed
to the PEC; pages, PDF, calendar plan; two receipts at once make one."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from elections.models import AuditEntry, Decision
from protocols.models import HandoverAct, Protocol
from protocols.services.acts import act_receive, act_refuse, protocol_hand_over, voter_lists_hand_over
from protocols.services.aggregation import protocol_transmission_set, territorial_summary_build
from protocols.services.protocol import ProtocolRefused, complaint_decide, complaint_submit
from tests.factories import PASSWORD, user_with_role

from .conftest import commission_member
from .test_aggregation import figures_for, sign

pytestmark = pytest.mark.django_db


def _signed(k, i=0, before_signing=None):
    """Precinct ``i``'s protocol entered and signed by its PEC (not yet handed over)."""
    from protocols.services.protocol import protocol_create, protocol_sign, protocol_update

    user = k["pec_members"][i]
    codes = [o.code for o in k["options"]]
    protocol = protocol_create(
        contest=k["contest"], level="precinct", commission=k["pecs"][i], unit=k["precincts"][i], actor=user
    )
    protocol = protocol_update(
        protocol=protocol,
        actor=user,
        figures=figures_for(600),
        votes={codes[0]: 300, codes[1]: 200, codes[2]: 100},
    )
    if before_signing is not None:
        before_signing()
    protocol_sign(protocol=protocol, actor=user, password=PASSWORD)
    return Protocol.objects.get(pk=protocol.pk)


def test_a_precinct_protocol_is_handed_to_the_tec_by_act_and_its_receipt_makes_it_received(kg_counting):
    k = kg_counting
    pec_user, tec_user = k["pec_members"][0], k["tec_member"]
    complaint = complaint_submit(
        election=k["election"],
        commission=k["pecs"][0],
        complainant_kind="observer",
        complainant_name="Наблюдатель",
        text="Урна не была опечатана.",
    )
    protocol = _signed(
        k,
        before_signing=lambda: complaint_decide(
            complaint=complaint, actor=pec_user, status="rejected", decision_text="Урна опечатана."
        ),
    )
    with pytest.raises(ProtocolRefused, match="(?i)пароль|password"):
        protocol_hand_over(protocol=protocol, actor=pec_user, password="wrong")
    with pytest.raises(Exception):  # a member of another PEC does not sign for this one
        protocol_hand_over(protocol=protocol, actor=k["pec_members"][1], password=PASSWORD)
    with pytest.raises(ProtocolRefused, match="акт|act"):  # the TEC decides only on what it received
        protocol_transmission_set(protocol=protocol, actor=tec_user, status="accepted")
    with pytest.raises(ProtocolRefused):  # receipt is never set by hand
        protocol_transmission_set(protocol=protocol, actor=tec_user, status="received")
    assert not HandoverAct.objects.exists()

    act = protocol_hand_over(protocol=protocol, actor=pec_user, password=PASSWORD)
    assert (act.number, act.kind, act.status) == (1, "precinct_protocol", "handed")
    assert act.from_commission == k["pecs"][0] and act.to_commission == k["tec"]
    assert (
        act.contents["protocol"]["version"] == 1
        and act.contents["protocol"]["sha256"] == protocol.data_sha256
    )
    assert act.contents["complaints"] == [
        {"number": 1, "status": "rejected", "status_label": "Отклонена"}
    ] or (act.contents["complaints"][0]["number"] == 1)
    assert set(act.contents["ballots"]) == {"ballots_received", "ballots_cancelled", "ballots_invalid"}
    with pytest.raises(ProtocolRefused):
        protocol_hand_over(protocol=protocol, actor=pec_user, password=PASSWORD)
    with pytest.raises(Exception):  # the PEC does not sign its own receipt
        act_receive(act=act, actor=pec_user, password=PASSWORD)
    act_receive(act=act, actor=tec_user, password=PASSWORD)
    act.refresh_from_db()
    protocol.refresh_from_db()
    assert act.status == "received" and act.received_by == tec_user
    assert protocol.transmission == "received" and "№ 1" in protocol.transmission_note
    with pytest.raises(ProtocolRefused):
        act_receive(act=act, actor=tec_user, password=PASSWORD)
    protocol_transmission_set(protocol=protocol, actor=tec_user, status="accepted")
    assert Protocol.objects.get(pk=protocol.pk).transmission == "accepted"
    actions = list(
        AuditEntry.objects.filter(action__startswith="protocols.act.").values_list("action", flat=True)
    )
    assert actions == ["protocols.act.handed", "protocols.act.received"]


def test_a_refused_receipt_changes_nothing_of_the_protocol_and_a_new_act_is_drawn_up(kg_counting):
    k = kg_counting
    protocol = _signed(k)
    act = protocol_hand_over(protocol=protocol, actor=k["pec_members"][0], password=PASSWORD)
    with pytest.raises(ProtocolRefused):
        act_refuse(act=act, actor=k["tec_member"], password=PASSWORD, reason="  ")
    act_refuse(act=act, actor=k["tec_member"], password=PASSWORD, reason="Нет второй страницы протокола.")
    act.refresh_from_db()
    assert act.status == "refused" and act.refusal_reason == "Нет второй страницы протокола."
    assert Protocol.objects.get(pk=protocol.pk).transmission == ""
    again = protocol_hand_over(protocol=protocol, actor=k["pec_members"][0], password=PASSWORD)
    assert again.number == 2 and again.status == "handed"


def test_the_tec_hands_its_summary_table_to_the_cec_which_accepts_or_returns_it(kg_counting):
    k = kg_counting
    tec_user, cec_user = k["tec_member"], k["cec_member"]
    for i in (0, 1):
        protocol = _signed(k, i)
        act_receive(
            act=protocol_hand_over(protocol=protocol, actor=k["pec_members"][i], password=PASSWORD),
            actor=tec_user,
            password=PASSWORD,
        )
        protocol_transmission_set(protocol=protocol, actor=tec_user, status="accepted")
    summary = sign(
        territorial_summary_build(contest=k["contest"], district=k["district"], actor=tec_user), tec_user
    )
    assert summary.status == "signed"
    act = protocol_hand_over(protocol=summary, actor=tec_user, password=PASSWORD)
    assert act.kind == "territorial_protocol" and act.to_commission == k["cec"]
    assert act.contents["summary_table"] == {"copy": 1, "precincts": 2, "included": 2}
    with pytest.raises(Exception):  # the TEC does not decide on its own table
        protocol_transmission_set(protocol=summary, actor=tec_user, status="returned", note="x")
    act_receive(act=act, actor=cec_user, password=PASSWORD)
    protocol_transmission_set(
        protocol=summary, actor=cec_user, status="returned", note="Сумма строки 7 неверна."
    )
    summary.refresh_from_db()
    assert summary.transmission == "returned"
    decision = summary.return_decision
    assert decision.body_key == f"commission:{k['cec'].pk}" or decision.body_name_ru == k["cec"].name_ru
    assert decision.number == 1 and decision.reasons == "Сумма строки 7 неверна."
    assert Decision.objects.filter(kind="protocol_return", is_adopted=True).count() == 1


def test_a_precincts_voter_list_is_handed_to_its_pec_by_its_tec_or_the_cec(kg_counting):
    k = kg_counting
    precinct, pec = k["precincts"][0], k["pecs"][0]
    with pytest.raises(ProtocolRefused):  # a PEC does not hand lists over
        voter_lists_hand_over(
            unit=precinct, commission=pec, actor=k["pec_members"][0], password=PASSWORD, books=1, sheets=50
        )
    with pytest.raises(ProtocolRefused):
        voter_lists_hand_over(
            unit=precinct, commission=k["tec"], actor=k["tec_member"], password=PASSWORD, books=2, sheets=1
        )
    act = voter_lists_hand_over(
        unit=precinct, commission=k["tec"], actor=k["tec_member"], password=PASSWORD, books=2, sheets=50
    )
    assert act.to_commission == pec and act.contents["voters_on_list"] == 1000
    assert (act.contents["books"], act.contents["sheets"]) == (2, 50)
    with pytest.raises(ProtocolRefused):
        voter_lists_hand_over(
            unit=precinct, commission=k["cec"], actor=k["cec_member"], password=PASSWORD, books=1, sheets=50
        )
    act_receive(act=act, actor=k["pec_members"][0], password=PASSWORD)
    assert HandoverAct.objects.get(pk=act.pk).status == "received"


def test_the_pages_hand_over_receive_and_print_and_an_observer_only_reads(kg_counting, client):
    k = kg_counting
    slug = k["election"].slug
    protocol = _signed(k)
    client.force_login(k["pec_members"][0])
    page = client.get(reverse("protocols:detail", args=[slug, protocol.pk])).content.decode()
    assert 'id="hand-over-form"' in page
    url = reverse("protocols:hand_over", args=[slug, protocol.pk])
    client.post(url, {"password": PASSWORD})  # not confirmed: nothing
    assert not HandoverAct.objects.exists()
    response = client.post(url, {"password": PASSWORD, "confirm": "on"})
    act = HandoverAct.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "protocols:act", args=[slug, act.pk]
    )
    act_url = reverse("protocols:act", args=[slug, act.pk])
    assert 'id="receive-form"' not in client.get(act_url).content.decode()
    client.force_login(k["tec_member"])
    page = client.get(act_url).content.decode()
    assert 'id="receive-form"' in page and 'id="refuse-form"' in page
    response = client.post(act_url, {"action": "receive", "password": "wrong", "confirm": "on"})
    assert response.status_code == 200 and HandoverAct.objects.get().status == "handed"
    client.post(act_url, {"action": "receive", "password": PASSWORD, "confirm": "on"})
    assert HandoverAct.objects.get().status == "received"
    pdf = client.get(reverse("protocols:act_pdf", args=[slug, act.pk]) + "?lang=ru")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    observer = user_with_role("observer", election=k["election"])
    client.force_login(observer)
    assert client.get(act_url).status_code == 200
    assert client.post(act_url, {"action": "refuse", "password": PASSWORD, "reason": "x"}).status_code == 403
    listing = client.get(reverse("protocols:acts", args=[slug])).content.decode()
    assert act_url in listing and 'id="voter-lists-form"' not in listing
    acts_tab = f'href="{reverse("protocols:acts", args=[slug])}">Акты передачи</a>'
    assert acts_tab in client.get(reverse("protocols:detail", args=[slug, protocol.pk])).content.decode()
    outsider = commission_member(k["pecs"][1], "other@example.org", "member")
    client.force_login(outsider)
    assert client.get(act_url).status_code == 404


def test_the_calendar_plan_links_the_acts_and_marks_the_activity_done_when_all_are_received(
    kg_counting, client
):
    from pathlib import Path

    import elections
    from elections.models import CalendarActivity, PlanTemplate
    from elections.services.calendar import calendar_start, plan_template_save

    k = kg_counting
    path = Path(elections.__file__).parent / "calendar_templates" / "kg-local-2016.yaml"
    plan_template_save(yaml_text=path.read_text(encoding="utf-8"), actor=None, is_builtin=True)
    import datetime as dt

    calendar_start(
        election=k["election"],
        template=PlanTemplate.objects.get(slug="kg-local-2016"),
        anchors={"voting_day": dt.date(2030, 12, 11), "decision_published": dt.date(2030, 10, 28)},
        actor=None,
    )
    activity = CalendarActivity.objects.get(calendar__election=k["election"], number=51)
    for i in (0, 1):
        protocol = _signed(k, i)
        act = protocol_hand_over(protocol=protocol, actor=k["pec_members"][i], password=PASSWORD)
        activity.refresh_from_db()
        assert activity.completed_at is None
        act_receive(act=act, actor=k["tec_member"], password=PASSWORD)
    activity.refresh_from_db()
    assert activity.completed_at is not None  # both precincts' protocols are received
    client.force_login(k["tec_member"])
    page = client.get(reverse("elections:calendar", args=[k["election"].slug])).content.decode()
    assert 'data-work="51"' in page and reverse("protocols:acts", args=[k["election"].slug]) in page


@pytest.mark.django_db(transaction=True)
def test_two_receipts_at_once_make_one(kg_counting):
    if connection.vendor != "postgresql":
        pytest.skip("the concurrency test runs on PostgreSQL")
    k = kg_counting
    second = commission_member(k["tec"], "tec2@example.org", "secretary")
    act = protocol_hand_over(protocol=_signed(k), actor=k["pec_members"][0], password=PASSWORD)
    barrier = threading.Barrier(2)
    outcomes = []

    def receive(user):
        from django.db import connection as conn

        try:
            fresh = HandoverAct.objects.get(pk=act.pk)
            barrier.wait(timeout=30)
            act_receive(act=fresh, actor=user, password=PASSWORD)
            outcomes.append("ok")
        except ProtocolRefused as exc:
            outcomes.append(exc.code if hasattr(exc, "code") else "refused")
        finally:
            conn.close()

    threads = [threading.Thread(target=receive, args=(u,)) for u in (k["tec_member"], second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(outcomes) == ["decided", "ok"]
    assert AuditEntry.objects.filter(action="protocols.act.received").count() == 1


def test_a_return_decided_at_the_tecs_session_is_its_numbered_decision_in_the_minutes(kg_counting, client):
    import datetime as dt

    from django.utils import timezone

    from meetings.models import Meeting
    from meetings.services.meeting import attendance_record, meeting_schedule

    k = kg_counting
    tec_user = k["tec_member"]
    protocol = _signed(k)
    act_receive(
        act=protocol_hand_over(protocol=protocol, actor=k["pec_members"][0], password=PASSWORD),
        actor=tec_user,
        password=PASSWORD,
    )
    meeting = meeting_schedule(
        election=k["election"],
        commission=k["tec"],
        kind=Meeting.Kind.FINAL_SESSION,
        title="Итоговое заседание ТИК",
        starts_at=timezone.now() - dt.timedelta(minutes=10),
        place="Зал",
        agenda=["Протоколы участков"],
        actor=tec_user,
    )
    attendance_record(meeting=meeting, present=[tec_user.pk], actor=tec_user)
    client.force_login(tec_user)
    slug = k["election"].slug
    page = client.get(reverse("protocols:aggregation_district", args=[slug, 1])).content.decode()
    assert f'<option value="{meeting.pk}">' in page
    url = reverse("protocols:aggregation_transmit", args=[slug, protocol.pk])
    client.post(url, {"status": "returned", "note": "Строка 5 не сходится.", "meeting": "999999"})
    assert Protocol.objects.get(pk=protocol.pk).transmission == "received"  # an unknown meeting: nothing
    client.post(url, {"status": "returned", "note": "Строка 5 не сходится.", "meeting": str(meeting.pk)})
    protocol.refresh_from_db()
    assert protocol.transmission == "returned"
    decision = protocol.return_decision
    assert meeting.items.get(decision=decision).subject == protocol
