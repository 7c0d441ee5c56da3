"""Ties are decided by people, on the record (issue 15, deliverable 1).

A tie that decides the member's seat, an alternate place or a list seat stops the count: the page
and the PDF say so with the contest's rule, the protocol cannot be signed, and the commission
records its decision (a lot drawn in its session or a new vote, who conducted it, who was present,
what was drawn). The count is repeated with it; the decision is in the audit log and the PDF."""

import datetime
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from ballots import services as ballot_services
from ballots.models import ContestOption, TieRule
from elections.models import AuditEntry, Election
from elections.services import election_transition
from protocols.models import Protocol, TieDecision
from protocols.pdf import protocol_pdf_render
from protocols.services.aggregation import engine_outcome
from protocols.services.protocol import ProtocolRefused, protocol_create, protocol_sign, protocol_update
from protocols.services.ties import tie_decision_record
from protocols.ties import decisions_for, tie_breaker_for
from tests.ballots.fixtures import AFTER, OPEN
from tests.factories import PASSWORD
from tests.protocols.completing import complete_group

from .conftest import commission_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def tied(vote):
    """A group's vote tied 1 : 1 for its one member seat (one alternate place), voting closed, the
    group protocol started by the chair of a three-member counting commission."""
    commission = vote["commission"]
    chair = commission_member(commission, "chair@example.org", "chair", "Асанова Гульмира")
    others = [
        commission_member(commission, "secretary@example.org", "secretary", "Бекова Сауле"),
        commission_member(commission, "member@example.org", "member", "Волков Иван"),
    ]
    with freeze_time(OPEN):
        ballot_services.ballot_cast(credential=vote["credentials"][0], choices=[vote["alpha"].code])
        ballot_services.ballot_cast(credential=vote["credentials"][1], choices=[vote["beta"].code])
    with freeze_time(AFTER):
        election = election_transition(election=vote["election"], transition="close_voting", actor=None)
    protocol = protocol_create(contest=vote["contest"], level="group", commission=commission, actor=chair)
    protocol = complete_group(protocol, chair)
    return {**vote, "election": election, "chair": chair, "others": others, "protocol": protocol}


def decide(protocol, actor, order, **extra):
    fields = {
        "method": "lot",
        "held_at": timezone.now() - datetime.timedelta(hours=1),
        "conducted_by": "Асанова Гульмира, председатель",
        "present": "Асанова Г., Бекова С., Волков И.; наблюдатель Дюсенова А.",
        "details": "Два запечатанных конверта; председатель вытянула конверт с именем Борисова.",
    }
    fields.update(extra)
    return tie_decision_record(protocol=protocol, actor=actor, order=order, **fields)


def test_a_tie_for_the_member_seat_stops_the_count_and_nobody_is_named(tied):
    outcome = tied["protocol"].outcome
    assert outcome["status"] == "tie_unresolved"
    assert outcome["elected"] == [] and outcome["alternates"] == []
    assert sorted(outcome["unresolved_tie"]["candidates"]) == ["Алиева Айгуль", "Борисов Бекзат"]
    # no machine lot: nothing in the count was drawn
    assert all(t["resolved_by"] != "lot" for t in outcome["ties"])


def test_a_protocol_with_an_open_tie_cannot_be_signed(tied):
    with pytest.raises(ProtocolRefused) as exc:
        protocol_sign(protocol=tied["protocol"], actor=tied["chair"], password=PASSWORD)
    assert exc.value.code == "tie"
    assert "Алиева Айгуль" in exc.value.messages[0]
    assert not tied["protocol"].signatures.exists()


def test_the_protocol_page_shows_the_tie_and_the_rule_and_blocks_signing(tied, client):
    client.force_login(tied["chair"])
    url = reverse("protocols:detail", kwargs={"slug": tied["election"].slug, "pk": tied["protocol"].pk})
    with_language = client.get(url, HTTP_ACCEPT_LANGUAGE="ru")
    page = with_language.content.decode()
    assert "Равное число голосов" in page and "место члена" in page
    assert "Алиева Айгуль" in page and "Борисов Бекзат" in page
    assert "The commission decides in its session" not in page  # translated, not the English label
    assert "Решает комиссия на заседании" in page  # the rule of the contest is named
    assert 'id="tie-blocks"' in page and 'id="decide-tie"' in page
    assert "член — " not in page  # nobody is shown as elected


def test_the_commission_records_a_lot_and_the_count_follows_it(tied, client):
    p = tied["protocol"]
    client.force_login(tied["chair"])
    url = reverse("protocols:tie", kwargs={"slug": tied["election"].slug, "pk": p.pk})
    form = client.get(url).content.decode()
    assert "Асанова Гульмира" in form  # the members present are offered for the record
    names = p.outcome["unresolved_tie"]["candidates"]
    places = {f"place_{i}": (1 if name == "Борисов Бекзат" else 2) for i, name in enumerate(names)}
    response = client.post(
        url,
        {
            **places,
            "method": "lot",
            "held_at": "2024-08-20T18:30",
            "conducted_by": "Асанова Гульмира, председатель",
            "present": "Асанова Г., Бекова С., Волков И.; наблюдатель Дюсенова А.",
            "details": "Два конверта; вытянут конверт с именем Борисова.",
            "confirm": "on",
        },
    )
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.outcome["status"] == "complete"
    assert p.outcome["elected"] == ["Борисов Бекзат"] and p.outcome["alternates"] == ["Алиева Айгуль"]
    decision = TieDecision.objects.get(protocol=p)
    assert decision.order == ["Борисов Бекзат", "Алиева Айгуль"] and decision.recorded_by == tied["chair"]
    entry = AuditEntry.objects.filter(action="protocols.tie.decided").get()
    assert entry.data["order"] == ["Борисов Бекзат", "Алиева Айгуль"]
    assert entry.data["conducted_by"] == "Асанова Гульмира, председатель"
    assert entry.data["elected"] == ["Борисов Бекзат"]
    page = client.get(reverse("protocols:detail", kwargs={"slug": tied["election"].slug, "pk": p.pk}))
    text = page.content.decode()
    assert "Решено комиссией" in text and "Два конверта" in text
    assert 'id="tie-blocks"' not in text
    # now the members sign
    for user in (tied["chair"], *tied["others"]):
        protocol_sign(protocol=p, actor=user, password=PASSWORD)
    assert Protocol.objects.get(pk=p.pk).status == "signed"


def test_wrong_decisions_are_refused_with_a_reason_and_change_nothing(tied, client):
    p = tied["protocol"]
    client.force_login(tied["chair"])
    url = reverse("protocols:tie", kwargs={"slug": tied["election"].slug, "pk": p.pk})
    response = client.post(
        url,
        {
            "place_0": 1,
            "place_1": 1,
            "method": "lot",
            "held_at": "2024-08-20T18:30",
            "conducted_by": "X",
            "present": "Y",
            "details": "Z",
            "confirm": "on",
        },
    )
    assert response.status_code == 200
    assert "разное место" in response.content.decode()
    response = client.post(url, {"place_0": 1, "place_1": 2, "method": "lot", "held_at": "2024-08-20T18:30"})
    assert response.status_code == 200 and not TieDecision.objects.exists()
    with pytest.raises(ProtocolRefused) as exc:
        decide(p, tied["chair"], ["Борисов Бекзат", "Кто-то другой"])
    assert exc.value.code == "order"
    with pytest.raises(ProtocolRefused) as exc:
        decide(p, tied["chair"], ["Борисов Бекзат", "Алиева Айгуль"], details="  ")
    assert exc.value.code == "incomplete"
    assert not TieDecision.objects.exists()
    p.refresh_from_db()
    assert p.outcome["status"] == "tie_unresolved"


def test_an_observer_cannot_decide_and_a_decided_tie_cannot_be_decided_again(tied, client):
    from accounts.models import Role
    from tests.factories import user_with_role

    observer = user_with_role(Role.OBSERVER, election=tied["election"], email="obs@example.org")
    client.force_login(observer)
    url = reverse("protocols:tie", kwargs={"slug": tied["election"].slug, "pk": tied["protocol"].pk})
    assert client.get(url).status_code == 403
    decide(tied["protocol"], tied["chair"], ["Алиева Айгуль", "Борисов Бекзат"])
    with pytest.raises(ProtocolRefused) as exc:
        decide(tied["protocol"], tied["chair"], ["Борисов Бекзат", "Алиева Айгуль"])
    assert exc.value.code == "no_tie"


def test_a_tie_for_the_alternate_place_after_the_votes_are_corrected(tied):
    """The commission corrects the votes from the paper count: 3 : 1 : 1 with a third candidate —
    the member is clear, the alternate place is tied, and the outcome follows the protocol's votes."""
    contest = tied["contest"]
    gamma = ContestOption.objects.create(
        contest=contest, kind="candidate", label_ru="Гуляев Данияр", position=3
    )
    p = protocol_update(
        protocol=tied["protocol"],
        actor=tied["chair"],
        votes={tied["alpha"].code: 3, tied["beta"].code: 1, gamma.code: 1},
    )
    assert p.outcome["status"] == "tie_unresolved"
    assert p.outcome["elected"] == ["Алиева Айгуль"]
    assert sorted(p.outcome["unresolved_tie"]["candidates"]) == ["Борисов Бекзат", "Гуляев Данияр"]
    assert p.outcome["unresolved_tie"]["context"] == "alternate place 1"
    decide(
        p,
        tied["chair"],
        ["Гуляев Данияр", "Борисов Бекзат"],
        method="new_vote",
        details="2 за Гуляева, 1 за Борисова",
    )
    p.refresh_from_db()
    assert p.outcome["elected"] == ["Алиева Айгуль"] and p.outcome["alternates"] == ["Гуляев Данияр"]


def test_a_three_way_tie_is_settled_by_one_order(tied):
    contest = tied["contest"]
    gamma = ContestOption.objects.create(
        contest=contest, kind="candidate", label_ru="Гуляев Данияр", position=3
    )
    p = protocol_update(
        protocol=tied["protocol"],
        actor=tied["chair"],
        votes={tied["alpha"].code: 2, tied["beta"].code: 2, gamma.code: 2},
    )
    assert len(p.outcome["unresolved_tie"]["candidates"]) == 3
    decide(p, tied["chair"], ["Гуляев Данияр", "Борисов Бекзат", "Алиева Айгуль"])
    p.refresh_from_db()
    assert p.outcome["status"] == "complete"
    assert p.outcome["elected"] == ["Гуляев Данияр"] and p.outcome["alternates"] == ["Борисов Бекзат"]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)")
def test_the_pdf_prints_the_tie_and_the_decision(tied, tmp_path):
    p = tied["protocol"]
    path = tmp_path / "open.pdf"
    path.write_bytes(protocol_pdf_render(p, copy=1, language="ru"))
    text = " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split()
    )
    assert "Равное число голосов" in text and "Ещё не решено" in text
    decide(p, tied["chair"], ["Борисов Бекзат", "Алиева Айгуль"])
    p.refresh_from_db()
    path.write_bytes(protocol_pdf_render(p, copy=1, language="en"))
    text = " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split()
    )
    assert "Equal votes for the member's seat" in text
    assert "Decided by the commission" in text and "Асанова Гульмира, председатель" in text
    assert "Два запечатанных конверта" in text


def test_a_list_seat_tie_in_a_council_waits_for_the_commission(kg_counting):
    """D'Hondt, 5 seats, two lists with 100 votes each: quotients 100, 100, 50, 50, 33⅓, 33⅓ — the
    fifth seat is tied. The council's rule is a lot drawn by the commission, never by the server."""
    k = kg_counting
    contest = k["contest"]
    assert contest.tie_rule == TieRule.LOT
    a, b, against = (o.code for o in k["options"])
    figures = {"ballots_valid": 210, "ballots_invalid": 0}
    outcome, _report = engine_outcome(contest, figures, {a: 100, b: 100, against: 10})
    assert outcome["status"] == "tie_unresolved"
    assert sorted(outcome["unresolved_tie"]["candidates"]) == ["Партия А", "Партия Б"]
    assert outcome["seats"] == {} or sum(outcome["seats"].values()) < 5

    class Decision:
        order = ["Партия Б", "Партия А"]

    outcome, _report = engine_outcome(
        contest, figures, {a: 100, b: 100, against: 10}, tie_breaker=tie_breaker_for(contest, [Decision])
    )
    assert outcome["status"] == "complete"
    assert outcome["seats"] == {"Партия А": 2, "Партия Б": 3}


def test_decisions_carry_over_to_a_corrected_version(tied):
    from protocols.services.protocol import protocol_correct

    p = tied["protocol"]
    decide(p, tied["chair"], ["Борисов Бекзат", "Алиева Айгуль"])
    p.refresh_from_db()
    for user in (tied["chair"], *tied["others"]):
        protocol_sign(protocol=p, actor=user, password=PASSWORD)
    new = protocol_correct(protocol=Protocol.objects.get(pk=p.pk), actor=tied["chair"], reason="опечатка")
    assert [d.order for d in decisions_for(new)] == [["Борисов Бекзат", "Алиева Айгуль"]]
    new = protocol_update(protocol=new, actor=tied["chair"], process_description="Исправлено")
    assert new.outcome["elected"] == ["Борисов Бекзат"]


def test_the_cec_records_a_lot_for_a_tied_list_seat_and_the_result_follows(kg_counting):
    """The whole path of a council: two precincts give the two lists 100 votes each; the CEC's
    result stops at the fifth seat; the CEC records the lot drawn in its session and the seats
    follow (the reference to the stored count is kept)."""
    from protocols.services.aggregation import (
        central_result_build,
        protocol_transmission_set,
        territorial_summary_build,
    )

    from .test_aggregation import sign, signed_precinct

    k = kg_counting
    for i in (0, 1):
        p = signed_precinct(k, i, 50, 50, 5)
        protocol_transmission_set(protocol=p, actor=k["tec_member"], status="accepted")
    summary = territorial_summary_build(contest=k["contest"], district=k["district"], actor=k["tec_member"])
    sign(summary, k["tec_member"])
    result = central_result_build(contest=k["contest"], actor=k["cec_member"])
    assert result.outcome["status"] == "tie_unresolved"
    count_id = result.outcome["count_id"]
    with pytest.raises(ProtocolRefused):
        protocol_sign(protocol=result, actor=k["cec_member"], password=PASSWORD)
    decide(result, k["cec_member"], ["Партия Б", "Партия А"])
    result.refresh_from_db()
    assert result.outcome["status"] == "complete"
    assert result.outcome["seats"] == {"Партия А": 2, "Партия Б": 3}
    assert result.outcome["count_id"] == count_id
    assert sign(result, k["cec_member"]).status == "signed"


def test_a_tie_decided_at_a_session_is_the_commissions_numbered_decision_in_its_minutes(tied, client):
    from elections.models import Decision
    from meetings.models import Meeting
    from meetings.services.meeting import attendance_record, meeting_schedule

    p, chair = tied["protocol"], tied["chair"]
    names = p.outcome["unresolved_tie"]["candidates"]
    order = sorted(names, key=lambda name: name != "Борисов Бекзат")
    meeting = meeting_schedule(
        election=tied["election"],
        commission=p.commission,
        kind=Meeting.Kind.FINAL_SESSION,
        title="Заседание счётной комиссии",
        starts_at=timezone.now() - datetime.timedelta(hours=1),
        place="Зал",
        agenda=["Жребий"],
        actor=chair,
    )
    attendance_record(meeting=meeting, present=[chair.pk], actor=chair)  # 1 of 3: no quorum
    with pytest.raises(Exception, match="кворум|quorum"):
        decide(p, chair, order, meeting=meeting)
    assert not TieDecision.objects.exists() and not Decision.objects.filter(kind="tie").exists()
    attendance_record(meeting=meeting, present=[chair.pk, tied["others"][0].pk], actor=chair)
    client.force_login(chair)
    url = reverse("protocols:tie", kwargs={"slug": tied["election"].slug, "pk": p.pk})
    form = client.get(url).context["form"]
    assert [value for value, _label in form.fields["meeting"].choices][1:] == [meeting.pk]
    places = {f"place_{i}": (1 if name == "Борисов Бекзат" else 2) for i, name in enumerate(names)}
    response = client.post(
        url,
        {
            **places,
            "method": "lot",
            "held_at": timezone.localtime(meeting.starts_at).strftime("%Y-%m-%dT%H:%M"),
            "meeting": str(meeting.pk),
            "conducted_by": "Асанова Гульмира, председатель",
            "present": "Асанова Г., Бекова С.",
            "details": "Два конверта; вытянут конверт с именем Борисова.",
            "confirm": "on",
        },
    )
    assert response.status_code == 302
    numbered = Decision.objects.get(kind="tie")
    assert numbered.is_adopted and numbered.number == 1 and numbered.subject == TieDecision.objects.get()
    item = meeting.items.get(decision=numbered)
    assert item.subject == TieDecision.objects.get()
    p.refresh_from_db()
    assert p.outcome["elected"] == ["Борисов Бекзат"]


def test_the_published_result_says_the_commission_drew_lots_and_in_what_order(tied, client):
    """A seat decided by a lot is published with the result it decided: on the group's results
    page and in the open data, not only in the signed PDF."""
    from tests.protocols.publication_fixtures import publish

    p = tied["protocol"]
    decide(p, tied["chair"], ["Борисов Бекзат", "Алиева Айгуль"])
    p.refresh_from_db()
    for user in (tied["chair"], *tied["others"]):
        protocol_sign(protocol=p, actor=user, password=PASSWORD)
    election = publish(Election.objects.get(pk=tied["election"].pk))
    group = tied["contest"].group.slug
    page = client.get(f"/elections/{election.slug}/results/group/{group}/").content.decode()
    assert "Равное число голосов" in page and "Решено комиссией" in page
    assert "Борисов Бекзат, Алиева Айгуль" in page
    data = client.get(f"/elections/{election.slug}/results/open-data/results.json").json()
    (ties,) = [c["result"]["ties"] for c in data["contests"] if c["result"] and c["result"]["ties"]]
    assert len(ties) == 1 and sorted(ties[0]["candidates"]) == ["Алиева Айгуль", "Борисов Бекзат"]
    assert ties[0]["settled_by"] == "lot" and ties[0]["order"] == ["Борисов Бекзат", "Алиева Айгуль"]
