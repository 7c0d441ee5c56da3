"""A complaint decided at the commission's final session (seed 003 items 49, 52): the decision goes
into the meeting's minutes; a meeting without its quorum, or one that is not the commission's,
refuses it and nothing changes."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from meetings.models import Meeting
from meetings.services import meeting as meetings
from protocols.models import Complaint
from protocols.services.protocol import complaint_decide, complaint_submit


def _final_session(counted, present):
    meeting = meetings.meeting_schedule(
        election=counted["election"],
        commission=counted["commission"],
        kind=Meeting.Kind.FINAL_SESSION,
        title="Итоговое заседание",
        starts_at=timezone.now() - dt.timedelta(minutes=30),
        place="Участок",
        agenda=["Жалобы", "Протокол"],
        actor=None,
    )
    meetings.attendance_record(meeting=meeting, present=[u.pk for u in present], actor=None)
    return meeting


def _complaint(counted):
    return complaint_submit(
        election=counted["election"],
        commission=counted["commission"],
        complainant_kind="observer",
        complainant_name="Наблюдатель",
        text="Урна не была опечатана",
    )


@pytest.mark.django_db
def test_a_complaint_decided_at_the_final_session(client, counted):
    chair, secretary, _member = counted["members"]
    meeting = _final_session(counted, [chair, secretary])
    complaint = _complaint(counted)
    client.force_login(chair)
    page = client.get(f"/elections/{counted['election'].slug}/results/complaints/").content.decode()
    assert f'<option value="{meeting.pk}">' in page
    client.post(
        f"/elections/{counted['election'].slug}/results/complaints/",
        {
            "complaint": complaint.pk,
            "status": "rejected",
            "decision_text": "Урна опечатана в 8:00",
            "meeting": meeting.pk,
        },
    )
    complaint.refresh_from_db()
    assert complaint.status == "rejected"
    item = meeting.items.get(decision=complaint.decision)
    assert item.order == 3 and "Жалоба № 1" in item.title
    # a made-up meeting is refused in plain words and changes nothing
    second = _complaint(counted)
    response = client.post(
        f"/elections/{counted['election'].slug}/results/complaints/",
        {"complaint": second.pk, "status": "upheld", "decision_text": "x", "meeting": "999999"},
        follow=True,
    )
    assert "Выберите состоявшееся заседание этой комиссии." in response.content.decode()
    assert Complaint.objects.get(pk=second.pk).status == "received"


@pytest.mark.django_db
def test_no_quorum_no_decision(counted):
    chair, _secretary, _member = counted["members"]
    meeting = _final_session(counted, [chair])
    complaint = _complaint(counted)
    with pytest.raises(ValidationError) as refused:
        complaint_decide(
            complaint=complaint, actor=chair, status="upheld", decision_text="Да", meeting=meeting
        )
    assert "meeting" in refused.value.error_dict
    complaint.refresh_from_db()
    assert complaint.status == "received" and complaint.decision is None
