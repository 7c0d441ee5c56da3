"""A database outage (a restart, a failover) answers 503 with Retry-After and the portal's plain
error page, translated, instead of a 500 (issue 16). The outside world failing is simulated two
ways: the database driver raising OperationalError for every query, and — on PostgreSQL — the
request really pointed at a port where no database listens."""

import socket

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.db.backends.utils import CursorWrapper
from django.test import RequestFactory

from electionportal import errors


@pytest.fixture
def database_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(CursorWrapper, "execute", refuse)
    monkeypatch.setattr(CursorWrapper, "executemany", refuse)


def _assert_503(response, retry_after="30"):
    assert response.status_code == 503
    assert response["Retry-After"] == retry_after
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_pages_answer_503_with_retry_after_in_the_reader_language(client, database_down):
    response = client.get("/en/")
    _assert_503(response)
    page = response.content.decode()
    assert "Temporarily unavailable" in page and "tries again by itself in 30 seconds" in page
    russian = client.get("/")
    _assert_503(russian)
    assert '<html lang="ru">' in russian.content.decode()  # the texts' Russian is in tr/uploads.json


@pytest.mark.django_db
def test_the_delay_is_a_setting(client, database_down, settings):
    settings.DATABASE_UNAVAILABLE_RETRY_AFTER = 5
    _assert_503(client.get("/en/"), retry_after="5")


def test_an_outage_met_by_middleware_reaches_the_handler_as_503():
    request = RequestFactory().get("/en/")
    for error in (
        OperationalError("the database system is shutting down"),
        InterfaceError("connection already closed"),
    ):
        try:
            raise error
        except type(error):
            _assert_503(errors.server_error(request))
    try:
        raise ValueError("a bug")
    except ValueError:
        assert errors.server_error(request).status_code == 500  # other failures stay 500


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db(transaction=True)
def test_a_database_that_does_not_answer_gives_503(client):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's test database lives in this process: it cannot go away")
    original = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=str(_free_port()))
    try:
        response = client.get("/en/")
    finally:
        connection.close()
        connection.settings_dict.update(HOST=original["HOST"], PORT=original["PORT"])
    _assert_503(response)
    assert "Temporarily unavailable" in response.content.decode()


@pytest.mark.django_db
def test_a_session_not_saved_because_the_database_went_away_gives_503_not_400(monkeypatch):
    """Django turns a failed session save at the end of a request into "the session was deleted"
    (400); when the database went away that is an outage, answered 503 (seen with `make chaos`)."""
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.contrib.sessions.models import Session
    from django.core.handlers.exception import convert_exception_to_response
    from django.http import HttpResponse

    def view(request):
        request.session["voting"] = {"credential": 1}
        return HttpResponse("ok")

    def refuse(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    handler = convert_exception_to_response(SessionMiddleware(convert_exception_to_response(view)))
    request = RequestFactory().get("/")
    from django.contrib.sessions.backends.db import SessionStore

    existing = SessionStore()
    existing.create()
    request.COOKIES["sessionid"] = existing.session_key  # an existing session: saved with an UPDATE
    monkeypatch.setattr(Session, "save", refuse)
    response = handler(request)
    _assert_503(response)


def test_a_real_bad_request_stays_400(rf):
    from django.core.exceptions import BadRequest

    assert errors.bad_request(rf.get("/"), BadRequest("malformed")).status_code == 400
