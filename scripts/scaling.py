#!/usr/bin/env python
"""More than one machine, on loopback: ``python scripts/scaling.py [--voters N] [--json FILE]``.

The portal as docs/scaling.md deploys it, all the harness's own under var/scaling/ (never the
shared servers): a PostgreSQL primary and a **streaming replica** of it (pg_basebackup -R), Redis,
an SMTP sink, a Celery worker, and **two gunicorn app servers behind HAProxy** (round robin, so a
voter's consecutive requests reach both). Then:

1. **The whole voting path through the load balancer.** The chaos run's election (one online
   contest, N accepted voters, ``chaos.prepare``); the voters follow the invitation mail's
   link and vote through the real pages (``chaos_voter``): every request goes to HAProxy, which
   alternates the servers; sessions (the database), the cache (Redis) and the worker's mails work
   across them. Voting is closed; every voter must hold a receipt whose ballot is stored, and
   each server must have answered voting requests.
2. **The public pages from the replica.** Replay on the replica is paused and the election's
   title changed on the primary behind the portal's back (no audit entry): the public election
   page and the API still show the old title — they are read from the replica. Then the title
   is changed with the portal's service (an audit entry): the page shows the new title at once,
   from the primary, since the replica has not replayed that change (bounded staleness). Replay
   resumes; the page is read from the replica again, with the new title.

Prints one JSON report (also to ``--json``). Exit code: 0 all well; 1 a check failed; 3 the
harness could not run (a missing program: haproxy, PostgreSQL's server binaries, redis-server).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from chaos import portal_here, prepare  # noqa: E402 - the chaos run's set-up and election
from chaos_servers import MailSink, Postgres, Redis, Service, celery_worker, wait_until  # noqa: E402
from chaos_tally import RECEIPT, invitation_path  # noqa: E402
from chaos_voter import Voter  # noqa: E402

from benchmarks.live import Client, free_port, server_env, start_gunicorn, wait_for_port  # noqa: E402

WORK = ROOT / "var" / "scaling"
TITLE = "Проверка на сбоях"  # the chaos run's election (chaos.prepare)
HIDDEN_TITLE = "Изменено в обход портала"
SERVICE_TITLE = "Изменено службой портала"

HAPROXY_CFG = """global
    maxconn 2000
defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
frontend portal
    bind 127.0.0.1:{port}
    default_backend app
backend app
    balance roundrobin
    server app1 127.0.0.1:{app1}
    server app2 127.0.0.1:{app2}
"""


def say(message: str) -> None:
    print(f"scaling: {message}", file=sys.stderr, flush=True)


def vote_through_the_balancer(election, voters: int, port: int, sink: MailSink) -> dict:
    from django.utils import timezone

    from ballots.models import Ballot, Participation
    from elections.models import Election
    from elections.services import election_transition
    from voters.services import credentials_issue

    credentials_issue(election=election, actor=None)
    election_transition(election=election, transition="open_voting", actor=None)
    emails = [f"voter{i}@chaos.example" for i in range(voters)]

    def links() -> dict[str, str]:
        return {to: path for to, _s, body in sink.snapshot() if (path := invitation_path(body))}

    if not wait_until(lambda: set(emails) <= set(links()), 120):
        return {"ok": False, "error": "the worker did not mail every invitation"}
    found = links()
    outcomes = [Voter(e, port, rng=random.Random(e)).vote(found[e]) for e in emails]
    Election.objects.filter(pk=election.pk).update(voting_ends_at=timezone.now())
    election_transition(election=Election.objects.get(pk=election.pk), transition="close_voting", actor=None)
    receipts = {o.receipt for o in outcomes if o.result == RECEIPT and o.receipt}
    stored = set(
        Ballot.objects.filter(contest__election=election, channel="online").values_list("receipt", flat=True)
    )
    return {
        "voters": voters,
        "receipts": len(receipts),
        "ballots_stored": len(stored),
        "participations": Participation.objects.filter(election=election, channel="online").count(),
        "receipts_without_ballot": len(receipts - stored),
        "ok": len(receipts) == voters and receipts <= stored,
    }


def requests_per_server(logs: list[Path], slug: str) -> list[int]:
    """Voting requests (invitation, link, ballot) in each server's access log."""
    return [
        sum(1 for line in log.read_text().splitlines() if f"/elections/{slug}/voting/" in line)
        for log in logs
    ]


def title_seen(port: int, path: str) -> str:
    status, page = Client(port).request("GET", path)
    text = page.decode(errors="replace")
    if path.startswith("/api/"):  # JSON escapes the Cyrillic
        text = json.dumps(json.loads(text), ensure_ascii=False)
    for title in (SERVICE_TITLE, HIDDEN_TITLE, TITLE):
        if title in text:
            return title
    return f"status {status}"


def replica_checks(election, port: int, primary: Postgres, replica: Postgres) -> dict:
    from django.db import connections

    from elections.models import Election
    from elections.services import election_update

    page = f"/elections/{election.slug}/"
    api = f"/api/v1/elections/{election.slug}/"

    def caught_up() -> bool:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            wanted = cursor.fetchone()[0]
        return replica.sql(f"SELECT pg_last_wal_replay_lsn() >= '{wanted}'::pg_lsn") == "t"

    wait_until(caught_up, 30, 0.2)
    report = {"before": title_seen(port, page + "?probe=1")}
    replica.sql("SELECT pg_wal_replay_pause()")
    with connections["default"].cursor() as cursor:  # on the primary, behind the portal's back
        cursor.execute(
            "UPDATE elections_election SET title_ru = %s WHERE id = %s", [HIDDEN_TITLE, election.pk]
        )
    report["page_while_replay_paused"] = title_seen(port, page + "?probe=2")
    report["api_while_replay_paused"] = title_seen(port, api + "?probe=2")
    election_update(election=Election.objects.get(pk=election.pk), actor=None, title_ru=SERVICE_TITLE)
    report["page_after_a_recorded_change"] = title_seen(port, page + "?probe=3")
    replica.sql("SELECT pg_wal_replay_resume()")
    wait_until(caught_up, 30, 0.2)
    report["page_after_replay_resumed"] = title_seen(port, page + "?probe=4")
    report["ok"] = (
        report["before"] == TITLE
        and report["page_while_replay_paused"] == TITLE  # from the replica: the change is not there yet
        and report["api_while_replay_paused"] == TITLE
        and report["page_after_a_recorded_change"] == SERVICE_TITLE  # the primary: never older
        and report["page_after_replay_resumed"] == SERVICE_TITLE
    )
    return report


def run(args, cleanup: list) -> int:
    for program in ("haproxy", "redis-server"):
        if not shutil.which(program) and not Path(f"/usr/sbin/{program}").exists():
            say(
                f"{program} is not installed (make test installs it: WITH_SERVERS=1 scripts/ensure-system-deps.sh)"
            )
            return 3
    WORK.mkdir(parents=True, exist_ok=True)
    sink = MailSink().start()
    cleanup.append(sink.stop)
    primary = Postgres(WORK / "primary").init()
    with open(primary.data / "postgresql.conf", "a") as conf:
        conf.write("wal_level = replica\nmax_wal_senders = 4\n")
    cleanup.append(lambda: shutil.rmtree(primary.base, ignore_errors=True))
    cleanup.append(primary.stop)
    primary.start()
    primary.create_database()
    replica = Postgres.standby_of(primary, WORK / "replica")
    cleanup.append(lambda: shutil.rmtree(replica.base, ignore_errors=True))
    cleanup.append(replica.stop)
    replica.start()
    redis = Redis(WORK / "redis").start()
    cleanup.append(redis.stop)
    port, app_ports = free_port(), [free_port(), free_port()]
    env = server_env(
        primary.url,
        DATABASE_REPLICA_URL=replica.url,
        REDIS_URL=redis.url,
        EMAIL_URL=f"smtp://127.0.0.1:{sink.port}",
        SITE_URL=f"http://127.0.0.1:{port}",
        STATIC_ROOT=str(WORK / "static"),
        WEB_CONCURRENCY="2",
    )
    portal_here(env, WORK / "static")
    say(f"primary :{primary.port}, replica :{replica.port}, Redis :{redis.port}; migrated")
    logs = []
    for n, app_port in enumerate(app_ports, start=1):
        log_path = WORK / f"app{n}.access.log"
        log_path.unlink(missing_ok=True)
        logs.append(log_path)
        web = Service(f"app{n}", [], WORK / f"app{n}.log")
        with open(web.log_path, "ab") as log:
            web.process = start_gunicorn(
                env, app_port, ["--access-logfile", str(log_path)], log=log, start_new_session=True
            )
        cleanup.append(web.stop)
    (WORK / "haproxy.cfg").write_text(HAPROXY_CFG.format(port=port, app1=app_ports[0], app2=app_ports[1]))
    haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
    balancer = Service(
        "haproxy", [haproxy, "-f", str(WORK / "haproxy.cfg"), "-db"], WORK / "haproxy.log"
    ).start()
    cleanup.append(balancer.stop)
    worker = celery_worker(WORK / "worker.log", env, ROOT)
    cleanup.append(worker.stop)
    if not wait_for_port(port, 20):
        say("HAProxy did not start")
        return 3
    say(f"HAProxy :{port} → gunicorn :{app_ports[0]} and :{app_ports[1]}; a Celery worker")
    started = time.monotonic()
    election, _contest = prepare(args.voters)
    voting = vote_through_the_balancer(election, args.voters, port, sink)
    time.sleep(1)  # gunicorn writes its access log as it goes
    voting["voting_requests_per_server"] = requests_per_server(logs, election.slug)
    voting["ok"] = voting["ok"] and all(n > 0 for n in voting["voting_requests_per_server"])
    say(f"voting through the balancer: {voting}")
    replica_report = replica_checks(election, port, primary, replica)
    say(f"public pages and the replica: {replica_report}")
    report = {
        "voting": voting,
        "replica": replica_report,
        "seconds": round(time.monotonic() - started, 1),
        "ok": voting["ok"] and replica_report["ok"],
    }
    text = json.dumps(report, ensure_ascii=False, indent=2)
    print(text, flush=True)
    if args.json:
        Path(args.json).write_text(text)
    return 0 if report["ok"] else 1


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=20)
    parser.add_argument("--json", default="", help="also write the report to this file")
    args = parser.parse_args(argv)
    cleanup: list = []
    try:
        return run(args, cleanup)
    finally:
        for step in reversed(cleanup):
            try:
                step()
            except Exception as exc:  # noqa: BLE001 - tidy up the rest
                say(f"cleanup: {exc}")


if __name__ == "__main__":
    sys.exit(main())
