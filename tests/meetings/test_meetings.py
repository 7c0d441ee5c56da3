"""Meetings: a body's chair or secretary (or the secretariat) schedules a meeting with its agenda,
the members are invited by e-mail with a calendar event, the secretary records who came and the
quorum is checked; observers see the meetings they may attend; cancelling needs a reason."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Position, Role
from elections.models import AuditEntry, OutboxMail
from meetings import selectors
from meetings.models import Meeting
from meetings.services import meeting as services
from tests.factories import user_with_role
from tests.groups.factories import MemberFactory


@pytest.fixture
def body(structure):
    """Commission A with a chair, a secretary and a member (three members: the quorum is two)."""
    commission = structure["commission_a"]
    chair = MemberFactory(commission=commission, position=Position.CHAIR, email="chair@example.org")
    secretary = MemberFactory(commission=commission, position=Position.SECRETARY, email="sec@example.org")
    member = MemberFactory(commission=commission, position=Position.MEMBER, email="member@example.org")
    return dict(structure, chair=chair.user, secretary=secretary.user, member=member.user)


def _schedule(body, *, actor=None, starts_at=None, **kw):
    values = {
        "election": body["election"],
        "commission": body["commission_a"],
        "kind": Meeting.Kind.ORIENTATION,
        "title": "Ориентационная встреча",
        "starts_at": starts_at or timezone.now() + dt.timedelta(days=2),
        "place": "Алматы, ул. Абая 1",
        "agenda": ["Декларации об отсутствии конфликта интересов", "", "Порядок проверки заявлений"],
        "actor": actor,
    }
    values.update(kw)
    return services.meeting_schedule(**values)


@pytest.mark.django_db
def test_scheduling_invites_the_members_with_the_agenda_and_a_calendar_event(body):
    meeting = _schedule(body, actor=body["secretary"])
    assert [i.title for i in meeting.items.order_by("order")] == [
        "Декларации об отсутствии конфликта интересов",
        "Порядок проверки заявлений",
    ]
    assert {p.user.email for p in meeting.participants.all()} == {
        "chair@example.org",
        "sec@example.org",
        "member@example.org",
    }
    invitations = OutboxMail.objects.filter(kind="meetings.invitation")
    assert invitations.count() == 3
    mail = invitations.get(to="member@example.org")
    assert "Ориентационная встреча" in mail.subject and "Порядок проверки заявлений" in mail.body
    assert f"/meetings/{meeting.pk}/meeting.ics" in mail.body and "Алматы, ул. Абая 1" in mail.body
    entry = AuditEntry.objects.get(action="meetings.meeting.scheduled")
    assert entry.actor == body["secretary"] and entry.data["invited"] == 3


@pytest.mark.django_db
def test_only_the_chair_deputy_secretary_or_secretariat_schedule_and_bad_input_is_refused(body):
    with pytest.raises(PermissionDenied):
        _schedule(body, actor=body["member"])
    with pytest.raises(PermissionDenied):
        _schedule(body, actor=body["users"]["observer"])
    with pytest.raises(ValidationError) as no_place:
        _schedule(body, actor=body["chair"], place="", link="")
    assert "place" in no_place.value.error_dict
    with pytest.raises(ValidationError) as no_agenda:
        _schedule(body, actor=body["chair"], agenda=["  ", ""])
    assert "agenda" in no_agenda.value.error_dict
    other = user_with_role(Role.COMMISSION_MEMBER, commission=body["commission_b"], position=Position.CHAIR)
    with pytest.raises(PermissionDenied):
        _schedule(body, actor=other)
    assert not Meeting.objects.exists()
    assert _schedule(
        body, actor=body["users"]["secretariat"], commission=None, place="", link="https://meet.example.org/x"
    )


@pytest.mark.django_db
def test_attendance_and_the_quorum(body):
    meeting = _schedule(body, actor=body["chair"])
    with pytest.raises(ValidationError, match="начал|begun"):
        services.attendance_record(meeting=meeting, present=[body["chair"].pk], actor=body["secretary"])
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - dt.timedelta(minutes=5))
    quorum = services.attendance_record(meeting=meeting, present=[body["chair"].pk], actor=body["secretary"])
    assert (quorum.present, quorum.members_total, quorum.required, quorum.met) == (1, 3, 2, False)
    quorum = services.attendance_record(
        meeting=meeting, present=[body["chair"].pk, body["member"].pk], actor=body["secretary"]
    )
    assert (quorum.present, quorum.met) == (2, True)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    with pytest.raises(ValidationError):
        services.attendance_record(
            meeting=meeting, present=[body["users"]["voter_a"].pk], actor=body["secretary"]
        )
    assert AuditEntry.objects.filter(action="meetings.attendance.recorded").count() == 2
    with pytest.raises(ValidationError):
        services.meeting_cancel(meeting=meeting, reason="Поздно", actor=body["chair"])


@pytest.mark.django_db
def test_who_sees_which_meeting(client, body):
    open_meeting = _schedule(body, actor=body["chair"])
    closed = _schedule(body, actor=body["chair"], title="Закрытое заседание", observers_may_attend=False)
    election = body["election"]
    observer = body["users"]["observer"]
    assert selectors.meetings_for(observer, election) == [open_meeting]
    assert set(selectors.meetings_for(body["member"], election)) == {open_meeting, closed}
    assert set(selectors.meetings_for(body["users"]["secretariat"], election)) == {open_meeting, closed}
    other = user_with_role(Role.COMMISSION_MEMBER, commission=body["commission_b"])
    assert selectors.meetings_for(other, election) == []
    client.force_login(observer)
    assert client.get(reverse("meetings:detail", args=[election.slug, closed.pk])).status_code == 404
    page = client.get(reverse("meetings:detail", args=[election.slug, open_meeting.pk])).content.decode()
    assert "Порядок проверки заявлений" in page and 'id="attendance-form"' not in page
    # an observer changes nothing
    response = client.post(reverse("meetings:detail", args=[election.slug, open_meeting.pk]), {"reason": "x"})
    assert response.status_code == 403
    client.force_login(body["users"]["voter_a"])
    assert client.get(reverse("meetings:list", args=[election.slug])).status_code == 403


@pytest.mark.django_db
def test_the_pages_schedule_record_and_cancel(client, body, settings):
    election = body["election"]
    client.force_login(body["secretary"])
    url = reverse("meetings:create", args=[election.slug])
    form = client.get(url).context["form"]
    assert [v for v, _label in form.fields["body"].choices] == [str(body["commission_a"].pk)]
    response = client.post(
        url,
        {
            "body": "secretariat",
            "kind": "working",
            "title": "x",
            "starts_at": "2030-01-01T10:00",
            "place": "a",
            "agenda": "a",
        },
    )
    assert response.status_code == 200 and response.context["form"].errors["body"]
    starts = (timezone.localtime(timezone.now(), election.tz) - dt.timedelta(minutes=1)).strftime(
        "%Y-%m-%dT%H:%M"
    )
    response = client.post(
        url,
        {
            "body": str(body["commission_a"].pk),
            "kind": "final_session",
            "title": "Итоговое заседание",
            "starts_at": starts,
            "place": "Здание акимата",
            "agenda": "Жалобы\nПротокол",
            "observers_may_attend": "on",
        },
    )
    meeting = Meeting.objects.get(title="Итоговое заседание")
    detail = reverse("meetings:detail", args=[election.slug, meeting.pk])
    assert response.status_code == 302 and response["Location"] == detail
    page = client.get(detail).content.decode()
    assert 'id="attendance-form"' in page and 'id="cancel-form"' in page
    client.post(detail, {"present": [str(body["chair"].pk), str(body["secretary"].pk)]})
    page = client.get(detail).content.decode()
    assert 'data-met="yes"' in page and "Председатель" in page and "Секретарь" in page
    ics = client.get(reverse("meetings:ics", args=[election.slug, meeting.pk]))
    assert ics["Content-Type"].startswith("text/calendar")
    assert b"SUMMARY:" in ics.content and b"DTSTART" in ics.content and "Жалобы".encode() in ics.content
    with translation.override("en"):
        english = client.get(reverse("meetings:detail", args=[election.slug, meeting.pk])).content.decode()
    assert "Members present: 2 of 3; the quorum is 2." in english


@pytest.mark.django_db
def test_cancelling_needs_a_reason(client, body):
    meeting = _schedule(body, actor=body["chair"])
    with pytest.raises(ValidationError) as refused:
        services.meeting_cancel(meeting=meeting, reason=" ", actor=body["chair"])
    assert "reason" in refused.value.error_dict
    services.meeting_cancel(meeting=meeting, reason="Перенос на понедельник", actor=body["chair"])
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    told = OutboxMail.objects.filter(kind="meetings.cancelled")
    assert told.count() == 3 and all("Перенос на понедельник" in m.body for m in told)
    with pytest.raises(ValidationError):
        services.attendance_record(meeting=meeting, present=[], actor=body["chair"])


@pytest.mark.django_db
def test_the_invited_are_reminded_once_the_day_before(body, settings):
    from elections.models import Notification
    from meetings.reminders import send_meeting_reminders

    now = timezone.now()
    soon = _schedule(body, actor=body["chair"], starts_at=now + dt.timedelta(hours=20))
    _schedule(body, actor=body["chair"], title="Через неделю", starts_at=now + dt.timedelta(days=7))
    cancelled = _schedule(
        body, actor=body["chair"], title="Отменённое", starts_at=now + dt.timedelta(hours=5)
    )
    services.meeting_cancel(meeting=cancelled, reason="Перенос", actor=body["chair"])
    body["member"].language = "en"
    body["member"].save()
    assert send_meeting_reminders(now) == 3
    assert send_meeting_reminders(now) == 0  # once
    reminders = OutboxMail.objects.filter(kind="meetings.reminder")
    assert reminders.count() == 3 and all(soon.title in m.body for m in reminders)
    assert reminders.get(to="member@example.org").subject.startswith("Reminder:")
    assert reminders.get(to="chair@example.org").subject.startswith("Напоминание:")
    assert Notification.objects.filter(kind="meeting_reminder").count() == 3
    assert (
        settings.CELERY_BEAT_SCHEDULE["meeting-reminders-hourly"]["task"] == "meetings.send_meeting_reminders"
    )


@pytest.mark.django_db
def test_a_meeting_held_for_a_calendar_activity_marks_it_done_and_the_plan_links_to_it(client, body):
    from elections.models import PlanTemplate
    from elections.services.calendar import calendar_start
    from tests.candidates.conftest import _ccm_template

    election = body["election"]
    _ccm_template()
    calendar_start(
        election=election,
        template=PlanTemplate.objects.get(slug="ccm-ngo-2024"),
        anchors={"voting_day": dt.date(2030, 8, 17)},
        actor=None,
    )
    with pytest.raises(ValidationError) as not_theirs:  # activity 15 is the organising committee's
        _schedule(body, actor=body["chair"], activity_number=15)
    assert "activity_number" in not_theirs.value.error_dict
    with pytest.raises(ValidationError):
        _schedule(body, actor=body["users"]["secretariat"], activity_number=999)
    starts = timezone.now() - dt.timedelta(hours=1)
    meeting = _schedule(body, actor=body["users"]["secretariat"], activity_number=15, starts_at=starts)
    activity = meeting.activity
    assert activity.number == 15 and activity.completed_at is None
    services.attendance_record(
        meeting=meeting, present=[body["chair"].pk, body["member"].pk], actor=body["chair"]
    )
    activity.refresh_from_db()
    assert activity.completed_at == starts and activity.completion_note == meeting.title
    client.force_login(body["member"])
    page = client.get(reverse("elections:calendar", args=[election.slug])).content.decode()
    link = reverse("meetings:detail", args=[election.slug, meeting.pk])
    assert f'href="{link}" data-work="15"' in page
    client.force_login(body["users"]["voter_a"])  # not invited: no link to a meeting it may not see
    assert link not in client.get(reverse("elections:calendar", args=[election.slug])).content.decode()


@pytest.mark.django_db
def test_candidates_and_observers_are_invited_from_the_meeting_page(client, body):
    meeting = _schedule(body, actor=body["chair"])
    candidate, observer = body["users"]["candidate_a"], body["users"]["observer"]
    client.force_login(body["secretary"])
    url = reverse("meetings:detail", args=[body["election"].slug, meeting.pk])
    form = client.get(url).context["invite_form"]
    offered = {v for v, _label in form.fields["people"].choices}
    assert str(candidate.pk) in offered and str(body["users"]["voter_a"].pk) not in offered
    response = client.post(url, {"action": "invite", "people": [str(body["users"]["voter_a"].pk)]})
    assert response.status_code == 200 and response.context["invite_form"].errors["people"]
    client.post(url, {"action": "invite", "people": [str(candidate.pk)]})
    roles = dict(meeting.participants.values_list("user_id", "role"))
    assert roles[candidate.pk] == "candidate" and observer.pk not in roles
    assert OutboxMail.objects.filter(kind="meetings.invitation", to=candidate.email).exists()
    # the candidate now sees the meeting; quorum still counts members only
    assert meeting in selectors.meetings_for(candidate, body["election"])
    assert selectors.quorum_of(meeting).members_total == 3
