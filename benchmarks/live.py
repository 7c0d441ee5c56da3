"""A portal served for real on loopback: shared by the voting benchmark (``bench_voting``) and the
chaos harness (``scripts/chaos.py``).

* ``free_port`` and ``wait_for_port``: a port to bind and waiting until a server listens on it.
* ``server_env``: the environment of a served portal without TLS in front (plain HTTP on
  127.0.0.1, production settings otherwise: DEBUG off, Celery not eager).
* ``collectstatic`` and ``start_gunicorn``: the static files, then gunicorn with the Docker
  image's settings (``electionportal/gunicorn_conf.py``).
* ``Client``: one browser's connection and cookies over ``http.client``.
* ``accepted_voters``: many accepted voter registrations in one insert.

Nothing here imports Django at module level: the chaos harness chooses its servers' ports before
it sets Django up.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECRET_KEY = "bench-" + "x" * 50


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 20.0, host: str = "127.0.0.1") -> bool:
    """True once something accepts connections on ``port``; False after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection((host, port), timeout=0.2).close()
            return True
        except OSError:
            time.sleep(0.2)
    return False


def server_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a portal process (web server, worker) served over plain HTTP on
    127.0.0.1: production settings (DEBUG off, tasks not eager) but for the HTTPS-only cookies
    and redirect. ``extra`` adds or overrides variables (e.g. ``REDIS_URL``, ``EMAIL_URL``)."""
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        DEBUG="false",
        DJANGO_SECRET_KEY=SECRET_KEY,
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        ALLOWED_HOSTS="127.0.0.1",
        CELERY_TASK_ALWAYS_EAGER="false",
        LOG_LEVEL="WARNING",
    )
    env.update(extra)
    return env


def collectstatic(env: dict[str, str], static_root: Path) -> None:
    """Collect the static files for a server with DEBUG off (whitenoise's manifest storage)."""
    env["STATIC_ROOT"] = str(static_root)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )


def start_gunicorn(
    env: dict[str, str], port: int, extra_args: list[str] | None = None, log=None, **popen
) -> subprocess.Popen:
    """gunicorn with the Docker image's settings on 127.0.0.1:``port``; waits until it listens."""
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "python:electionportal.gunicorn_conf",  # the Docker image's settings
            "electionportal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            *(extra_args or []),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
        **popen,
    )
    wait_for_port(port, timeout=40)
    return server


class Client:
    """One browser: its cookies and its own kept-alive connection to 127.0.0.1:``port``. A
    connection the server has closed (sync workers close after each response) is opened anew
    and the request sent again once; errors on the new connection are the caller's."""

    def __init__(self, port: int, timeout: float = 30):
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        data = response.read()
        self.headers = {name.lower(): value for name, value in response.getheaders()}
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return response.status, data

    def close(self) -> None:
        self.conn.close()


def accepted_voters(*, election, group, count: int, domain: str, now) -> list:
    """``count`` accepted registrations of persons in ``group`` (``voter<i>@<domain>``), written
    in one bulk insert: the fixture of a served election, not a path under test."""
    from voters.models import VoterRegistration

    region = VoterRegistration._meta.get_field("region").choices[0][0]
    return VoterRegistration.objects.bulk_create(
        VoterRegistration(
            election=election,
            group=group,
            kind="person",
            name=f"Избиратель {i}",
            email=f"voter{i}@{domain}",
            region=region,
            consent_given_at=now,
            submitted_at=now,
            confirmed_at=now,
            status="accepted",
        )
        for i in range(count)
    )
