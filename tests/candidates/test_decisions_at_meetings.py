"""A commission's decision on a candidate taken at its meeting: it goes into the meeting's minutes
as an agenda item, and is refused — with nothing changed — when the meeting had no quorum, is of
another commission, or a member who was not present voted."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from elections.models import AuditEntry, Decision
from meetings.models import Meeting
from meetings.services import meeting as meetings

from . import factories
from .factories import ApplicationFactory


def _held(cand, commission, present):
    meeting = meetings.meeting_schedule(
        election=cand["election"],
        commission=commission,
        kind=Meeting.Kind.WORKING,
        title="Заседание по заявлениям",
        starts_at=timezone.now() - dt.timedelta(hours=1),
        place="Алматы",
        agenda=["Заявления кандидатов"],
        actor=None,
    )
    meetings.attendance_record(meeting=meeting, present=[m.user_id for m in present], actor=None)
    return meeting


@pytest.mark.django_db
def test_a_decision_taken_at_a_meeting_goes_into_its_minutes(cand):
    chair, secretary = cand["voters_a"]
    meeting = _held(cand, cand["commission_a"], [chair, secretary])
    application = ApplicationFactory(election=cand["election"], group=cand["group_a"])
    decision = factories.admit(application, cand["voters_a"], meeting=meeting)
    assert decision.is_adopted and decision.number == 1
    item = meeting.items.get(decision=decision)
    assert item.order == 2 and application.full_name in item.title
    assert AuditEntry.objects.filter(
        action="meetings.decision.recorded", data__decision_id=decision.pk
    ).exists()


@pytest.mark.django_db
def test_no_quorum_another_body_or_an_absent_voter_refuse_the_decision(cand):
    chair, secretary = cand["voters_a"]
    application = ApplicationFactory(election=cand["election"], group=cand["group_a"])
    refusals = [
        (_held(cand, cand["commission_a"], [chair]), cand["voters_a"]),  # 1 of 3: no quorum
        (_held(cand, cand["commission_b"], [cand["member_b"]]), cand["voters_a"]),  # another body
        (
            _held(cand, cand["commission_a"], [chair, cand["undeclared_a"]]),
            cand["voters_a"],
        ),  # secretary absent
    ]
    for meeting, voters in refusals:
        with pytest.raises(ValidationError) as refused:
            factories.admit(application, voters, meeting=meeting)
        assert "meeting" in refused.value.error_dict
    application.refresh_from_db()
    assert application.is_undecided and not Decision.objects.exists()


@pytest.mark.django_db
def test_the_decision_form_offers_the_commission_s_held_meetings(client, cand):
    chair, secretary = cand["voters_a"]
    meeting = _held(cand, cand["commission_a"], [chair, secretary])
    application = ApplicationFactory(election=cand["election"], group=cand["group_a"])
    client.force_login(chair.user)
    url = reverse("candidates:application", args=[cand["election"].slug, application.pk])
    form = client.get(url).context["decision_form"]
    assert [v for v, _label in form.fields["meeting"].choices] == ["", str(meeting.pk)]
    votes = {f"vote_{m.pk}": "for" for m in cand["voters_a"]}
    response = client.post(
        reverse("candidates:decide", args=[cand["election"].slug, application.pk]),
        {"decision": "admit", "meeting": str(meeting.pk), **votes},
    )
    assert response.status_code == 302
    page = client.get(reverse("meetings:detail", args=[cand["election"].slug, meeting.pk])).content.decode()
    assert application.full_name in page and "№ 1" in page
