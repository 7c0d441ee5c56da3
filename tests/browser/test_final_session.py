"""A territorial commission holds its final session in the portal (issue 18; seed 003 items
52–55): it schedules the session, records who is present (quorum), decides a complaint there as
its numbered decision, signs the protocol with the summary table, writes and signs the minutes
(chair and secretary, PDF), and hands the first copy to the CEC by act, which the CEC receives."""

import datetime as dt

from django.utils import timezone
from freezegun import freeze_time

from elections import signing
from elections.models import Decision
from meetings.models import Meeting, MinutesDocument
from protocols.models import Complaint, HandoverAct, Protocol

from .setup import PASSWORD


def _kg_counted(settings, tmp_path) -> dict:
    """A council election at the counting stage: two precincts under a TEC of three (chair,
    secretary, member) and the CEC; both precinct protocols signed, handed over by act, received
    and accepted; an observer's complaint to the TEC; the portal's signing key in tmp_path."""
    from ballots import services as ballot_services
    from ballots.models import ContestOption
    from elections.services import election_transition
    from groups.models import Commission, TerritorialUnit
    from protocols.services.acts import act_receive, protocol_hand_over
    from protocols.services.aggregation import protocol_transmission_set
    from protocols.services.protocol import complaint_submit, protocol_create, protocol_sign, protocol_update
    from tests.ballots.fixtures import AFTER
    from tests.factories import CommissionFactory, ElectionFactory
    from tests.protocols.conftest import commission_member
    from tests.protocols.test_aggregation import figures_for

    key, cert = signing.generate_self_signed()
    (tmp_path / "key.pem").write_bytes(key)
    (tmp_path / "cert.pem").write_bytes(cert)
    settings.PROTOCOL_SIGNING_KEY_FILE = str(tmp_path / "key.pem")
    settings.PROTOCOL_SIGNING_CERT_FILE = str(tmp_path / "cert.pem")
    settings.PROTOCOL_SIGNING_KEY_PASSPHRASE = ""
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")

    election = ElectionFactory(
        slug="kg-session", kind="local_council", time_zone="Asia/Bishkek", title_ru="Выборы в кенеш (сессия)"
    )
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
    cec = CommissionFactory(election=election, kind=Commission.Kind.CEC, name_ru="ЦИК", name_en="CEC")
    tec = CommissionFactory(
        election=election, kind="tec", parent=cec, unit=district, name_ru="Городская ТИК", name_en="City TEC"
    )
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
    chair = commission_member(tec, "tec-chair@example.org", "chair", "Абдыкадыров Нурлан")
    secretary = commission_member(tec, "tec-secretary@example.org", "secretary", "Токтогулова Айнура")
    member = commission_member(tec, "tec-member@example.org", "member", "Джумабеков Эмиль")
    cec_member = commission_member(cec, "cec@example.org", "chair", "Турдубаев Бакыт")
    for i, (pec, unit) in enumerate(zip(pecs, precincts, strict=True)):
        pec_user = commission_member(pec, f"pec{unit.number}@example.org", "chair")
        protocol = protocol_create(
            contest=contest, level="precinct", commission=pec, unit=unit, actor=pec_user
        )
        protocol = protocol_update(
            protocol=protocol,
            actor=pec_user,
            figures=figures_for(600),
            votes={options[0].code: 300 - i * 50, options[1].code: 200 + i * 50, options[2].code: 100},
        )
        protocol_sign(protocol=protocol, actor=pec_user, password=PASSWORD)
        act = protocol_hand_over(
            protocol=Protocol.objects.get(pk=protocol.pk), actor=pec_user, password=PASSWORD
        )
        act_receive(act=act, actor=chair, password=PASSWORD)
        protocol_transmission_set(
            protocol=Protocol.objects.get(pk=protocol.pk), actor=chair, status="accepted"
        )
    complaint_submit(
        election=election,
        commission=tec,
        complainant_kind=Complaint.Kind.OBSERVER,
        complainant_name="Айбек Жумабаев",
        text="Наблюдателю не выдали копию протокола участка № 1002.",
    )
    return {
        "election": election,
        "tec": tec,
        "chair": chair,
        "secretary": secretary,
        "member": member,
        "cec_member": cec_member,
    }


def test_a_tec_holds_its_final_session_and_hands_its_protocol_to_the_cec(portal, settings, tmp_path):
    data = _kg_counted(settings, tmp_path)
    election, tec = data["election"], data["tec"]
    slug = election.slug
    page = portal.page

    # the chair schedules the final session, which has begun a few minutes ago
    portal.login("tec-chair@example.org", PASSWORD)
    portal.goto(f"/en/elections/{slug}/meetings/new/")
    page.locator("#id_body").select_option(str(tec.pk))
    page.locator("#id_kind").select_option("final_session")
    page.locator("#id_title").fill("Итоговое заседание городской ТИК")
    starts = timezone.localtime(timezone.now() - dt.timedelta(minutes=5), election.tz)
    page.locator("#id_starts_at").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_place").fill("Здание мэрии, зал заседаний ТИК")
    page.locator("#id_agenda").fill("Рассмотрение жалоб\nПротокол и сводная таблица")
    page.get_by_role("button", name="Schedule and invite").click()
    page.wait_for_load_state()
    meeting = Meeting.objects.get(title="Итоговое заседание городской ТИК")
    meeting_path = f"/en/elections/{slug}/meetings/{meeting.pk}/"
    assert page.url.endswith(meeting_path)

    # attendance: all three present; the quorum is met
    for user in (data["chair"], data["secretary"], data["member"]):
        page.locator(f"#attendance-form input[value='{user.pk}']").check()
    page.get_by_role("button", name="Record the attendance").click()
    page.wait_for_load_state()
    assert page.locator("#quorum").get_attribute("data-met") == "yes"

    # the summary table is built (a draft), then the complaint is decided at the session
    portal.goto(f"/en/elections/{slug}/results/aggregation/districts/1/")
    page.get_by_role("button", name="Build the summary table").click()
    page.wait_for_load_state()
    summary = Protocol.objects.get(election=election, level="territorial")
    portal.goto(f"/en/elections/{slug}/results/complaints/")
    complaint = Complaint.objects.get(election=election)
    page.locator(f"#st-{complaint.pk}").select_option("partly")
    page.locator(f"#dt-{complaint.pk}").fill(
        "Копия выдана на заседании; УИК указано на порядок выдачи копий."
    )
    page.locator(f"#mt-{complaint.pk}").select_option(str(meeting.pk))
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_load_state()
    complaint.refresh_from_db()
    assert complaint.status == "partly" and complaint.protocol == summary
    decision = complaint.decision
    assert decision.number == 1 and decision.body_name_ru == "Городская ТИК"
    assert meeting.items.filter(decision=decision).exists()

    # the agenda points at the protocol; the minutes of the first item are written
    portal.goto(meeting_path)
    page.locator("#item-form").locator("..").locator("summary").click()
    from meetings.agenda_subjects import subject_key

    page.locator("#id_subject").select_option(subject_key(summary))
    page.get_by_role("button", name="Add the item").click()
    page.wait_for_load_state()
    page.locator("#item-1 summary").click()
    page.locator("#item-1 textarea[name=notes]").fill("Поступила одна жалоба наблюдателя; решение № 1.")
    page.locator("#item-1").get_by_role("button", name="Save the minutes of the item").click()
    page.wait_for_load_state()
    portal.shots(meeting_path, "final-session")

    # the chair signs the protocol (the member signs too) and the minutes
    portal.goto(f"/en/elections/{slug}/results/protocols/{summary.pk}/")
    page.locator("#sign-password").fill(PASSWORD)
    page.locator("#sign-form").get_by_role("button", name="Sign the protocol").click()
    page.wait_for_load_state()
    from protocols.services.protocol import protocol_sign

    protocol_sign(protocol=Protocol.objects.get(pk=summary.pk), actor=data["member"], password=PASSWORD)
    portal.goto(meeting_path)
    page.locator("#sign-form #id_role").select_option("chair")
    page.locator("#sign-form #id_password").fill(PASSWORD)
    page.locator("#sign-form #id_confirm").check()
    page.locator("#sign-form").get_by_role("button", name="Sign the minutes").click()
    page.wait_for_load_state()
    portal.logout()

    # the secretary gives the last signatures: the protocol and the minutes are final
    portal.login("tec-secretary@example.org", PASSWORD)
    portal.goto(f"/en/elections/{slug}/results/protocols/{summary.pk}/")
    page.locator("#sign-password").fill(PASSWORD)
    page.locator("#sign-form").get_by_role("button", name="Sign the protocol").click()
    page.wait_for_load_state()
    assert Protocol.objects.get(pk=summary.pk).status == "signed"
    portal.goto(meeting_path)
    page.locator("#sign-form #id_role").select_option("secretary")
    page.locator("#sign-form #id_password").fill(PASSWORD)
    page.locator("#sign-form #id_confirm").check()
    page.locator("#sign-form").get_by_role("button", name="Sign the minutes").click()
    page.wait_for_load_state()
    meeting.refresh_from_db()
    assert meeting.minutes_signed
    assert set(MinutesDocument.objects.filter(meeting=meeting).values_list("language", flat=True)) == {
        "ru",
        "en",
    }
    portal.goto(meeting_path)
    link = page.locator("#minutes-documents a").first
    response = page.request.get(portal.url(link.get_attribute("href")))
    assert response.ok and response.body().startswith(b"%PDF") and signing.verify_pdf(response.body()).ok

    # the secretary hands the first copy to the CEC by act
    portal.goto(f"/en/elections/{slug}/results/protocols/{summary.pk}/")
    page.locator("#hand-over-password").fill(PASSWORD)
    page.locator("#hand-over-confirm").check()
    page.get_by_role("button", name="Draw up the act and hand over").click()
    page.wait_for_load_state()
    act = HandoverAct.objects.get(protocol=summary)
    assert act.kind == "territorial_protocol" and act.status == "handed"
    assert [c["number"] for c in act.contents["complaints"]] == [1]
    portal.logout()

    # the CEC signs the receipt
    portal.login("cec@example.org", PASSWORD)
    act_path = f"/en/elections/{slug}/results/acts/{act.pk}/"
    portal.goto(act_path)
    portal.axe(name="act")
    page.locator("#receive-form input[name=password]").fill(PASSWORD)
    page.locator("#receive-form input[name=confirm]").check()
    page.locator("#receive-form").get_by_role("button", name="Sign the receipt").click()
    page.wait_for_load_state()
    assert HandoverAct.objects.get(pk=act.pk).status == "received"
    assert Protocol.objects.get(pk=summary.pk).transmission == "received"
    assert page.locator("#act-status").inner_text() == "Received"
    portal.shots(act_path, "act-tec-to-cec")
    assert Decision.objects.filter(kind="complaint", is_adopted=True).count() == 1
