"""The cast token: the ballot page embeds a signed, expiring token bound to the session cookie, and
the casting POST that carries it reads neither the session nor the credential (on PostgreSQL a
cast is then one statement). It is the POST's protection against cross-site forgery; a POST
without a valid token goes through Django's CSRF check and the session as before. Confirmation
mails are sent once: right after the commit without a broker, by the beat sweep with one."""

import datetime as dt
import re
import threading
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from ballots import selectors, services, tokens
from ballots.models import LateAttempt, Participation
from ballots.tasks import send_pending_vote_confirmations, send_vote_confirmation
from elections.models import Election
from tests.ballots.fixtures import OPEN, cast_ballot, cast_ballots
from tests.outbox import send_outbox

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the one-statement path is PostgreSQL's"
)


def _ballot_page(vote, n=0):
    """A browser with CSRF checks on: opens the invitation link and the ballot page."""
    client = Client(enforce_csrf_checks=True)
    slug = vote["election"].slug
    client.get(reverse("ballots:link", args=[slug, f"token-{n}"]))
    url = reverse("ballots:ballot", args=[slug])
    page = client.get(url).content.decode()
    token = re.search(r'name="cast_token" value="([^"]+)"', page).group(1)
    return client, url, token


def _statements(ctx):
    """The statements of a request; the casting statement's PREPARE (once per connection) aside."""
    return [
        q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE", "PREPARE"))
    ]


def test_the_ballot_page_casts_with_its_token_and_no_csrf_cookie(vote):
    with freeze_time(OPEN):
        client, url, token = _ballot_page(vote)
        client.cookies.pop("csrftoken", None)  # the token alone protects the POST
        review = client.post(url, {"choice": vote["alpha"].code, "cast_token": token})
        assert review.status_code == 200 and 'id="review-list"' in review.content.decode()
        assert token in review.content.decode()  # the review form carries it on
        response = client.post(url, {"choice": vote["alpha"].code, "confirm": "1", "cast_token": token})
    assert response.status_code == 302
    ballot = cast_ballot()
    assert (
        ballot.choices == [vote["alpha"].code] and ballot.receipt in response.cookies["ballot_receipt"].value
    )
    assert Participation.objects.get().elector == f"registration:{vote['registrations'][0].pk}"
    vote["credentials"][0].refresh_from_db()
    assert vote["credentials"][0].used_at is not None


def test_a_post_without_a_valid_token_needs_the_csrf_token(vote):
    with freeze_time(OPEN):
        client, url, token = _ballot_page(vote)
        data = {"choice": vote["alpha"].code, "confirm": "1"}
        assert client.post(url, data).status_code == 403
        assert client.post(url, {**data, "cast_token": token[:-2] + "xx"}).status_code == 403
        # a token issued to another session (another voter's page) does not fit this browser
        _other, _url, other_token = _ballot_page(vote, 1)
        assert client.post(url, {**data, "cast_token": other_token}).status_code == 403
        # with Django's CSRF token the session path still works
        csrf = client.cookies["csrftoken"].value
        assert client.post(url, {**data, "csrfmiddlewaretoken": csrf}).status_code == 302
    assert len(cast_ballots()) == 1


def test_the_token_expires(vote):
    with freeze_time(OPEN) as clock:
        client, url, token = _ballot_page(vote)
        clock.tick(dt.timedelta(seconds=tokens.CAST_TOKEN_MAX_AGE + 1))
        response = client.post(url, {"choice": vote["alpha"].code, "confirm": "1", "cast_token": token})
    assert response.status_code == 403 and len(cast_ballots()) == 0


def test_a_used_link_is_refused_through_the_token(vote):
    with freeze_time(OPEN):
        client, url, token = _ballot_page(vote)
        services.ballot_cast(credential=vote["credentials"][0], choices=[vote["beta"].code])
        response = client.post(url, {"choice": vote["alpha"].code, "confirm": "1", "cast_token": token})
    assert response.status_code == 200 and 'id="ballot-errors"' in response.content.decode()
    assert len(cast_ballots()) == 1


def test_a_stale_cached_election_cannot_let_a_late_ballot_in(vote):
    """The cast view caches the election for a few seconds; the stage and the window are checked
    again by the casting statement (PostgreSQL) or the ORM path, by the server clock."""
    election = vote["election"]
    with freeze_time("2030-08-17 12:30:00+00:00"):  # half an hour before the close
        client, url, token = _ballot_page(vote)
        cached = selectors.cast_election(election.slug)
        assert cached.state == Election.State.VOTING
    # after the close: the window by the clock, with the cached election still "voting"
    with freeze_time("2030-08-17 13:05:00+00:00"):  # five minutes after it
        selectors._CAST_ELECTIONS[election.slug] = (selectors.time_monotonic(), cached)
        response = client.post(url, {"choice": vote["alpha"].code, "confirm": "1", "cast_token": token})
    assert response.status_code == 200 and 'id="ballot-closed"' in response.content.decode()
    assert len(cast_ballots()) == 0 and Participation.objects.count() == 0
    assert LateAttempt.objects.filter(contest=vote["contest"]).count() == 1
    # the stage: voting closed early by the secretariat while another process keeps the old copy
    Election.objects.filter(pk=election.pk).update(state=Election.State.COUNTING)
    with freeze_time("2030-08-17 12:40:00+00:00"):
        selectors._CAST_ELECTIONS[election.slug] = (selectors.time_monotonic(), cached)
        response = client.post(url, {"choice": vote["alpha"].code, "confirm": "1", "cast_token": token})
    assert response.status_code == 200 and 'id="ballot-closed"' in response.content.decode()
    assert len(cast_ballots()) == 0 and LateAttempt.objects.count() == 2


@pytest.mark.postgres
@on_postgresql
def test_a_cast_with_the_token_is_one_statement_on_postgresql(vote):
    with freeze_time(OPEN):
        client, url, token = _ballot_page(vote)
        _other, _url, warm = _ballot_page(vote, 1)
        _other.post(url, {"choice": vote["beta"].code, "confirm": "1", "cast_token": warm})  # caches
        with CaptureQueriesContext(connection) as ctx:
            response = client.post(url, {"choice": vote["alpha"].code, "confirm": "1", "cast_token": token})
    assert response.status_code == 302
    statements = _statements(ctx)
    assert len(statements) == 1 and statements[0].startswith("EXECUTE ballots_cast_online"), statements
    assert len(cast_ballots()) == 2 and Participation.objects.count() == 2
    assert set(Participation.objects.values_list("elector", flat=True)) == {
        f"registration:{vote['registrations'][0].pk}",
        f"registration:{vote['registrations'][1].pk}",
    }


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_token_casts_give_one_ballot(vote):
    if connection.vendor != "postgresql":
        pytest.skip("the concurrency test runs on PostgreSQL")
    credential = vote["credentials"][0]
    barrier = threading.Barrier(50)
    outcomes = []

    def submit():
        from django.db import connection as conn

        try:
            barrier.wait(timeout=30)
            services.ballot_cast_by_ids(
                election_id=vote["election"].pk,
                credential_id=credential.pk,
                contest_id=vote["contest"].pk,
                choices=[vote["alpha"].code],
                now=dt.datetime(2030, 8, 17, 5, tzinfo=dt.UTC),
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
        t.join()
    assert outcomes.count("ok") == 1 and len(outcomes) == 50
    assert set(outcomes) == {"ok", "already_voted"}
    assert len(cast_ballots()) == 1 and Participation.objects.count() == 1


# --- confirmation mails ---------------------------------------------------------------------


def _no_secret_in(message, ballot):
    text = message.subject + message.body
    assert ballot.receipt not in text
    for code in ballot.choices:
        assert code not in text
    assert "Алиева" not in text and "Alieva" not in text


def test_without_a_broker_the_confirmation_goes_right_after_the_commit_once(
    vote, mailoutbox, django_capture_on_commit_callbacks
):
    with freeze_time(OPEN), django_capture_on_commit_callbacks(execute=True):
        ballot = services.ballot_cast(credential=vote["credentials"][0], choices=[vote["alpha"].code])
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [vote["credentials"][0].email]
    _no_secret_in(mailoutbox[0], ballot)
    vote["credentials"][0].refresh_from_db()
    assert vote["credentials"][0].confirmation_sent_at is not None
    # a retry of the task, or the sweep, sends nothing more
    assert send_vote_confirmation(vote["credentials"][0].pk) is False
    assert send_pending_vote_confirmations() == 0 and len(mailoutbox) == 1


def test_with_a_broker_the_sweep_sends_each_confirmation_once(
    vote, mailoutbox, django_capture_on_commit_callbacks
):
    app = send_vote_confirmation.app
    app.conf.task_always_eager = False  # production: a broker and beat, nothing queued per vote
    try:
        with freeze_time(OPEN), django_capture_on_commit_callbacks(execute=True) as callbacks:
            first = services.ballot_cast(credential=vote["credentials"][0], choices=[vote["alpha"].code])
            second = services.ballot_cast_by_ids(
                election_id=vote["election"].pk,
                credential_id=vote["credentials"][1].pk,
                contest_id=vote["contest"].pk,
                choices=[vote["beta"].code],
            )
    finally:
        app.conf.task_always_eager = True
    assert callbacks == [] and mailoutbox == []
    assert send_pending_vote_confirmations() == 2  # queued in the outbox, which sends them
    send_outbox()
    assert sorted(m.to[0] for m in mailoutbox) == sorted(c.email for c in vote["credentials"][:2])
    for message in mailoutbox:
        for ballot in (first, second):
            _no_secret_in(message, ballot)
    assert send_pending_vote_confirmations() == 0
    send_outbox()
    assert len(mailoutbox) == 2


def test_a_failed_mail_waits_in_the_outbox_and_is_sent_once_the_server_takes_it(
    vote, mailoutbox, monkeypatch
):
    from django.core.mail.backends.locmem import EmailBackend
    from django.utils import timezone

    from elections.models import OutboxMail

    with freeze_time(OPEN):
        services.ballot_cast(credential=vote["credentials"][0], choices=[vote["alpha"].code])
    send_outbox()
    mailoutbox.clear()
    assert send_pending_vote_confirmations() == 1

    def broken(*args, **kwargs):
        raise OSError("smtp down")

    monkeypatch.setattr(EmailBackend, "send_messages", broken)
    send_outbox()
    monkeypatch.undo()
    row = OutboxMail.objects.get(kind="ballots.vote_confirmation")
    assert row.status == OutboxMail.Status.PENDING and row.attempts == 1 and "smtp down" in row.last_error
    assert send_pending_vote_confirmations() == 0  # queued once: the sweep does not add another
    send_outbox()
    assert mailoutbox == []  # not due yet (backoff)
    with freeze_time(timezone.now() + dt.timedelta(minutes=5)):
        send_outbox()
    assert [m.to for m in mailoutbox] == [[vote["credentials"][0].email]]
    send_outbox()
    assert len(mail.outbox) == 1


@pytest.mark.postgres
@on_postgresql
def test_the_casting_statement_is_prepared_again_when_the_connection_lost_it(vote):
    with freeze_time(OPEN):
        services.ballot_cast(credential=vote["credentials"][0], choices=[vote["alpha"].code])
        with connection.cursor() as cursor:
            cursor.execute(f"DEALLOCATE {services.CAST_STATEMENT}")  # as DISCARD ALL or a pooler would
        services.ballot_cast(credential=vote["credentials"][1], choices=[vote["beta"].code])
    assert len(cast_ballots()) == 2 and Participation.objects.count() == 2


# --- the signatures: key rotation, tampering, the receipt cookie --------------------------------


def _token(**overrides):
    fields = {
        "election_id": 1,
        "credential_id": 2,
        "contest_id": 3,
        "order_seed": "ab12cd34ef56ab78",
        "session_key": "s1",
    }
    return tokens.issue(**{**fields, **overrides})


def test_a_token_names_its_credential_and_fits_only_its_session():
    token = _token()
    assert tokens.verify(token, session_key="s1") == tokens.CastToken(1, 2, 3, "ab12cd34ef56ab78")
    assert tokens.verify(token, session_key="s2") is None
    assert tokens.verify(token, session_key=None) is None and tokens.verify("", session_key="s1") is None


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t.replace("1.2.3.", "1.9.3.", 1),  # another credential
        lambda t: t.replace("1.2.3.", "1.2.4.", 1),  # another contest
        lambda t: t[:-1] + ("0" if t[-1] != "0" else "1"),  # the signature
        lambda t: t.rpartition(".")[0],  # no signature
        lambda t: "x." + t,  # an extra field
    ],
)
def test_a_changed_token_is_refused(tamper):
    assert tokens.verify(tamper(_token()), session_key="s1") is None


def test_a_token_signed_with_a_retired_secret_still_works_until_the_fallback_goes(settings):
    token = _token()
    old_secret = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-secret-" + "y" * 40
    settings.SECRET_KEY_FALLBACKS = [old_secret]
    assert tokens.verify(token, session_key="s1") is not None
    settings.SECRET_KEY_FALLBACKS = []
    assert tokens.verify(token, session_key="s1") is None
    assert tokens.verify(_token(), session_key="s1") is not None  # new pages use the new secret


def test_the_order_seed_cannot_smuggle_a_field():
    with pytest.raises(ValueError):
        _token(order_seed="ab.12")


def test_the_receipt_cookie_is_signed_dated_and_for_one_election():
    with freeze_time("2030-08-17 10:00:00+00:00") as clock:
        value = tokens.receipt_cookie_value(election_id=7, receipt="ABCD-EFGH-JKLM")
        assert tokens.receipt_from_cookie(value, election_id=7) == "ABCD-EFGH-JKLM"
        assert tokens.receipt_from_cookie(value, election_id=8) is None
        forged = value.replace("ABCD-EFGH-JKLM", "ABCD-EFGH-JKLN")
        assert tokens.receipt_from_cookie(forged, election_id=7) is None
        # a cast token is not a receipt cookie (each has its own key)
        assert tokens.receipt_from_cookie(_token(), election_id=1) is None
        clock.tick(dt.timedelta(seconds=tokens.RECEIPT_MAX_AGE + 1))
        assert tokens.receipt_from_cookie(value, election_id=7) is None


def test_the_receipt_cookie_lives_an_hour_on_the_receipt_page_only(vote):
    with freeze_time(OPEN):
        client, url, token = _ballot_page(vote)
        response = client.post(url, {"choice": vote["alpha"].code, "confirm": "1", "cast_token": token})
        cookie = response.cookies["ballot_receipt"]
        assert cookie["max-age"] == tokens.RECEIPT_MAX_AGE and cookie["httponly"]
        assert cookie["path"] == response["Location"] and cookie["samesite"] == "Strict"
        page = client.get(response["Location"])
    assert cast_ballot().receipt in page.content.decode()


# --- the ballot form's fields ---------------------------------------------------------------


def test_a_ballot_post_with_too_many_fields_is_refused_and_stores_nothing(vote, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    with freeze_time(OPEN):
        client, url, token = _ballot_page(vote)
        data = {"choice": vote["alpha"].code, "confirm": "1", "cast_token": token}
        data.update({f"extra{i}": "x" for i in range(10)})
        multipart = client.post(url, data)
        urlencoded = client.post(url, urlencode(data), content_type="application/x-www-form-urlencoded")
    assert multipart.status_code == 400 and urlencoded.status_code == 400
    assert len(cast_ballots()) == 0 and Participation.objects.count() == 0


def test_a_ballot_posted_as_multipart_is_read_as_well(vote):
    """Browsers send the ballot form urlencoded; another encoding goes through request.POST."""
    with freeze_time(OPEN):
        client, url, token = _ballot_page(vote)
        response = client.post(url, {"choice": vote["alpha"].code, "confirm": "1", "cast_token": token})
        assert response.status_code == 302  # the test client posts multipart by default
    assert cast_ballot().choices == [vote["alpha"].code]


def test_a_urlencoded_ballot_casts_with_the_choices_as_typed(vote):
    with freeze_time(OPEN):
        client, url, token = _ballot_page(vote)
        body = urlencode({"choice": vote["alpha"].code, "confirm": "1", "cast_token": token})
        response = client.post(url, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302
    assert cast_ballot().choices == [vote["alpha"].code]


def test_the_receipt_stays_on_screen_when_the_voter_switches_the_language(vote):
    """The cast sets the cookie for the receipt page in the voter's language; the receipt page
    passes it on to the same page in the other language."""
    with freeze_time(OPEN):
        client, url, token = _ballot_page(vote)
        response = client.post(url, {"choice": vote["alpha"].code, "confirm": "1", "cast_token": token})
        receipt = cast_ballot().receipt
        russian = client.get(response["Location"])
        assert receipt in russian.content.decode()
        english_path = "/en" + response["Location"]
        assert russian.cookies["ballot_receipt"]["path"] == english_path
        english = client.get(english_path)
    assert english.status_code == 200 and receipt in english.content.decode()
