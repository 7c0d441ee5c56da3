"""The one decision workflow (elections.services.decisions): a body decides on a request by a vote
with a quorum, or by the official it authorised; adopted decisions are numbered per body and year;
a failed proposal changes nothing; the deadline comes from the calendar plan; one audit entry."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from elections.models import AuditEntry, Decision
from elections.services.decisions import MemberVote, decision_take
from tests.groups.factories import ObserverApplicationFactory, org_committee

K, OUT = Decision.Kind, Decision.Outcome


def _subject(structure):
    """A request to decide on: an observer's application (any model works as the subject)."""
    if not hasattr(structure["election"], "_committee"):
        structure["election"]._committee = org_committee(structure["election"])
    return ObserverApplicationFactory(election=structure["election"])


def _take(
    structure, *, body="a", subject=None, votes=None, members_total=0, decided_at=None, applied=None, **kw
):
    bodies = {"a": structure["commission_a"], "b": structure["commission_b"], None: None}
    subject = subject or _subject(structure)
    return decision_take(
        election=structure["election"],
        kind=kw.pop("kind", K.OBSERVER_APPLICATION),
        subject=subject,
        body=bodies[body],
        outcome=kw.pop("outcome", OUT.GRANTED),
        actor=None,
        action="tests.decision.adopted",
        on_adopted=(lambda d: applied.append(d.number)) if applied is not None else None,
        votes=votes,
        members_total=members_total,
        decided_at=decided_at,
        **kw,
    )


def _members(n):
    return [User.objects.create_user(email=f"member{i}@example.org") for i in range(n)]


@pytest.mark.django_db
def test_numbers_run_per_body_and_year_across_kinds(structure):
    in_2025 = dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC)
    a1 = _take(structure, body="a", decided_at=in_2025)
    a2 = _take(structure, body="a", kind=K.VOTER_REGISTRATION, decided_at=in_2025)
    b1 = _take(structure, body="b", decided_at=in_2025)
    s1 = _take(structure, body=None, kind=K.ORG_COMMITTEE_NOMINATION, decided_at=in_2025)
    a_next_year = _take(structure, body="a", decided_at=dt.datetime(2026, 1, 2, 12, tzinfo=dt.UTC))
    assert [a1.number, a2.number, b1.number, s1.number, a_next_year.number] == [1, 2, 1, 1, 1]
    assert (a1.year, a_next_year.year) == (2025, 2026)
    assert s1.body_name_ru == "Секретариат" and s1.body is None
    assert a1.body == structure["commission_a"] and a1.body_name_ru == "Комиссия А"
    assert a1.method == Decision.Method.OFFICIAL and a1.is_adopted


@pytest.mark.django_db
def test_the_year_is_the_election_s_local_year(structure):
    election = structure["election"]
    election.time_zone = "Asia/Almaty"
    election.save()
    # 31 December 20:00 UTC is already 1 January in Almaty
    decision = _take(structure, decided_at=dt.datetime(2025, 12, 31, 20, tzinfo=dt.UTC))
    assert decision.year == 2026


@pytest.mark.django_db
def test_a_vote_needs_a_quorum_and_a_majority_and_a_failed_proposal_changes_nothing(structure):
    m = _members(5)
    applied = []
    with pytest.raises(ValidationError, match="кворума|quorum|Кворума") as refused:
        _take(
            structure,
            votes=[MemberVote(m[0], "for"), MemberVote(m[1], "for")],
            members_total=5,
            applied=applied,
        )
    assert "2" in str(refused.value) and "5" in str(refused.value)
    assert not Decision.objects.exists() and applied == []
    # 3 of 5 present: quorum; 1 for, 1 against, 1 abstained: not adopted
    failed = _take(
        structure,
        votes=[MemberVote(m[0], "for"), MemberVote(m[1], "against"), MemberVote(m[2], "abstain")],
        members_total=5,
        applied=applied,
    )
    assert not failed.is_adopted and failed.number is None and applied == []
    assert (failed.votes_for, failed.votes_against, failed.votes_abstained, failed.quorum) == (1, 1, 1, 3)
    assert AuditEntry.objects.get(action="elections.decision.not_adopted").data["number"] is None
    adopted = _take(
        structure,
        votes=[MemberVote(m[0], "for"), MemberVote(m[1], "for"), MemberVote(m[2], "abstain")],
        members_total=5,
        applied=applied,
    )
    assert adopted.is_adopted and adopted.number == 1 and applied == [1]
    assert set(adopted.votes.values_list("user__email", "vote")) == {
        ("member0@example.org", "for"),
        ("member1@example.org", "for"),
        ("member2@example.org", "abstain"),
    }
    entry = AuditEntry.objects.get(action="tests.decision.adopted")
    assert entry.data["number"] == 1 and entry.data["votes"] == {"for": 2, "against": 0, "abstain": 1}


@pytest.mark.django_db
def test_bad_votes_and_future_dates_are_refused(structure):
    m = _members(3)
    with pytest.raises(ValidationError):
        _take(structure, votes=[MemberVote(m[0], "yes"), MemberVote(m[1], "for")], members_total=3)
    with pytest.raises(ValidationError):
        _take(structure, votes=[MemberVote(m[0], "for"), MemberVote(m[0], "for")], members_total=3)
    with pytest.raises(ValidationError) as future:
        _take(structure, decided_at=timezone.now() + dt.timedelta(days=1))
    assert "decided_at" in future.value.error_dict
    assert not Decision.objects.exists()


@pytest.mark.django_db
def test_the_deadline_comes_from_the_calendar_plan(structure, monkeypatch):
    from elections.services import decisions

    received = dt.datetime(2025, 3, 1, 9, tzinfo=dt.UTC)
    asked = []
    monkeypatch.setattr(
        decisions,
        "case_due",
        lambda election, kind, at: asked.append((kind, at)) or at + dt.timedelta(days=3),
    )
    decision = _take(structure, received_at=received)
    assert asked == [(K.OBSERVER_APPLICATION, received)]
    assert decision.due_at == received + dt.timedelta(days=3)
    # no request date, no deadline; a given deadline is kept
    assert _take(structure).due_at is None
    assert _take(structure, received_at=received, due_at=None).due_at is None


@pytest.mark.django_db
def test_the_decisions_of_a_request_are_found_from_it(structure):
    application = _subject(structure)
    m = _members(3)
    failed = _take(
        structure,
        subject=application,
        votes=[MemberVote(m[0], "against"), MemberVote(m[1], "for")],
        members_total=3,
    )
    adopted = _take(structure, subject=application)
    assert list(application.decisions.order_by("pk")) == [failed, adopted]
    assert adopted.subject == application and adopted.subject_label == str(application)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(st.sampled_from(["a", "b", None]), st.sampled_from([2024, 2025]), st.booleans()),
        min_size=1,
        max_size=12,
    )
)
@pytest.mark.django_db
def test_property_adopted_decisions_are_numbered_one_by_one_per_body_and_year(structure, steps):
    Decision.objects.all().delete()
    m = (
        _members(3)
        if not User.objects.filter(email="member0@example.org").exists()
        else list(User.objects.filter(email__startswith="member").order_by("email"))
    )
    expected = {}
    for body, year, adopt in steps:
        votes = [MemberVote(m[0], "for"), MemberVote(m[1], "for" if adopt else "against")]
        decision = _take(
            structure,
            body=body,
            votes=votes,
            members_total=3,
            decided_at=dt.datetime(year, 5, 5, 12, tzinfo=dt.UTC),
        )
        if adopt:
            expected[(body, year)] = expected.get((body, year), 0) + 1
            assert decision.number == expected[(body, year)]
        else:
            assert decision.number is None
    for (body, year), count in expected.items():
        key = "secretariat" if body is None else f"groups.commission:{structure['commission_' + body].pk}"
        numbers = Decision.objects.filter(body_key=key, year=year, is_adopted=True).order_by("number")
        assert list(numbers.values_list("number", flat=True)) == list(range(1, count + 1))


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (row locks and concurrent transactions)"
)
def test_concurrent_decisions_of_one_body_get_consecutive_numbers(transactional_db, structure):
    subjects = [_subject(structure) for _ in range(4)]
    kinds = [K.OBSERVER_APPLICATION, K.VOTER_REGISTRATION, K.VOTER_CORRECTION, K.CANDIDATE_APPLICATION]
    barrier = threading.Barrier(len(subjects))
    numbers, errors = [], []

    def decide(subject, kind):
        try:
            with transaction.atomic():
                barrier.wait()
                numbers.append(_take(structure, subject=subject, kind=kind).number)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide, args=pair) for pair in zip(subjects, kinds, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(numbers) == [1, 2, 3, 4]
