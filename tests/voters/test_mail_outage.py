"""No mail lost or doubled when the broker stops mid-burst (issue 16, deliverable 3).

The test starts its own Redis (a free port, a temporary directory, no persistence: a restart
loses every queued message, as in the tester's outage) and a real Celery worker with beat,
pointed at it and at the PostgreSQL test database; the worker writes mail to files. Invitations
are issued and Redis is killed in the middle of their sending; a reminder round and a resend are
made while Redis is down (the requests must neither fail nor hang); Redis comes back; then every
mail the outbox sent was delivered exactly once, and each voter's newest link works.
"""

import email
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections import Counter
from email import policy
from pathlib import Path

import pytest

from tests.processes import shared_database_url

ROOT = Path(__file__).resolve().parents[2]
VOTERS = 30

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server is not installed"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


class OwnRedis:
    def __init__(self, directory: Path):
        self.port = _free_port()
        self.directory = directory
        self.proc = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self):
        self.proc = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            cwd=self.directory,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_for(self._answers, 15, "redis-server to answer")

    def kill(self):
        """As in a crash: no shutdown, no save; what was queued is gone."""
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(timeout=10)
            self.proc = None


@pytest.fixture
def own_redis(tmp_path):
    server = OwnRedis(tmp_path)
    server.start()
    yield server
    server.kill()


@pytest.fixture
def worker(transactional_db, own_redis, tmp_path):
    """A Celery worker with embedded beat (the outbox runs every second) on the test database,
    mailing into files; the test process publishes its kicks to the same Redis."""
    from electionportal.celery import app

    maildir = tmp_path / "mail"
    maildir.mkdir()
    env = dict(
        os.environ,
        DATABASE_URL=shared_database_url(),
        REDIS_URL=own_redis.url,
        DEBUG="true",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(maildir),
        OUTBOX_DRAIN_EVERY_SECONDS="1",
        OUTBOX_MAILS_PER_MINUTE="900",  # a burst that lasts a few seconds, so the outage hits it
        OUTBOX_RETRY_SECONDS="1",
        SITE_URL="https://portal.example.org",
    )
    log = open(tmp_path / "worker.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "electionportal",
            "worker",
            "-B",
            "--schedule",
            str(tmp_path / "beat-schedule"),
            "--pool=solo",
            "--concurrency=1",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    previous = (app.conf.broker_url, app.conf.task_always_eager)

    def reset_pools():
        """Forget the broker connections (kombu keeps global pools per broker URL), so the next
        publish connects to the broker now configured, and later tests get fresh pools."""
        import kombu.pools

        kombu.pools.reset()
        app._pool = None
        app.amqp._producer_pool = None

    reset_pools()
    app.conf.broker_url = own_redis.url
    app.conf.task_always_eager = False
    try:
        yield {"maildir": maildir, "log": tmp_path / "worker.log", "redis": own_redis}
    finally:
        app.conf.broker_url, app.conf.task_always_eager = previous
        reset_pools()
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _delivered(maildir: Path) -> list:
    """Every message the worker wrote: the file backend separates them by a line of 79 dashes."""
    messages = []
    for path in sorted(maildir.iterdir()):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                messages.append(email.message_from_bytes(chunk, policy=policy.default))
    return messages


def _link(message) -> str:
    return re.search(r"/invitation/([^/\s]+)/", message.get_body().get_content()).group(1)


@pytest.fixture
def registered(transactional_db, ccm):
    """Accepted voters; their registrations' own mails are sent here, in-process (eager), before
    the worker fixture switches the broker on."""
    from tests.outbox import send_outbox

    from .factories import registration

    voters = [f"v{i:02}@example.org" for i in range(VOTERS)]
    for address in voters:
        registration(ccm["group_a"], email=address, name=f"Избиратель {address}", decided="accept")
    send_outbox()
    return dict(ccm, voters=voters)


def test_every_mail_is_delivered_exactly_once_across_a_broker_outage(registered, worker, settings):
    from elections.models import OutboxMail, OutboxTask
    from voters import selectors, services
    from voters.models import VotingCredential

    election, voters = registered["election"], registered["voters"]
    redis = worker["redis"]
    settings.VOTER_INVITATION_BATCH = 5

    def done(**filters) -> int:
        return OutboxMail.objects.filter(status=OutboxMail.Status.DONE, **filters).count()

    try:
        # 1. invitations; Redis dies in the middle of their sending
        services.credentials_issue(election=election, actor=None)
        _wait_for(lambda: done(kind="voters.credential_invitation") >= 3, 60, "the burst to start")
        redis.kill()
        assert done(kind="voters.credential_invitation") < VOTERS, "the outage came after the burst"
        time.sleep(2)
        redis.start()  # empty: whatever was queued is lost
        _wait_for(lambda: done(kind="voters.credential_invitation") == VOTERS, 120, "every invitation")

        # 2. with Redis down: one voter votes, a reminder round and a resend are made
        first_links = {str(m["To"]): _link(m) for m in _delivered(worker["maildir"])}
        services.credential_mark_used(selectors.credential_for_token(election, first_links[voters[0]]))
        time.sleep(1.5)  # the last beat run is over
        redis.kill()
        started = time.monotonic()
        assert services.credential_reminders_send(election=election, actor=None)["queued"] == VOTERS - 1
        services.credential_resend(credential=VotingCredential.objects.get(email=voters[1]), actor=None)
        assert time.monotonic() - started < 15, "a request waited on the broker that is down"
        time.sleep(2)
        [round_1] = selectors.reminder_rounds(election)
        assert (round_1["queued"], round_1["sent"]) == (VOTERS - 1, 0)  # queued is not sent
        redis.start()
        _wait_for(lambda: selectors.reminder_rounds(election)[0]["sent"] == VOTERS - 1, 120, "every reminder")
        _wait_for(
            lambda: (
                not OutboxMail.objects.filter(status=OutboxMail.Status.PENDING).exists()
                and not OutboxTask.objects.filter(status=OutboxTask.Status.PENDING).exists()
            ),
            60,
            "the outbox to empty",
        )
    except AssertionError:
        print(worker["log"].read_text(errors="replace")[-5000:])
        raise

    messages = _delivered(worker["maildir"])
    delivered = Counter((str(m["To"]), " ".join(str(m["Subject"]).split())) for m in messages)
    sent_rows = Counter(  # the worker sent the voting links (the test process sent the rest)
        OutboxMail.objects.filter(status=OutboxMail.Status.DONE, kind__startswith="voters.credential_")
        .values_list("to", "subject")
        .iterator()
    )
    assert sum(sent_rows.values()) == VOTERS + VOTERS - 1
    assert delivered == sent_rows  # every sent row reached the mail server, and only those
    assert set(delivered.values()) == {1}  # none twice
    per_voter = Counter(str(m["To"]) for m in messages)
    assert per_voter[voters[0]] == 1  # voted: the invitation only
    assert all(per_voter[v] == 2 for v in voters[1:])  # the invitation and the reminder
    # the resend was made while its voter's reminder waited; the newer reminder replaced it
    assert OutboxMail.objects.get(kind="voters.credential_resend").status == OutboxMail.Status.CANCELLED
    newest = {}
    for m in messages:
        newest[str(m["To"])] = _link(m)
    for address in voters[1:]:
        assert selectors.credential_for_token(election, newest[address]) is not None, address
        assert selectors.credential_for_token(election, first_links[address]) is None, address
