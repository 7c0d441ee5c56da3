"""The servers of a chaos run (``scripts/chaos.py``) and of the two-server check
(``scripts/scaling.py``), each the harness's own, on loopback, on a free port, under var/: never
the shared PostgreSQL on :5432 or Redis on :6379.

* ``MailSink``: an SMTP server in this process (aiosmtpd) that keeps every message.
* ``Postgres``: a throw-away cluster (initdb, pg_ctl) that can be restarted mid-run. As root it
  runs as the ``postgres`` user (PostgreSQL refuses to run as root). ``standby_of`` makes a
  streaming replica of another one (pg_basebackup -R: a hot standby that follows it).
* ``Redis``: a redis-server configured like docker-compose.yml's (no persistence: stopping it
  loses the queued tasks and the cache, as it would there), that can be stopped and started.
* ``Service``: any other process (gunicorn, the Celery worker) in its own process group.
"""

from __future__ import annotations

import email
import email.policy
import glob
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from benchmarks.live import free_port, wait_for_port


class MailSink:
    """An SMTP server on 127.0.0.1 that keeps (recipient, subject, text) of every message."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages: list[tuple[str, str, str]] = []
        self._lock = threading.Lock()
        self.port = free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        part = message.get_body(preferencelist=("plain",))
        text = part.get_content() if part is not None else ""
        with self._lock:
            for recipient in envelope.rcpt_tos:
                self.messages.append((recipient.lower(), str(message["Subject"] or ""), text))
        return "250 Message accepted for delivery"

    def snapshot(self) -> list[tuple[str, str, str]]:
        with self._lock:
            return list(self.messages)

    def start(self) -> MailSink:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()


def _postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    if not found:
        raise RuntimeError("PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin")
    return Path(found[-1]).parent


class Postgres:
    """A PostgreSQL cluster of its own in ``base``/data, TCP on 127.0.0.1 only."""

    def __init__(self, base: Path):
        self.base = base
        self.data = base / "data"
        self.log = base / "postgres.log"
        self.port = free_port()
        self.bin = _postgres_bin()
        self.as_root = os.geteuid() == 0

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.as_root:  # PostgreSQL refuses to run as root: as its own system user
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True, timeout=120)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/electionportal"

    def init(self) -> Postgres:
        shutil.rmtree(self.base, ignore_errors=True)
        self.base.mkdir(parents=True)
        if self.as_root:
            shutil.chown(self.base, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        settings = {
            "port": str(self.port),
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": "''",
            # a disposable cluster: a fast restart is a clean shutdown (nothing committed is lost)
            "fsync": "off",
            "full_page_writes": "off",
            "max_connections": "100",
        }
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.writelines(f"{key} = {value}\n" for key, value in settings.items())
        return self

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "start")

    @classmethod
    def standby_of(cls, primary: Postgres, base: Path) -> Postgres:
        """A hot standby of ``primary`` (running) in ``base``/data on its own port, streaming from
        it: everything committed on the primary appears here, read-only."""
        standby = cls(base)
        shutil.rmtree(base, ignore_errors=True)
        base.mkdir(parents=True)
        if standby.as_root:
            shutil.chown(base, "postgres", "postgres")
        standby._run(
            "pg_basebackup",
            "-h",
            "127.0.0.1",
            "-p",
            str(primary.port),
            "-U",
            "postgres",
            "-D",
            str(standby.data),
            "-R",
            "-X",
            "stream",
            "--no-sync",
        )
        with open(standby.data / "postgresql.conf", "a") as conf:
            conf.write(f"port = {standby.port}\nhot_standby = on\nhot_standby_feedback = on\n")
        return standby

    def sql(self, statement: str, database: str = "electionportal") -> str:
        """One statement through psql; its output without headers."""
        return self._run(
            "psql",
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "-d",
            database,
            "-At",
            "-c",
            statement,
        ).stdout.strip()

    def create_database(self) -> None:
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "electionportal")

    def restart(self, down: float = 0.0) -> None:
        """``pg_ctl restart -m fast`` (open sessions are ended, their transactions rolled back);
        with ``down`` seconds, stopped (``-m fast``) for that long, then started."""
        if not down:
            self._run(
                "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-m", "fast", "-w", "-t", "60", "restart"
            )
            return
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")
        time.sleep(down)
        self.start()

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)


class Service:
    """A process in its own process group (so that Ctrl-C reaches the harness first, and
    stopping it stops its children), its output in ``log``."""

    def __init__(self, name: str, command: list[str], log: Path, **popen):
        self.name, self.command, self.log_path, self.popen = name, command, log, popen
        self.process: subprocess.Popen | None = None

    def start(self) -> Service:
        log = open(self.log_path, "ab")  # noqa: SIM115 - the child keeps it
        self.process = subprocess.Popen(
            self.command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, **self.popen
        )
        log.close()
        return self

    def stop(self, timeout: float = 15) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5)):
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:
                return
            try:
                process.wait(wait)
                return
            except subprocess.TimeoutExpired:
                continue


def celery_worker(log: Path, env: dict, cwd: Path) -> Service:
    """A Celery worker of the portal (two processes), started."""
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "electionportal",
        "worker",
        "-l",
        "WARNING",
        "--concurrency",
        "2",
    ]
    return Service("worker", command, log, cwd=cwd, env=env).start()


class Redis(Service):
    """redis-server on a free port, without persistence like docker-compose.yml's."""

    def __init__(self, base: Path):
        base.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        redis_server = shutil.which("redis-server") or "/usr/bin/redis-server"
        super().__init__(
            "redis",
            [
                redis_server,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            base / "redis.log",
            cwd=base,
        )

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> Redis:
        super().start()
        if not wait_for_port(self.port, timeout=20):
            raise RuntimeError("redis-server did not start")
        return self


def wait_until(predicate, timeout: float, step: float = 0.5) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()
