"""The minutes of a meeting: agenda items pointing at what they decide, what was said under each
with dissenting opinions, the signatures of the chair and the secretary (password re-entered),
after which nothing changes, and the signed PDFs, public where the election is public. The
programme of an assembly of voters and the paper ballots cast at it."""

import datetime as dt
import shutil
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Position
from ballots.models import Channel
from elections import signing
from elections.models import AuditEntry, Election
from meetings.agenda_subjects import subjects_for
from meetings.minutes import minutes_data
from meetings.models import AgendaItem, Meeting, MinutesDocument
from meetings.services import agenda, minutes
from meetings.services import meeting as services
from protocols.models import Complaint
from protocols.services.protocol import complaint_decide, complaint_submit
from tests.factories import PASSWORD
from tests.groups.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(structure):
    """A held meeting of commission A (chair, deputy, secretary, member; all present but the
    deputy) with one complaint to decide."""
    commission = structure["commission_a"]
    people = {}
    for position in (Position.CHAIR, Position.DEPUTY, Position.SECRETARY, Position.MEMBER):
        user = MemberFactory(commission=commission, position=position, email=f"{position}@example.org").user
        user.set_password(PASSWORD)
        user.save()
        people[position] = user
    Election.objects.filter(pk=structure["election"].pk).update(state=Election.State.COUNTING)
    election = Election.objects.get(pk=structure["election"].pk)
    meeting = services.meeting_schedule(
        election=election,
        commission=commission,
        kind=Meeting.Kind.FINAL_SESSION,
        title="Итоговое заседание",
        starts_at=timezone.now() - dt.timedelta(minutes=30),
        place="Зал заседаний",
        agenda=["Рассмотрение жалоб"],
        actor=people[Position.SECRETARY],
    )
    present = [u.pk for p, u in people.items() if p != Position.DEPUTY]
    services.attendance_record(meeting=meeting, present=present, actor=people[Position.SECRETARY])
    complaint = complaint_submit(
        election=election,
        commission=commission,
        complainant_kind=Complaint.Kind.OBSERVER,
        complainant_name="Руслан Ахметов",
        text="Не выдали копию протокола.",
    )
    return dict(structure, election=election, meeting=meeting, complaint=complaint, **people)


def _sign_both(held):
    minutes.minutes_sign(meeting=held["meeting"], actor=held["chair"], role="chair", password=PASSWORD)
    minutes.minutes_sign(
        meeting=held["meeting"], actor=held["secretary"], role="secretary", password=PASSWORD
    )
    held["meeting"].refresh_from_db()
    minutes.minutes_documents_render(meeting=held["meeting"])  # the task queued on commit


def test_an_agenda_item_points_at_what_it_decides_and_the_minutes_say_what_was_decided(held):
    meeting, secretary = held["meeting"], held["secretary"]
    offered = {s.label: s for s in subjects_for(meeting)}
    complaint_label = next(label for label in offered if "Руслан Ахметов" in label)
    item = agenda.agenda_item_add(
        meeting=meeting, title="", actor=secretary, subject_key=offered[complaint_label].key
    )
    assert item.subject == held["complaint"] and item.title == complaint_label and item.order == 2
    with pytest.raises(ValidationError) as foreign:
        agenda.agenda_item_add(meeting=meeting, title="x", actor=secretary, subject_key="999:999")
    assert "subject" in foreign.value.error_dict
    with pytest.raises(ValidationError):
        agenda.agenda_item_add(meeting=meeting, title="  ", actor=secretary)
    complaint_decide(
        complaint=held["complaint"],
        actor=held["chair"],
        status=Complaint.Status.REJECTED,
        decision_text="Копия выдана, нарушений нет.",
        meeting=meeting,
    )
    decided = meeting.items.get(decision__isnull=False)
    assert decided.subject == held["complaint"]
    agenda.agenda_item_minute(
        item=decided, notes="Выступил наблюдатель.", dissent="Член комиссии А. не согласен.", actor=secretary
    )
    data = minutes_data(meeting)
    row = next(i for i in data["items"] if i["decision"])
    assert row["decision"]["number"] == 1 and row["decision"]["reasons"] == "Копия выдана, нарушений нет."
    assert row["notes"] == "Выступил наблюдатель." and row["dissent"] == "Член комиссии А. не согласен."
    assert (data["members_present"], data["members_total"], data["quorum"]) == (3, 4, 3)


def test_the_chair_and_the_secretary_sign_and_then_nothing_in_the_minutes_changes(
    held, portal, django_capture_on_commit_callbacks
):
    meeting = held["meeting"]
    with pytest.raises(ValidationError) as wrong:
        minutes.minutes_sign(meeting=meeting, actor=held["chair"], role="chair", password="wrong")
    assert "password" in wrong.value.error_dict
    with pytest.raises(
        ValidationError
    ) as not_chair:  # the chair is present: the member may not sign as chair
        minutes.minutes_sign(meeting=meeting, actor=held["member"], role="chair", password=PASSWORD)
    assert "role" in not_chair.value.error_dict
    with pytest.raises(ValidationError):  # the deputy was absent
        minutes.minutes_sign(meeting=meeting, actor=held["deputy"], role="chair", password=PASSWORD)
    assert not meeting.minutes_signatures.exists()
    minutes.minutes_sign(meeting=meeting, actor=held["chair"], role="chair", password=PASSWORD)
    with pytest.raises(ValidationError):  # the same person does not sign twice
        minutes.minutes_sign(meeting=meeting, actor=held["chair"], role="secretary", password=PASSWORD)
    meeting.refresh_from_db()
    assert not meeting.minutes_signed
    with django_capture_on_commit_callbacks(execute=True):
        minutes.minutes_sign(meeting=meeting, actor=held["secretary"], role="secretary", password=PASSWORD)
    meeting.refresh_from_db()
    assert meeting.minutes_signed and len(meeting.minutes_sha256) == 64
    assert AuditEntry.objects.filter(action="meetings.minutes.signed").count() == 2
    # the signed PDFs were made after the commit (eager outbox), Russian and English, PAdES-signed
    documents = {d.language: d for d in MinutesDocument.objects.filter(meeting=meeting)}
    assert set(documents) == {"ru", "en"}
    content = documents["ru"].file.open("rb").read()
    assert signing.verify_pdf(content).ok
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout
        text = text.decode()
        assert (
            "ПРОТОКОЛ ЗАСЕДАНИЯ" in text and "Итоговое заседание" in text and meeting.minutes_sha256 in text
        )
    # nothing changes any more
    with pytest.raises(ValidationError):
        services.attendance_record(meeting=meeting, present=[held["chair"].pk], actor=held["secretary"])
    with pytest.raises(ValidationError):
        agenda.agenda_item_minute(item=meeting.items.first(), notes="x", dissent="", actor=held["secretary"])
    with pytest.raises(ValidationError):
        agenda.agenda_item_add(meeting=meeting, title="Ещё", actor=held["secretary"])
    with pytest.raises(ValidationError):
        complaint_decide(
            complaint=held["complaint"],
            actor=held["chair"],
            status="rejected",
            decision_text="x",
            meeting=meeting,
        )
    assert Complaint.objects.get(pk=held["complaint"].pk).status == Complaint.Status.RECEIVED


def test_the_deputy_signs_when_the_chair_was_absent_and_a_member_when_the_secretary_was(structure):
    commission = structure["commission_a"]
    chair = MemberFactory(commission=commission, position=Position.CHAIR).user
    deputy = MemberFactory(commission=commission, position=Position.DEPUTY).user
    secretary = MemberFactory(commission=commission, position=Position.SECRETARY).user
    member = MemberFactory(commission=commission, position=Position.MEMBER).user
    for user in (deputy, member):
        user.set_password(PASSWORD)
        user.save()
    meeting = services.meeting_schedule(
        election=structure["election"],
        commission=commission,
        kind=Meeting.Kind.WORKING,
        title="Заседание",
        starts_at=timezone.now() - dt.timedelta(minutes=5),
        place="Зал",
        agenda=["Вопрос"],
        actor=chair,
    )
    services.attendance_record(meeting=meeting, present=[deputy.pk, member.pk], actor=deputy)
    del secretary
    minutes.minutes_sign(meeting=meeting, actor=deputy, role="chair", password=PASSWORD)
    minutes.minutes_sign(meeting=meeting, actor=member, role="secretary", password=PASSWORD)
    meeting.refresh_from_db()
    assert meeting.minutes_signed


def test_signed_minutes_are_public_where_the_election_is_public(client, held, portal):
    _sign_both(held)
    meeting, election = held["meeting"], held["election"]
    url = reverse("meetings:minutes", args=[election.slug, meeting.pk, "ru"])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(reverse("meetings:minutes", args=[election.slug, meeting.pk, "de"])).status_code == 404
    Election.objects.filter(pk=election.pk).update(state=Election.State.DRAFT)
    assert client.get(url).status_code == 404
    client.force_login(held["member"])
    assert client.get(url).status_code == 200
    page = client.get(reverse("meetings:detail", args=[election.slug, meeting.pk])).content.decode()
    assert 'id="minutes-documents"' in page and 'id="sign-form"' not in page


def test_the_meeting_page_writes_the_minutes_and_signs_them(client, held, portal):
    meeting, election = held["meeting"], held["election"]
    detail = reverse("meetings:detail", args=[election.slug, meeting.pk])
    client.force_login(held["secretary"])
    item = meeting.items.get(order=1)
    response = client.post(
        detail, {"action": "minutes", "item": item.pk, "notes": "Жалоб не было.", "dissent": ""}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.notes == "Жалоб не было."
    draft = client.get(reverse("meetings:minutes_draft", args=[election.slug, meeting.pk]))
    assert draft.status_code == 200 and draft.content.startswith(b"%PDF")
    response = client.post(detail, {"action": "sign", "role": "secretary", "password": PASSWORD})
    assert response.status_code == 200 and "confirm" in response.context["sign_form"].errors
    response = client.post(detail, {"action": "sign", "role": "chair", "password": PASSWORD, "confirm": "on"})
    assert response.status_code == 200 and response.context["sign_form"].errors
    assert not meeting.minutes_signatures.exists()
    response = client.post(
        detail, {"action": "sign", "role": "secretary", "password": PASSWORD, "confirm": "on"}, follow=True
    )
    assert "Вы подписали протокол" in response.content.decode()
    assert meeting.minutes_signatures.get().role == "secretary"
    client.force_login(held["chair"])
    client.post(detail, {"action": "sign", "role": "chair", "password": PASSWORD, "confirm": "on"})
    meeting.refresh_from_db()
    assert meeting.minutes_signed
    minutes.minutes_documents_render(meeting=meeting)
    with translation.override("en"):
        page = client.get(reverse("meetings:detail", args=[election.slug, meeting.pk])).content.decode()
    assert "Signed by the chair and the secretary" in page and "in English (PDF)" in page


def _admitted(counted, name, email):
    from candidates.models import Application

    now = timezone.now()
    return Application.objects.create(
        election=counted["election"],
        group=counted["contest"].group,
        commission=counted["commission"],
        nomination="self",
        full_name=name,
        email=email,
        organisation="Сеть ЛЖВ",
        programme="Программа",
        consent_at=now,
        consent_text="согласие",
        status="admitted",
        admitted_at=now,
    )


def test_the_programme_of_an_assembly_and_its_paper_ballots(counted, client):
    from ballots.services.offline import paper_tally_enter

    election = counted["election"]
    chair = counted["members"][0]
    applications = [
        _admitted(counted, "Алиева Айгуль", "alieva@example.org"),
        _admitted(counted, "Борисов Бекзат", "borisov@example.org"),
    ]
    meeting = services.meeting_schedule(
        election=election,
        commission=counted["commission"],
        kind=Meeting.Kind.ASSEMBLY,
        title="Собрание избирателей группы",
        starts_at=timezone.now() + dt.timedelta(days=1),
        place="Большой зал",
        agenda=["Открытие"],
        actor=chair,
    )
    from ballots.models import Contest

    ballot = next(s for s in subjects_for(meeting) if isinstance(s.obj, Contest))  # the ballot text
    assert ballot.obj == counted["contest"] and ballot.url
    items = agenda.assembly_programme_draft(meeting=meeting, actor=chair)
    kinds = [i.kind for i in items]
    K = AgendaItem.Kind
    assert kinds[:2] == [K.OBSERVERS, K.PROCEDURE] and kinds[-2:] == [K.QUESTIONS, K.VOTE]
    assert {i.subject for i in items if i.kind == K.PRESENTATION} == set(applications)
    with pytest.raises(ValidationError):
        agenda.assembly_programme_draft(meeting=meeting, actor=chair)
    with pytest.raises(ValidationError):
        paper_tally_enter(
            contest=counted["contest"],
            actor=chair,
            batch="1",
            counts={},
            channel=Channel.PAPER,
            meeting=meeting,
        )
    paper_tally_enter(
        contest=counted["contest"],
        actor=chair,
        batch="Урна 1",
        counts={},
        channel=Channel.ASSEMBLY,
        meeting=meeting,
    )
    client.force_login(chair)
    page = client.get(reverse("meetings:detail", args=[election.slug, meeting.pk])).content.decode()
    assert 'id="assembly-ballots"' in page and "Урна 1" in page and "Алиева Айгуль" in page


def test_the_organising_committees_representatives_open_their_meeting_and_sign_its_minutes(structure, client):
    from tests.groups.factories import approved_representative, org_committee

    election = structure["election"]
    committee = org_committee(election)
    first = approved_representative(election, structure["group_a"], email="oc-a@example.org").user
    second = approved_representative(election, structure["group_b"], email="oc-b@example.org").user
    for user in (first, second):
        user.set_password(PASSWORD)
        user.save()
    secretariat = structure["users"]["secretariat"]
    meeting = services.meeting_schedule(
        election=election,
        commission=committee,
        kind=Meeting.Kind.CONSULTATION,
        title="Консультационная встреча оргкомитета",
        starts_at=timezone.now() - dt.timedelta(minutes=10),
        place="Онлайн",
        agenda=["Принципы выборов"],
        actor=secretariat,
    )
    services.attendance_record(meeting=meeting, present=[first.pk, second.pk], actor=secretariat)
    detail = reverse("meetings:detail", args=[election.slug, meeting.pk])
    client.force_login(first)
    page = client.get(detail)
    assert page.status_code == 200 and 'id="sign-form"' in page.content.decode()
    assert 'id="attendance-form"' not in page.content.decode()  # a representative does not manage it
    client.post(detail, {"action": "sign", "role": "chair", "password": PASSWORD, "confirm": "on"})
    client.force_login(second)
    client.post(detail, {"action": "sign", "role": "secretary", "password": PASSWORD, "confirm": "on"})
    meeting.refresh_from_db()
    assert meeting.minutes_signed
    assert client.post(detail, {"action": "item", "title": "Ещё"}).status_code == 403
    client.force_login(structure["users"]["voter_a"])
    assert client.get(detail).status_code in (403, 404)


def test_the_public_reads_the_signed_minutes_from_the_results_page(client, held, portal):
    _sign_both(held)
    election, meeting = held["election"], held["meeting"]
    results = client.get(reverse("protocols:results", args=[election.slug])).content.decode()
    listing_url = reverse("meetings:public_minutes", args=[election.slug])
    assert listing_url in results
    listing = client.get(listing_url).content.decode()
    assert "Итоговое заседание" in listing
    assert reverse("meetings:minutes", args=[election.slug, meeting.pk, "ru"]) in listing
    Election.objects.filter(pk=election.pk).update(state=Election.State.DRAFT)
    assert client.get(listing_url).status_code == 404
