#!/usr/bin/env python
"""Chaos run: ``make chaos`` (or ``python scripts/chaos.py [--voters N] [--seed S] …``).

A bounded burst of voters against the portal as production runs it — gunicorn, PostgreSQL,
Redis and a Celery worker, all the harness's own on loopback under var/chaos/ (never the shared
servers) — while PostgreSQL is restarted and Redis is stopped for a few seconds. Then it closes
voting and prints one line of counts (``chaos_tally.KEYS``): ballots lost or doubled, mails not
delivered exactly once. Exit code: 0 all well; 1 a ballot lost or doubled; 2 a mail not delivered
exactly once or a dead link; 3 the harness could not run; 130 interrupted.

1. Servers: an SMTP sink in this process, a fresh PostgreSQL cluster and a redis-server on free
   ports, the database migrated, gunicorn with the Docker image's settings, a Celery worker.
2. An election with one online contest (three candidates) and N accepted voters, created with the
   portal's services; the voters' registrations are inserted in bulk, as the voting benchmark
   does. The burst starts with ``credentials_issue``: the worker mails the invitations.
3. Each voter starts at a random moment within ``--spread`` seconds (once the invitation has
   arrived in the sink) and votes through the real pages (``chaos_voter``), at most
   ``--concurrency`` at a time. The harness plays the beat scheduler every ``--beat-every``
   seconds for the schedule's minute sweeps (the confirmation mails, the participation audit, and
   any other the portal has: a mail outbox, a ballot mix), through the broker, so the run does
   not wait a minute per sweep.
4. Mid-burst: PostgreSQL is stopped with ``pg_ctl stop -m fast`` for ``--pg-down`` seconds and
   started again (0: ``pg_ctl restart -m fast``) once a seeded 30–60 % of the invitations have
   arrived — the worker is mailing, the first voters are voting; then Redis is stopped for
   ``--redis-down`` seconds once a seeded 40–60 % of the voters are done (its queue and cache
   are lost, as with docker-compose.yml's Redis, which keeps nothing on disk). A worker that
   exits by itself is started again, as a supervisor would, and counted.
5. After the last voter: the voting end is moved to now (as if the clock had reached it) and
   voting is closed with the portal's service; the harness waits up to ``--settle`` seconds for
   the confirmations, then counts from the database, the sink and what the voters saw.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chaos_servers import MailSink, Postgres, Redis, Service, celery_worker, wait_until  # noqa: E402
from chaos_tally import NO_INVITATION, Outcome, exit_code, invitation_path, mail_kind, summary_line, tally  # noqa: E402
from chaos_voter import Voter  # noqa: E402

from benchmarks.live import accepted_voters, collectstatic, free_port, server_env, start_gunicorn  # noqa: E402

WORK = ROOT / "var" / "chaos"
STARTED = time.monotonic()


def say(message: str) -> None:
    print(f"chaos {time.monotonic() - STARTED:6.1f}s  {message}", file=sys.stderr, flush=True)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=500, help="voters in the election (default 500)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: drawn and printed)")
    parser.add_argument("--concurrency", type=int, default=40, help="voters at a time (default 40)")
    parser.add_argument("--spread", type=float, default=40.0, help="seconds over which voters start (40)")
    parser.add_argument(
        "--pg-down", type=float, default=2.0, help="seconds PostgreSQL stays stopped; 0: pg_ctl restart (2)"
    )
    parser.add_argument("--redis-down", type=float, default=5.0, help="seconds Redis stays stopped (5)")
    parser.add_argument(
        "--retries", type=int, default=8, help="tries of each step before a voter gives up (8)"
    )
    parser.add_argument("--beat-every", type=float, default=5.0, help="seconds between sweeps (5)")
    parser.add_argument("--invitation-wait", type=float, default=60.0, help="seconds to wait for a mail (60)")
    parser.add_argument("--settle", type=float, default=60.0, help="seconds to wait for confirmations (60)")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL data in var/chaos/pg")
    args = parser.parse_args(argv)
    if args.seed is None:
        args.seed = random.SystemRandom().randrange(10**6)
    return args


def portal_here(env: dict, static_root: Path) -> None:
    """This process becomes the portal of ``env`` (mail by ``EMAIL_URL``, not the test backend):
    Django set up, the database migrated, the static files collected for the servers."""
    env.pop("EMAIL_BACKEND", None)
    os.environ.update(env)
    os.environ.pop("EMAIL_BACKEND", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "electionportal.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    collectstatic(env, static_root)


def prepare(voters: int):
    """The election (registration stage, voting window open), its contest and accepted voters."""
    import datetime as dt

    from django.utils import timezone

    from ballots.models import ContestOption
    from ballots.services import contest_save
    from elections.services import election_create, election_transition
    from groups.services import group_create

    now = timezone.now()
    election = election_create(
        actor=None,
        slug="chaos",
        title_ru="Проверка на сбоях",
        time_zone="Asia/Almaty",
        voting_day=now.date(),
        voting_starts_at=now - dt.timedelta(hours=1),
        voting_ends_at=now + dt.timedelta(hours=3),
    )
    group = group_create(election=election, actor=None, slug="g", name_ru="Группа")
    contest = contest_save(
        election=election, actor=None, group=group, title_ru="Бюллетень", method="plurality"
    )
    for k in range(3):
        ContestOption.objects.create(
            contest=contest, kind="candidate", label_ru=f"Кандидат {k + 1}", position=k
        )
    accepted_voters(election=election, group=group, count=voters, domain="chaos.example", now=now)
    for step in ("announce", "open_registration"):
        election = election_transition(election=election, transition=step, actor=None)
    return election, contest


def minute_sweeps(schedule: dict) -> list[str]:
    """The tasks of the beat schedule that run every minute or more often (confirmations, the
    participation audit, and whatever sweep the portal adds, e.g. a mail outbox or a ballot mix)."""
    tasks = []
    for entry in schedule.values():
        every = entry.get("schedule")
        seconds = every.total_seconds() if hasattr(every, "total_seconds") else every
        if isinstance(seconds, int | float) and seconds <= 60:
            tasks.append(entry["task"])
    return tasks


class Beat(threading.Thread):
    """Plays celery beat for the minute sweeps of ``CELERY_BEAT_SCHEDULE``, every ``every``
    seconds instead of every minute: sent through the broker, run by the worker. A sweep that
    cannot be sent (Redis stopped) is missed, as beat's would be."""

    def __init__(self, every: float):
        super().__init__(daemon=True)
        from django.conf import settings

        self.tasks = minute_sweeps(settings.CELERY_BEAT_SCHEDULE)
        self.every, self.halt, self.missed = every, threading.Event(), 0

    def run(self):
        from electionportal.celery import app

        while not self.halt.wait(self.every):
            for name in self.tasks:
                try:
                    app.send_task(name, ignore_result=True)
                except Exception:  # the broker is down: this sweep is missed
                    self.missed += 1


class Supervisor(threading.Thread):
    """Starts a service again when it exits by itself, as systemd's ``Restart=always`` or a
    container's restart policy would in production; counts the restarts."""

    def __init__(self, services: list[Service], stop: threading.Event):
        super().__init__(daemon=True)
        self.services, self.stop, self.restarts = services, stop, 0

    def run(self):
        while not self.stop.wait(1.0):
            for service in self.services:
                process = service.process
                if process is not None and process.poll() is not None and not self.stop.is_set():
                    self.restarts += 1
                    say(f"{service.name} exited by itself (code {process.returncode}): started again")
                    service.start()


class Progress:
    """How far the burst is: invitations arrived, voters done (read by ``Chaos``)."""

    def __init__(self):
        self.invited = self.done = 0
        self._lock = threading.Lock()

    def one_done(self, _future=None) -> None:
        with self._lock:
            self.done += 1


class Chaos(threading.Thread):
    """Mid-burst: restarts PostgreSQL once ``pg_when()`` holds (down for ``pg_down`` seconds),
    then stops Redis once ``redis_when()`` holds, for ``redis_down`` seconds; writes what it did
    to ``events`` (seconds from ``start``)."""

    def __init__(
        self, postgres: Postgres, redis: Redis, *, start, stop, pg_when, pg_down, redis_when, redis_down
    ):
        super().__init__(daemon=True)
        self.postgres, self.redis, self.start_at, self.stop = postgres, redis, start, stop
        self.pg_when, self.pg_down, self.redis_when, self.redis_down = (
            pg_when,
            pg_down,
            redis_when,
            redis_down,
        )
        self.events: list[str] = []

    def _until(self, when) -> bool:
        while not when():
            if self.stop.wait(0.1):
                return False
        return True

    def _event(self, text: str) -> None:
        self.events.append(f"{time.monotonic() - self.start_at:.1f}s {text}")
        say(text)

    def run(self):
        if self._until(self.pg_when):
            how = f"stop -m fast, {self.pg_down:g}s down, start" if self.pg_down else "restart -m fast"
            self._event(f"PostgreSQL: {how}")
            began = time.monotonic()
            self.postgres.restart(down=self.pg_down)
            self._event(f"PostgreSQL: up again after {time.monotonic() - began:.1f}s")
        if self._until(self.redis_when):
            self._event("Redis: stopped")
            self.redis.stop()
            self.stop.wait(self.redis_down)
            self.redis.start()
            self._event("Redis: started again")


def burst(args, election, port: int, sink: MailSink, postgres: Postgres, redis: Redis, stop):
    """Invitations, voters, chaos; returns the voters' outcomes and the chaos events.

    PostgreSQL restarts once a seeded 30–60 % of the invitations have arrived (the worker is
    mailing, voters are voting), at the latest halfway through the spread; Redis stops once a
    seeded 40–60 % of the voters are done, at the latest at three quarters of the spread."""
    from elections.services import election_transition
    from voters.services import credentials_issue

    rng = random.Random(args.seed)
    emails = [f"voter{i}@chaos.example" for i in range(args.voters)]
    starts = {email: rng.uniform(0, args.spread) for email in emails}
    progress = Progress()
    pg_mark, redis_mark = rng.uniform(0.3, 0.6) * args.voters, rng.uniform(0.4, 0.6) * args.voters
    start = time.monotonic()

    def elapsed() -> float:
        return time.monotonic() - start

    chaos = Chaos(
        postgres,
        redis,
        start=start,
        stop=stop,
        pg_when=lambda: progress.invited >= pg_mark or elapsed() >= 0.5 * args.spread,
        pg_down=args.pg_down,
        redis_when=lambda: progress.done >= redis_mark or elapsed() >= 0.75 * args.spread,
        redis_down=args.redis_down,
    )
    issued = credentials_issue(election=election, actor=None)
    election_transition(election=election, transition="open_voting", actor=None)
    say(f"voting open; {issued['queued']} invitations queued for the worker")
    chaos.start()
    outcomes: dict[str, Outcome] = {}
    pending = sorted(emails, key=starts.get)
    pool = ThreadPoolExecutor(max_workers=args.concurrency)
    futures = []
    try:
        while pending and not stop.is_set():
            links = {}
            for to, _subject, body in sink.snapshot():
                if path := invitation_path(body):
                    links[to] = path  # the latest mail's link, as a person would use
            progress.invited = len(links)
            now = elapsed()
            waiting = []
            for email in pending:
                if starts[email] > now:
                    waiting.append(email)
                elif email in links:
                    voter = Voter(
                        email,
                        port,
                        rng=random.Random(f"{args.seed}-{email}"),
                        retries=args.retries,
                        stop=stop,
                    )
                    futures.append(pool.submit(voter.vote, links[email]))
                    futures[-1].add_done_callback(progress.one_done)
                elif now > args.invitation_wait:
                    outcomes[email] = Outcome(email, result=NO_INVITATION)
                else:
                    waiting.append(email)
            pending = waiting
            time.sleep(0.2)
        for future in futures:
            outcome = future.result()
            outcomes[outcome.email] = outcome
    except BaseException:  # Ctrl-C: the voters stop at their next step, the queued ones never start
        stop.set()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    chaos.join()
    say(f"burst over: {len(futures)} voters went to vote")
    return [outcomes[e] for e in emails if e in outcomes], chaos.events


def close_voting(election) -> None:
    """The clock reaches the end of voting; voting is closed with the portal's service."""
    from django.db import close_old_connections
    from django.utils import timezone

    from elections.models import Election
    from elections.services import election_transition

    close_old_connections()
    for attempt in range(5):  # a patient operator
        try:
            Election.objects.filter(pk=election.pk).update(voting_ends_at=timezone.now())
            election_transition(
                election=Election.objects.get(pk=election.pk), transition="close_voting", actor=None
            )
            return
        except Exception as exc:
            from django.db import connection

            connection.close()
            if attempt == 4:
                raise
            say(f"closing voting failed ({exc.__class__.__name__}), again")
            time.sleep(2)


def count(*, election, contest, sink: MailSink, outcomes, worker_restarts, duration_s) -> dict:
    from ballots.models import Ballot, Participation
    from voters.models import VoterRegistration, VotingCredential

    return tally(
        voters=[
            e.lower()
            for e in VoterRegistration.objects.filter(election=election).values_list("email", flat=True)
        ],
        outcomes=outcomes,
        ballot_receipts=list(
            Ballot.objects.filter(contest=contest, channel="online").values_list("receipt", flat=True)
        ),
        participations=list(
            Participation.objects.filter(election=election, channel="online").values_list(
                "elector", flat=True
            )
        ),
        elector_of={
            email.lower(): f"registration:{pk}"
            for pk, email in VoterRegistration.objects.filter(election=election).values_list("pk", "email")
        },
        used={
            e.lower()
            for e in VotingCredential.objects.filter(election=election, used_at__isnull=False).values_list(
                "email", flat=True
            )
        },
        mails=[(to, mail_kind(body)) for to, _subject, body in sink.snapshot()],
        worker_restarts=worker_restarts,
        duration_s=duration_s,
    )


def mails_not_once(sink: MailSink, voters: list[str], used: set[str], limit: int = 50) -> dict:
    """For the details: the voters who did not get a mail exactly once, with how many (and, for
    invitations, how many different links they got)."""
    invitations: dict[str, list[str | None]] = {email: [] for email in voters}
    confirmations: Counter = Counter()
    for to, _subject, body in sink.snapshot():
        if mail_kind(body) == "invitation":
            invitations.setdefault(to, []).append(invitation_path(body))
        else:
            confirmations[to] += 1
    wrong_invitations = {
        email: {"mails": len(links), "links": len(set(links))}
        for email, links in invitations.items()
        if len(links) != 1
    }
    wrong_confirmations = {email: n for email, n in confirmations.items() if n != 1 or email not in used} | {
        email: 0 for email in used if email not in confirmations
    }
    return {
        "invitations": dict(list(wrong_invitations.items())[:limit]),
        "confirmations": dict(list(wrong_confirmations.items())[:limit]),
    }


def run(args, stop: threading.Event, cleanup: list) -> int:
    WORK.mkdir(parents=True, exist_ok=True)
    for old in [*WORK.glob("*.log"), WORK / "result.json"]:  # of an earlier run
        old.unlink(missing_ok=True)
    say(f"seed={args.seed} voters={args.voters}; servers in {WORK}")
    sink = MailSink().start()
    cleanup.append(sink.stop)
    postgres = Postgres(WORK / "pg").init()
    if not args.keep:  # (cleaned up in reverse order: the data goes after the server has stopped)
        cleanup.append(lambda: shutil.rmtree(postgres.base, ignore_errors=True))
    cleanup.append(postgres.stop)
    postgres.start()
    postgres.create_database()
    redis = Redis(WORK / "redis").start()
    cleanup.append(redis.stop)
    port = free_port()
    env = server_env(
        postgres.url,
        REDIS_URL=redis.url,
        EMAIL_URL=f"smtp://127.0.0.1:{sink.port}",
        SITE_URL=f"http://127.0.0.1:{port}",
        STATIC_ROOT=str(WORK / "static"),
    )
    portal_here(env, WORK / "static")
    say(f"PostgreSQL :{postgres.port}, Redis :{redis.port}, SMTP sink :{sink.port}; migrated")
    web = Service("gunicorn", [], WORK / "gunicorn.log")
    with open(web.log_path, "ab") as log:  # the server keeps its own copy of the file
        web.process = start_gunicorn(env, port, log=log, start_new_session=True)
    cleanup.append(web.stop)
    worker = celery_worker(WORK / "worker.log", env, ROOT)
    cleanup.append(worker.stop)
    say(f"gunicorn :{port} and a Celery worker started")
    supervisor = Supervisor([worker], stop)
    supervisor.start()

    election, contest = prepare(args.voters)
    beat = Beat(args.beat_every)
    beat.start()
    say(f"playing beat every {args.beat_every:g}s: {', '.join(beat.tasks)}")
    cleanup.append(beat.halt.set)
    began = time.monotonic()
    outcomes, events = burst(args, election, port, sink, postgres, redis, stop)
    if stop.is_set():
        return 130
    close_voting(election)
    say("voting closed")
    # Closing voting is the portal's own service: where the voting app mixes waiting ballots
    # (issue 16), the close mixes the rest, so the counts below see every ballot.
    from voters.models import VotingCredential

    used = {
        email.lower()
        for email in VotingCredential.objects.filter(election=election, used_at__isnull=False).values_list(
            "email", flat=True
        )
    }

    def confirmed() -> bool:
        got = {to for to, _s, body in sink.snapshot() if mail_kind(body) == "confirmation"}
        return used <= got

    settled = wait_until(confirmed, args.settle)
    stop.wait(args.beat_every + 2)  # one more sweep: a mail sent twice shows up
    beat.halt.set()
    say("confirmations all arrived" if settled else f"confirmations still missing after {args.settle:.0f}s")
    counts = count(
        election=election,
        contest=contest,
        sink=sink,
        outcomes=outcomes,
        worker_restarts=supervisor.restarts,
        duration_s=time.monotonic() - began,
    )
    report = {
        "seed": args.seed,
        "counts": counts,
        "events": events,
        "beat_sweeps_missed": beat.missed,
        "not_voted": [o.__dict__ for o in outcomes if o.result not in ("receipt", "recorded")][:50],
        "mails_not_once": mails_not_once(sink, [f"voter{i}@chaos.example" for i in range(args.voters)], used),
    }
    (WORK / "result.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    say(f"details in {WORK / 'result.json'}; logs in {WORK}")
    print(summary_line(counts), flush=True)
    return exit_code(counts)


def main(argv=None) -> int:
    args = parse_args(argv)
    stop = threading.Event()
    cleanup: list = []

    def terminate(signum, frame):
        raise KeyboardInterrupt

    # Ctrl-C and a polite kill stop every server; also when started where SIGINT was ignored
    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGINT, terminate)
    try:
        return run(args, stop, cleanup)
    except KeyboardInterrupt:
        say("interrupted: stopping the servers")
        return 130
    except Exception as exc:
        say(f"the harness failed: {exc!r}")
        import traceback

        traceback.print_exc()
        return 3
    finally:
        stop.set()
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the clean-up short
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        for step in reversed(cleanup):
            try:
                step()
            except Exception as exc:  # go on with the others
                say(f"cleanup: {exc!r}")


if __name__ == "__main__":
    sys.exit(main())
