"""demo.meetings: the meetings of both demo elections, held with their attendance and quorum and
their minutes signed by two people, each linked to the activity of the plan it carries out; the
acts of hand-over of the Kyrgyz election; loading again makes none twice (the demo is loaded once
for tests/demo: tests/demo/conftest.py)."""

import pytest

from demo.meetings import load_meetings
from elections.models import CalendarActivity, Election
from meetings.models import Meeting
from meetings.selectors import quorum_of
from protocols.models import HandoverAct, Protocol


@pytest.mark.django_db
def test_the_demo_holds_its_meetings_with_a_quorum_and_signed_minutes(demo):
    ccm, kg = Election.objects.get(slug="ccm-kz-2024"), Election.objects.get(slug="kg-local-2016")
    kinds = {(m.election.slug, m.kind) for m in Meeting.objects.select_related("election")}
    assert kinds == {
        ("ccm-kz-2024", "working"),
        ("ccm-kz-2024", "consultation"),
        ("ccm-kz-2024", "orientation"),
        ("ccm-kz-2024", "assembly"),
        ("kg-local-2016", "final_session"),
    }
    assert Meeting.objects.filter(election=kg, kind="final_session").count() == 2
    assert set(Meeting.objects.values_list("status", flat=True)) == {"held"}
    linked = {
        (m.election.slug, m.activity.number) for m in Meeting.objects.select_related("activity", "election")
    }
    assert linked == {("ccm-kz-2024", n) for n in (1, 2, 12, 15, 20, 25)} | {
        ("kg-local-2016", 49),
        ("kg-local-2016", 52),
    }
    assembly = Meeting.objects.get(election=ccm, kind="assembly")
    assert assembly.announced_activity.number == 19 and assembly.announced_activity.completed_at is not None
    assert assembly.items.filter(kind="presentation").count() >= 2
    assert all(m.activity.completed_at is not None for m in Meeting.objects.select_related("activity"))
    for meeting in Meeting.objects.all():
        assert meeting.minutes_signed and meeting.minutes_signatures.count() == 2, meeting.title
        if meeting.commission_id:
            quorum = quorum_of(meeting)
            assert quorum.members_total >= 2 and quorum.met, meeting.title
    tec_session = Meeting.objects.get(election=kg, activity__number=52)
    decided = tec_session.items.get(decision__isnull=False)
    assert decided.decision.kind == "complaint" and decided.decision.number is not None
    assert tec_session.items.filter(subject_type__model="protocol").exists()
    from accounts.models import User

    users = {u.email: u for u in User.objects.all()}
    count = Meeting.objects.count()
    load_meetings(ccm, kg, users)
    assert Meeting.objects.count() == count


@pytest.mark.django_db
def test_the_kyrgyz_demo_hands_its_protocols_and_lists_over_by_act(demo):
    kg = Election.objects.get(slug="kg-local-2016")
    acts = HandoverAct.objects.filter(election=kg)
    assert acts.filter(kind="voter_lists", status="received").count() == 6
    assert acts.filter(kind="territorial_protocol", status="received").count() == 2
    for protocol in Protocol.objects.filter(
        election=kg, level__in=("precinct", "territorial"), status="signed"
    ):
        assert protocol.handover_acts.filter(status="received").exists(), protocol
        assert protocol.transmission == "accepted", protocol
    done = dict(
        CalendarActivity.objects.filter(calendar__election=kg, number__in=(14, 51, 53, 55)).values_list(
            "number", "completed_at"
        )
    )
    assert all(done[n] is not None for n in (14, 51, 53, 55)), done
