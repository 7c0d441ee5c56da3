"""No voting token reaches a log (issue 16): the invitation link and the ballot link carry the
token in their path (mails already sent keep working), and the logs redact it — gunicorn's access
and error logs (electionportal/gunicorn_conf.py) and Django's own logging, runserver's request
lines (``django.server``) included."""

import io
import logging
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from electionportal.logredact import redact

ROOT = Path(__file__).resolve().parent.parent.parent
TOKEN = "Qm9vdGgtdG9rZW4tNDI"


@pytest.mark.parametrize(
    "text",
    [
        f'"GET /elections/ccm-kz-2024/voting/link/{TOKEN}/ HTTP/1.1" 302 0',
        f'"GET /en/elections/ccm-kz-2024/voters/invitation/{TOKEN}/ HTTP/1.1" 200 512',
        f"Not Found: /elections/x/voting/link/{TOKEN}/",
        f"http://portal.example.org/elections/x/voters/invitation/{TOKEN}/?utm=1",
        f"/elections/x/voting%2Flink%2F{TOKEN}",
    ],
)
def test_the_token_is_redacted_wherever_a_path_holds_it(text):
    assert TOKEN not in redact(text) and "[redacted]" in redact(text)


def test_other_paths_are_left_alone():
    for text in ["GET /elections/x/voting/ballot/ HTTP/1.1", "GET /elections/x/voters/lookup/ HTTP/1.1"]:
        assert redact(text) == text


def test_runserver_request_lines_carry_no_token():
    """What ``manage.py runserver`` logs for a request, through the configured handler."""
    from django.core.servers.basehttp import WSGIRequestHandler

    handler = logging.getLogger("django.server").handlers[0]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        request_handler = WSGIRequestHandler.__new__(WSGIRequestHandler)
        request_handler.request = None
        request_handler.client_address = ("127.0.0.1", 50000)
        for path in (f"/elections/x/voters/invitation/{TOKEN}/", f"/elections/x/voting/link/{TOKEN}/"):
            request_handler.requestline = f"GET {path} HTTP/1.1"
            request_handler.log_request(302, 0)
        request_handler.requestline = f"GET /elections/x/voting/link/{TOKEN}x/ HTTP/1.1"
        request_handler.log_request(404, 0)  # a warning, same filter
    finally:
        handler.setStream(previous)
    logged = stream.getvalue()
    assert logged.count("[redacted]") == 3 and TOKEN not in logged
    assert "/voting/link/[redacted]/" in logged and "/voters/invitation/[redacted]/" in logged


def test_django_request_warnings_carry_no_token(caplog):
    """E.g. "Not Found: <path>" for a revoked link, as printed by the console handler."""
    root_handler = logging.getLogger().handlers[0]
    stream = io.StringIO()
    previous = root_handler.setStream(stream)
    try:
        logging.getLogger("django.request").warning("Not Found: %s", f"/elections/x/voting/link/{TOKEN}/")
    finally:
        root_handler.setStream(previous)
    assert (
        TOKEN not in stream.getvalue()
        and "Not Found: /elections/x/voting/link/[redacted]/" in stream.getvalue()
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_access_and_error_logs_carry_no_token(tmp_path):
    """The Docker image's gunicorn settings with an access log: the link's request line, its path
    and the next request's Referer are written without the token."""
    import http.client

    port = _free_port()
    access, errors = tmp_path / "access.log", tmp_path / "error.log"
    env = dict(
        os.environ,
        DEBUG="true",
        DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        ENV_FILE=str(tmp_path / "no.env"),
        LOG_LEVEL="INFO",
    )
    env.pop("REDIS_URL", None)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "python:electionportal.gunicorn_conf",
            "electionportal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--access-logfile",
            str(access),
            "--access-logformat",
            '%(h)s "%(r)s" %(s)s "%(f)s" %(U)s',
            "--error-logfile",
            str(errors),
            "--log-level",
            "debug",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(150):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        invitation = f"/elections/x/voters/invitation/{TOKEN}/"
        for path, referer in [
            (invitation, ""),
            (f"/elections/x/voting/link/{TOKEN}/", f"http://127.0.0.1:{port}{invitation}"),
        ]:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
            conn.request("GET", path, headers={"Referer": referer} if referer else {})
            conn.getresponse().read()
            conn.close()
        deadline = time.time() + 10
        while access.read_text().count("\n") < 2 and time.time() < deadline:
            time.sleep(0.1)
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0].decode(errors="replace")
    logged = access.read_text()
    assert logged.count("\n") == 2, logged
    assert "/voters/invitation/[redacted]/" in logged and "/voting/link/[redacted]/" in logged
    assert logged.count("[redacted]") == 5  # two request lines, two paths, one Referer
    for text in (logged, errors.read_text(), output):
        assert TOKEN not in text
