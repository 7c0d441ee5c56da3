"""Voting: secrecy by schema, the window by the server clock, one voter one vote (also across
channels and under concurrency), receipts and the bulletin board, paper ballots, turnout."""

import datetime as dt
import re
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, models
from django.urls import reverse
from freezegun import freeze_time

from accounts.models import Role
from ballots import services
from ballots.models import Ballot, Contest, LateAttempt, PaperTally, Participation
from ballots.selectors import ballot_set_fingerprint, paper_batches
from elections.models import AuditEntry, Election
from elections.services import election_transition
from tests.ballots.fixtures import (
    AFTER,
    OPEN,
    _counting_member,
    _credential,
    _registration,
    cast_ballot,
    cast_ballots,
)
from tests.factories import ElectionFactory, GroupFactory, user_with_role

# --- secrecy --------------------------------------------------------------------------------


def test_ballot_and_participation_cannot_be_linked_by_schema():
    ballot_fields = {f.name: f for f in Ballot._meta.get_fields() if f.concrete}
    assert isinstance(ballot_fields["id"], models.UUIDField)
    relations = [f for f in ballot_fields.values() if f.is_relation]
    assert [f.related_model for f in relations] == [Contest]  # no voter, user, credential, participation
    assert not [f for f in ballot_fields.values() if isinstance(f, models.DateField | models.DateTimeField)]
    participation_relations = {
        f.related_model for f in Participation._meta.get_fields() if f.is_relation and f.concrete
    }
    assert Ballot not in participation_relations
    assert not any(f.related_model is Ballot for f in Participation._meta.get_fields() if f.is_relation)


def test_online_vote_with_the_invitation_link_and_receipt_on_the_board(
    client, vote, mailoutbox, django_capture_on_commit_callbacks
):
    election, alpha = vote["election"], vote["alpha"]
    with freeze_time(OPEN):
        response = client.get(reverse("ballots:link", args=[election.slug, "token-0"]))
        assert response.status_code == 302 and "token-0" not in response["Location"]
        page = client.get(reverse("ballots:ballot", args=[election.slug])).content.decode()
        assert "Алиева Айгуль" in page and "Против всех" in page
        review = client.post(reverse("ballots:ballot", args=[election.slug]), {"choice": alpha.code})
        assert 'id="confirm-vote"' in review.content.decode()
        assert len(cast_ballots()) == 0  # reviewing stores nothing
        with django_capture_on_commit_callbacks(execute=True):
            done = client.post(
                reverse("ballots:ballot", args=[election.slug]),
                {"choice": alpha.code, "confirm": "1"},
                follow=True,
            )
    receipt = re.search(r'id="receipt-code">([A-Z0-9-]+)<', done.content.decode()).group(1)
    ballot = cast_ballot()
    assert ballot.receipt == receipt and ballot.choices == [alpha.code]
    assert Participation.objects.get().channel == "online"
    # e-mail confirms participation only: no choice, no receipt
    assert len(mailoutbox) == 1
    assert receipt not in mailoutbox[0].body and "Алиева" not in mailoutbox[0].body
    # the audit log knows who voted, never what
    for entry in AuditEntry.objects.filter(election=election):
        text = str(entry.data)
        assert alpha.code not in text and receipt not in text
    # the board is published after close
    assert 'id="board-not-yet"' in client.get(reverse("ballots:board", args=[election.slug])).content.decode()
    with freeze_time(AFTER):
        election_transition(election=election, transition="close_voting", actor=None)
        board = client.get(
            reverse("ballots:board", args=[election.slug]), {"receipt": receipt.lower()}
        ).content.decode()
    assert 'id="receipt-found"' in board and "Алиева Айгуль" in board
    assert ballot_set_fingerprint(vote["contest"]) in board


def test_link_is_single_use_and_a_second_ballot_is_refused(client, vote):
    election = vote["election"]
    with freeze_time(OPEN):
        services.ballot_cast(credential=vote["credentials"][0], choices=[vote["beta"].code])
        with pytest.raises(services.VotingRefused) as exc:
            services.ballot_cast(credential=vote["credentials"][0], choices=[vote["alpha"].code])
        assert exc.value.code == "already_voted"
        page = client.get(reverse("ballots:link", args=[election.slug, "token-0"]))
    assert 'id="link-problem"' in page.content.decode()
    assert len(cast_ballots()) == 1 and Participation.objects.count() == 1


def test_window_is_the_server_clock(vote):
    credential = vote["credentials"][1]
    with freeze_time("2030-08-17 03:59:59+00:00"), pytest.raises(services.VotingRefused) as exc:
        services.ballot_cast(credential=credential, choices=[vote["alpha"].code])
    assert exc.value.code == "not_open"
    with freeze_time("2030-08-17 13:00:00+00:00"), pytest.raises(services.VotingRefused) as exc:
        services.ballot_cast(credential=credential, choices=[vote["alpha"].code])
    assert exc.value.code == "closed"
    assert LateAttempt.objects.filter(contest=vote["contest"]).count() == 1
    assert len(cast_ballots()) == 0 and Participation.objects.count() == 0
    credential.refresh_from_db()
    assert credential.used_at is None


def test_choices_follow_the_contest_rules(vote):
    c = vote["contest"]
    with pytest.raises(services.VotingRefused):
        services.validate_choices(c, [vote["alpha"].code, vote["beta"].code])  # one mark allowed
    with pytest.raises(services.VotingRefused):
        services.validate_choices(c, [vote["against"].code, vote["alpha"].code])
    with pytest.raises(services.VotingRefused):
        services.validate_choices(c, ["nonsense"])
    assert services.validate_choices(c, []) == []  # blank allowed


def test_cross_channel_double_voting_is_refused(vote):
    member = _counting_member(vote, "counter@example.org")
    with freeze_time(OPEN):
        services.participation_record_offline(
            contest=vote["contest"], voter=vote["registrations"][0], channel="assembly", actor=member
        )
        with pytest.raises(services.VotingRefused):
            services.ballot_cast(credential=vote["credentials"][0], choices=[vote["alpha"].code])
        services.ballot_cast(credential=vote["credentials"][1], choices=[vote["alpha"].code])
        with pytest.raises(services.VotingRefused) as exc:
            services.participation_record_offline(
                contest=vote["contest"], voter=vote["registrations"][1], channel="paper", actor=member
            )
    assert exc.value.code == "already_voted"
    assert Participation.objects.count() == 2 and len(cast_ballots()) == 1


def test_ballot_is_locked_once_voting_opens(vote):
    with pytest.raises(services.VotingRefused):
        services.contest_save(election=vote["election"], actor=None, contest=vote["contest"], seats=2)
    with pytest.raises(services.VotingRefused):
        services.contest_sync_options(contest=vote["contest"], actor=None)


def test_paper_batches_with_double_entry(vote):
    first = _counting_member(vote, "first@example.org")
    second = _counting_member(vote, "second@example.org")
    a, b = vote["alpha"].code, vote["beta"].code
    services.paper_tally_enter(
        contest=vote["contest"],
        actor=first,
        batch="Урна 1",
        counts={a: 10, b: 4},
        invalid=2,
        invalid_reasons="две отметки",
        late=1,
    )
    assert paper_batches(vote["contest"])[0]["status"] == "waiting_second_entry"
    with pytest.raises(services.VotingRefused):
        services.paper_tally_enter(contest=vote["contest"], actor=first, batch="Урна 1", counts={a: 10, b: 4})
    services.paper_tally_enter(
        contest=vote["contest"],
        actor=second,
        batch="Урна 1",
        counts={a: 10, b: 5},
        invalid=2,
        invalid_reasons="две отметки",
        late=1,
    )
    assert paper_batches(vote["contest"])[0]["status"] == "mismatch"
    with pytest.raises(services.VotingRefused):
        services.paper_tally_enter(
            contest=vote["contest"], actor=second, batch="Урна 2", counts={a: 1}, invalid=1
        )
    services.paper_tally_enter(contest=vote["contest"], actor=first, batch="Урна 2", counts={a: 3})
    services.paper_tally_enter(contest=vote["contest"], actor=second, batch="Урна 2", counts={a: 3})
    batch2 = [b for b in paper_batches(vote["contest"]) if b["batch"] == "Урна 2"][0]
    assert batch2["status"] == "counted" and batch2["counted"]["counts"] == {a: 3}
    assert PaperTally.objects.count() == 4


def test_single_paper_ballots_invalid_and_late(vote):
    member = _counting_member(vote, "reader@example.org")
    services.paper_ballot_enter(contest=vote["contest"], actor=member, choices=[vote["alpha"].code])
    services.paper_ballot_enter(
        contest=vote["contest"],
        actor=member,
        choices=[],
        status="invalid",
        invalid_reason="отметки за двух кандидатов",
    )
    services.paper_ballot_enter(
        contest=vote["contest"], actor=member, choices=[], status="late", channel="email"
    )
    with pytest.raises(services.VotingRefused):
        services.paper_ballot_enter(contest=vote["contest"], actor=member, choices=[], status="invalid")
    assert sorted(Ballot.objects.values_list("status", flat=True)) == ["invalid", "late", "valid"]
    assert not Ballot.objects.filter(receipt__isnull=False).exists()


def test_only_declared_counting_members_enter_paper(vote):
    from groups.models import CommissionMember

    undeclared = user_with_role(
        Role.COMMISSION_MEMBER, commission=vote["commission"], email="new@example.org"
    )
    CommissionMember.objects.get_or_create(
        commission=vote["commission"], user=undeclared, defaults={"position": "member"}
    )
    with pytest.raises(PermissionDenied):
        services.paper_tally_enter(contest=vote["contest"], actor=undeclared, batch="1", counts={})
    observer = user_with_role(Role.OBSERVER, election=vote["election"])
    with pytest.raises(PermissionDenied):
        services.paper_tally_enter(contest=vote["contest"], actor=observer, batch="1", counts={})


def test_observer_sees_turnout_and_no_results(client, vote):
    observer = user_with_role(Role.OBSERVER, election=vote["election"])
    with freeze_time(OPEN):
        services.ballot_cast(credential=vote["credentials"][2], choices=[vote["beta"].code])
        client.force_login(observer)
        page = client.get(reverse("ballots:turnout", args=[vote["election"].slug])).content.decode()
        board = client.get(reverse("ballots:board", args=[vote["election"].slug])).content.decode()
        denied = client.post(
            reverse("ballots:paper", args=[vote["election"].slug, vote["contest"].pk]),
            {"action": "tally", "batch": "x"},
        )
    assert f'data-voted="{vote["contest"].pk}">1<' in page
    assert "Борисов" not in page and "Борисов" not in board
    assert denied.status_code == 403


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_submissions_give_one_ballot():
    if connection.vendor != "postgresql":
        pytest.skip("the concurrency test runs on PostgreSQL")
    election = ElectionFactory(slug="race")
    group = GroupFactory(election=election, slug="g")
    contest = services.contest_save(
        election=election, actor=None, group=group, title_ru="Гонка", method="plurality"
    )
    from ballots.models import ContestOption

    option = ContestOption.objects.create(contest=contest, kind="candidate", label_ru="Кандидат", position=0)
    credential = _credential(_registration(election, group, 1), "race-token")
    for name in ("announce", "open_registration", "open_voting"):
        election = election_transition(election=election, transition=name, actor=None)
    from voters.models import VotingCredential

    barrier = threading.Barrier(50)
    outcomes = []

    def submit():
        from django.db import connection as conn

        try:
            fresh = VotingCredential.objects.get(pk=credential.pk)
            barrier.wait(timeout=30)
            services.ballot_cast(
                credential=fresh, choices=[option.code], now=dt.datetime(2030, 8, 17, 5, tzinfo=dt.UTC)
            )
            outcomes.append("ok")
        except services.VotingRefused as exc:
            outcomes.append(exc.code)
        finally:
            conn.close()

    threads = [threading.Thread(target=submit) for _ in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert outcomes.count("ok") == 1
    assert len(outcomes) == 50 and set(outcomes) <= {"ok", "already_voted"}
    assert len(cast_ballots(contest)) == 1
    assert Participation.objects.filter(election=election).count() == 1
    assert Election.objects.get(pk=election.pk).state == "voting"


def test_online_participations_are_sealed_into_the_audit_log(vote):
    from elections.audit import verify_chain

    with freeze_time(OPEN):
        services.ballot_cast(credential=vote["credentials"][0], choices=[vote["alpha"].code])
        services.ballot_cast(credential=vote["credentials"][1], choices=[])
        assert services.participation_audit(election=vote["election"]) == 2
        assert services.participation_audit(election=vote["election"]) == 0  # nothing new
        services.ballot_cast(credential=vote["credentials"][2], choices=[vote["beta"].code])
    with freeze_time(AFTER):
        election_transition(
            election=vote["election"], transition="close_voting", actor=None
        )  # seals the rest
    digests = AuditEntry.objects.filter(action=services.DIGEST_ACTION).order_by("seq")
    assert [d.data["count"] for d in digests] == [2, 1]
    assert digests[1].data["previous"] == digests[0].data["sha256"]
    assert not Participation.objects.filter(audited_in__isnull=True).exists()
    assert verify_chain().ok
