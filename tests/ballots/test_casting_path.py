"""The casting path: on PostgreSQL an accepted ballot is one statement (credential, participation,
ballot), refusals go through the ORM path that explains them; SQLite takes the ORM path. The
receipt reaches the voter in a signed cookie, nothing is written to the session on the cast, and
locked contests are cached per process."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from ballots import selectors, services
from ballots.models import LateAttempt, Participation
from tests.ballots.fixtures import OPEN, cast_ballot, cast_ballots

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the one-statement path is PostgreSQL's"
)


def _open_session(client, vote, n=0):
    election = vote["election"]
    client.get(reverse("ballots:link", args=[election.slug, f"token-{n}"]))
    return reverse("ballots:ballot", args=[election.slug])


def _statements(ctx):
    """The statements of a request; the casting statement's PREPARE (once per connection) aside."""
    return [
        q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE", "PREPARE"))
    ]


def test_cast_writes_no_session_and_the_receipt_comes_in_a_signed_cookie(client, vote):
    election = vote["election"]
    with freeze_time(OPEN):
        url = _open_session(client, vote)
        before = dict(client.session)
        response = client.post(url, {"choice": vote["alpha"].code, "confirm": "1"})
        assert response.status_code == 302
        cookie = response.cookies["ballot_receipt"]
        assert cookie["httponly"] and cookie["path"] == response["Location"]
        assert dict(client.session) == before  # the session holds no receipt
        page = client.get(response["Location"]).content.decode()
    receipt = cast_ballot().receipt
    assert f'id="receipt-code">{receipt}<' in page
    assert receipt not in str(before)
    # without the cookie (another browser) there is no receipt page
    client.cookies.pop("ballot_receipt")
    assert client.get(reverse("ballots:receipt", args=[election.slug])).status_code == 404


def test_a_forged_receipt_cookie_is_ignored(client, vote):
    election = vote["election"]
    client.cookies["ballot_receipt"] = f"{election.pk}:AAAA-BBBB-CCCC"
    assert client.get(reverse("ballots:receipt", args=[election.slug])).status_code == 404


def test_sqlite_falls_back_to_the_orm_path(vote):
    if connection.vendor != "sqlite":
        pytest.skip("the fallback is SQLite's")
    with freeze_time(OPEN), CaptureQueriesContext(connection) as ctx:
        ballot = services.ballot_cast(credential=vote["credentials"][0], choices=[vote["alpha"].code])
    sql = " ".join(_statements(ctx))
    assert "WITH used AS" not in sql and 'INSERT INTO "ballots_participation"' in sql
    assert cast_ballot().receipt == ballot.receipt
    assert Participation.objects.get().elector == f"registration:{vote['registrations'][0].pk}"


def test_locked_contests_are_cached_with_their_options(vote, django_assert_num_queries):
    contest = vote["contest"]
    credential = selectors.voter_credential(vote["election"], vote["credentials"][0].pk)
    assert credential.contest_id == contest.pk
    selectors.forget_contest(contest.pk)
    first = selectors.voting_contest(credential)
    with django_assert_num_queries(0):
        again = selectors.voting_contest(credential)
        assert again is first and {o.code for o in again.options.all()} == {
            vote["alpha"].code,
            vote["beta"].code,
            vote["against"].code,
        }
    vote["alpha"].save()  # any change to an option (or the contest) drops the entry
    assert selectors.voting_contest(credential) is not first


def test_unlocked_contests_are_not_cached(vote):
    from ballots.models import Contest

    Contest.objects.filter(pk=vote["contest"].pk).update(locked_at=None)
    selectors.forget_contest(vote["contest"].pk)
    credential = selectors.voter_credential(vote["election"], vote["credentials"][0].pk)
    assert selectors.voting_contest(credential) is not selectors.voting_contest(credential)


def test_voter_credential_finds_the_contest_of_a_list_entry(db):
    """Seed 003: a voter on a precinct's list votes in the contest of the precinct's district."""
    from ballots.models import Contest
    from groups.models import TerritorialUnit
    from tests.factories import ElectionFactory
    from voters.models import RegisterEntry, VotingCredential

    election = ElectionFactory(slug="council")
    district = TerritorialUnit.objects.create(election=election, kind="district", number=1, name_ru="Округ 1")
    precinct = TerritorialUnit.objects.create(
        election=election, kind="precinct", number=101, name_ru="Участок 101", parent=district
    )
    contest = Contest.objects.create(election=election, unit=district, title_ru="Округ 1")
    entry = RegisterEntry.objects.create(
        election=election,
        precinct=precinct,
        personal_number="12345678901234",
        last_name="Иванов",
        first_name="Иван",
        birth_date=dt.date(1980, 1, 1),
        address="ул. Ленина, 1",
        email="i@example.org",
    )
    credential = VotingCredential.objects.create(election=election, entry=entry, email=entry.email)
    assert selectors.voter_credential(election, credential.pk).contest_id == contest.pk
    assert selectors.contest_for_credential(credential) == contest
    assert selectors.voter_credential(election, "1") is None  # only integer ids from the session


# --- PostgreSQL: the one-statement path ----------------------------------------------------


@pytest.mark.postgres
@on_postgresql
def test_a_cast_is_four_statements_on_postgresql(client, vote):
    """election, session, credential with its contest, and the cast itself (one statement)."""
    with freeze_time(OPEN):
        url = _open_session(client, vote)
        client.get(url)  # the contest is cached once locked
        with CaptureQueriesContext(connection) as ctx:
            response = client.post(url, {"choice": vote["beta"].code, "confirm": "1"})
    assert response.status_code == 302
    statements = _statements(ctx)
    assert len(statements) == 4, statements
    assert statements[-1].startswith("EXECUTE ballots_cast_online")
    ballot = cast_ballot()
    assert ballot.choices == [vote["beta"].code] and ballot.channel == "online" and ballot.status == "valid"
    participation = Participation.objects.get()
    assert participation.elector == f"registration:{vote['registrations'][0].pk}"
    assert participation.contest_id == vote["contest"].pk and participation.channel == "online"
    vote["credentials"][0].refresh_from_db()
    assert vote["credentials"][0].used_at == participation.recorded_at


@pytest.mark.postgres
@on_postgresql
def test_one_statement_path_refusals_on_postgresql(vote):
    credential = vote["credentials"][0]
    with freeze_time(OPEN):
        services.ballot_cast(credential=credential, choices=[vote["alpha"].code])
        with pytest.raises(services.VotingRefused) as used:
            services.ballot_cast(credential=credential, choices=[vote["alpha"].code])
        # bad choices are refused as before (after the window check)
        with pytest.raises(services.VotingRefused) as bad:
            services.ballot_cast(credential=vote["credentials"][1], choices=["nonsense"])
    assert used.value.code == "already_voted" and bad.value.code == "unknown_option"
    # late: nothing written by the statement, the ORM path records the late attempt
    with freeze_time("2030-08-17 13:00:00+00:00"), pytest.raises(services.VotingRefused) as late:
        services.ballot_cast(credential=vote["credentials"][1], choices=[vote["alpha"].code])
    with freeze_time("2030-08-17 03:00:00+00:00"), pytest.raises(services.VotingRefused) as early:
        services.ballot_cast(credential=vote["credentials"][1], choices=[vote["alpha"].code])
    assert late.value.code == "closed" and early.value.code == "not_open"
    assert LateAttempt.objects.filter(contest=vote["contest"]).count() == 1
    assert len(cast_ballots()) == 1 and Participation.objects.count() == 1


@pytest.mark.postgres
@on_postgresql
def test_one_statement_path_is_all_or_nothing_on_postgresql(vote):
    """A participation recorded in another channel while the link was still valid: the unique
    constraint refuses the statement, and the credential's use rolls back with it."""
    credential = vote["credentials"][2]
    Participation.objects.create(
        election=vote["election"],
        contest=vote["contest"],
        elector=f"registration:{vote['registrations'][2].pk}",
        channel="paper",
    )
    with freeze_time(OPEN), pytest.raises(services.VotingRefused) as exc:
        services.ballot_cast(credential=credential, choices=[vote["alpha"].code])
    assert exc.value.code == "already_voted"
    credential.refresh_from_db()
    assert credential.used_at is None
    assert len(cast_ballots()) == 0 and Participation.objects.count() == 1
