"""demo.meetings: the meetings of both demo elections, held with their attendance and quorum, and
loading them again makes none twice (the demo is loaded once for tests/demo: tests/demo/conftest.py)."""

import pytest

from demo.meetings import load_meetings
from elections.models import Election
from meetings.models import Meeting
from meetings.selectors import quorum_of


@pytest.mark.django_db
def test_the_demo_holds_its_meetings_with_a_quorum(demo):
    ccm, kg = Election.objects.get(slug="ccm-kz-2024"), Election.objects.get(slug="kg-local-2016")
    kinds = {(m.election.slug, m.kind) for m in Meeting.objects.select_related("election")}
    assert kinds == {
        ("ccm-kz-2024", "working"),
        ("ccm-kz-2024", "orientation"),
        ("ccm-kz-2024", "assembly"),
        ("kg-local-2016", "final_session"),
    }
    assert Meeting.objects.filter(election=kg, kind="final_session").count() == 2
    assert set(Meeting.objects.values_list("status", flat=True)) == {"held"}
    assert {
        (m.election.slug, m.activity.number) for m in Meeting.objects.select_related("activity", "election")
    } == {
        ("ccm-kz-2024", 1),
        ("ccm-kz-2024", 15),
        ("ccm-kz-2024", 20),
        ("kg-local-2016", 49),
        ("kg-local-2016", 52),
    }
    assert all(m.activity.completed_at is not None for m in Meeting.objects.select_related("activity"))
    for meeting in Meeting.objects.exclude(commission=None):
        quorum = quorum_of(meeting)
        assert quorum.members_total >= 2 and quorum.met, meeting.title
        assert meeting.items.count() >= 2
    from accounts.models import User

    users = {u.email: u for u in User.objects.all()}
    count = Meeting.objects.count()
    load_meetings(ccm, kg, users)
    assert Meeting.objects.count() == count
