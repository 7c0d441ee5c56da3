"""Cast-vote throughput through gunicorn on PostgreSQL, against a bare Django view that inserts one
row with the same setup (same server, workers, database and middleware), as a ratio.

Targets (issue 23, after the unlinkable-ballot design): ratio >= 0.8 at 50 concurrent clients,
p95 of a cast under 100 ms. The design's cost is in two places, both reported: the request (the
sealed ballot waits apart from the participation: the ratio) and the mixing that moves waiting
ballots into the ballot table out of the request (``mix_seconds`` and ``final_mix_seconds``, and
per ballot ``mix_ms_per_ballot``).
Each voter's session is opened first (invitation link, ballot page: untimed); the timed phase is
the confirming POST that casts the ballot, with the cast token the ballot page embeds (as a
browser posts it): the token's signature is checked instead of reading the session, the election
comes from a per-process cache of a few seconds, and one statement (prepared once per connection)
uses the credential and writes the participation and the sealed ballot waiting to be mixed
(ballots.services.ballot_cast_by_ids on PostgreSQL). The mix that moves waiting ballots into the
ballot table runs in the beat task, not in the request; the details time it after the casts
(``mix_seconds``: every waiting ballot in one batch; ``final_mix_seconds``: the rewrite of all the
election's online ballots that closing voting does). A page without the token would take the session path (Django's CSRF check, session
and credential reads); ``ballot_pages_with_cast_token`` in the details says how many had it.

Method (the same for both sides):
* Casting and the bare view alternate in rounds of ``ROUND`` requests, so that both see the same
  background load on a shared machine; the rates are totals over the rounds.
* Each client thread sends its requests over its own connection, the voters' cookies included,
  and opens a new one when the server has closed it (sync workers close after each response, as
  they would behind a reverse proxy).
* Celery is not eager, as in production: the confirmation mail is not sent or queued by the
  request; the beat task ``ballots.send_pending_vote_confirmations`` sends due confirmations
  every minute (it does not run during the benchmark). With eager tasks (the embedded default)
  the request itself would send the mail: not what production does.
* The bare view is unchanged (one INSERT, CSRF-exempt) and gets the same server, middleware,
  database and connection settings.
* The details give CPU milliseconds per request, read from /proc around each round: the gunicorn
  processes, and all PostgreSQL processes of the machine (so including other users of a shared
  server), and how many credential updates PostgreSQL did in place (HOT).
* gunicorn runs with the Docker image's settings (``electionportal/gunicorn_conf.py``: sync
  workers, 2 x CPUs + 1); ``BENCH_GUNICORN`` adds options to compare others, e.g.
  ``--worker-class gthread --workers 4 --threads 4``. Database connections are kept
  (CONN_MAX_AGE from the settings, 60 s, with Django's health check) for both views.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import statistics
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from django.db import connection
from django.test import override_settings

from benchmarks.live import Client, accepted_voters, collectstatic, free_port, server_env, start_gunicorn
from tests.processes import database_url

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 50
VOTERS = int(os.environ.get("BENCH_VOTERS", "1500"))
ROUND = 500  # votes per round; casting and the bare view alternate round by round
# Extra gunicorn options, to compare settings, e.g. BENCH_GUNICORN="--worker-class gthread
# --workers 4 --threads 4"; by default the server runs with the Docker image's settings.
GUNICORN_ARGS = os.environ.get("BENCH_GUNICORN", "").split()


def _prepare():
    from ballots.models import ContestOption
    from ballots.services import contest_save
    from elections.services import election_create, election_transition
    from groups.services import group_create
    from voters.models import VotingCredential
    from voters.selectors import token_digest

    now = dt.datetime.now(dt.UTC)
    election = election_create(
        actor=None,
        slug="bench-voting",
        title_ru="Нагрузочный тест",
        time_zone="Asia/Almaty",
        voting_day=now.date(),
        voting_starts_at=now - dt.timedelta(hours=1),
        voting_ends_at=now + dt.timedelta(hours=3),
    )
    group = group_create(election=election, actor=None, slug="g", name_ru="Группа")
    contest = contest_save(
        election=election, actor=None, group=group, title_ru="Бюллетень", method="plurality"
    )
    option = ContestOption.objects.create(contest=contest, kind="candidate", label_ru="Кандидат", position=0)
    regs = accepted_voters(election=election, group=group, count=VOTERS, domain="bench.example", now=now)
    VotingCredential.objects.bulk_create(
        [
            VotingCredential(
                election=election, registration=r, email=r.email, token_hash=token_digest(f"bench-{i}")
            )
            for i, r in enumerate(regs)
        ]
    )
    for step in ("announce", "open_registration", "open_voting"):
        election = election_transition(election=election, transition=step, actor=None)
    with connection.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS bench_rows (id bigserial PRIMARY KEY, note text)")
    return election, option


def _cpu_seconds(server_pid: int) -> tuple[float, float]:
    """CPU seconds used so far by the gunicorn processes and by all PostgreSQL processes on this
    machine (from /proc; (0, 0) where it is not available). The PostgreSQL figure includes other
    users of the server, so it is an upper bound on a shared machine."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    gunicorn = postgres = 0.0
    try:
        entries = os.listdir("/proc")
    except OSError:
        return 0.0, 0.0
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        ppid, used = int(fields[1]), (int(fields[11]) + int(fields[12])) / tick
        if int(entry) == server_pid or ppid == server_pid:
            gunicorn += used
        elif comm.startswith("postgres"):
            postgres += used
    return gunicorn, postgres


def _run_phase(port, jobs, work, clients=CLIENTS):
    """Run ``work(client, job)`` for every job on ``clients`` threads; returns latencies and seconds."""
    latencies, errors = [], []
    lock = threading.Lock()
    queue = list(jobs)

    def worker():
        client = Client(port)
        while True:
            with lock:
                if not queue:
                    return
                job = queue.pop()
            t0 = time.perf_counter()
            ok = work(client, job)
            t1 = time.perf_counter()
            with lock:
                (latencies if ok else errors).append(t1 - t0)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors, time.perf_counter() - started


def bench_cast_throughput():
    if connection.vendor != "postgresql":
        return {
            "name": "voting.cast_vs_bare_ratio",
            "value": None,
            "unit": "ratio",
            "target": ">= 0.8",
            "details": {"skipped": "needs PostgreSQL (DATABASE_URL)"},
        }
    election, option = _prepare()
    connection.close()
    db = connection.settings_dict
    port = free_port()
    env = server_env(
        database_url(db),
        BENCH_ENDPOINTS="1",
        # Tasks are queued as in production (on commit, to a broker) and not run inside the request:
        # the in-memory broker keeps the messages in the server process, no worker takes them.
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
    )
    env.pop("REDIS_URL", None)
    collectstatic(env, ROOT / "var" / "bench-static")
    server = start_gunicorn(env, port, GUNICORN_ARGS)
    try:
        slug = election.slug
        sessions: list[Client] = []
        session_lock = threading.Lock()

        def open_session(client, i):
            fresh = Client(port)
            status, _ = fresh.request("GET", f"/elections/{slug}/voting/link/bench-{i}/")
            status, page = fresh.request("GET", f"/elections/{slug}/voting/ballot/")
            found = re.search(rb'name="cast_token" value="([^"]+)"', page)
            fresh.cast_token = found.group(1).decode() if found else ""
            with session_lock:
                sessions.append(fresh)
            return status == 200

        _run_phase(port, range(VOTERS), open_session)

        def cast(client, voter_client):
            # The voter's cookies over the thread's kept-alive connection, like the bare phase
            # (the connection that opened the session has long been closed by the server).
            client.cookies = voter_client.cookies
            token = voter_client.cookies.get("csrftoken", "")
            body = urlencode(
                {
                    "choice": option.code,
                    "confirm": "1",
                    "csrfmiddlewaretoken": token,
                    "cast_token": voter_client.cast_token,
                }
            )
            status, _ = client.request(
                "POST",
                f"/elections/{slug}/voting/ballot/",
                body=body,
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Referer": f"http://127.0.0.1:{port}/",
                    "X-CSRFToken": token,
                },
            )
            return status == 302

        def bare(client, _i):
            status, _ = client.request(
                "POST",
                "/__bench__/insert/",
                body="",
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
            return status == 200

        # Casting and the bare view alternate in rounds of the same size, so that both see the same
        # background load on a shared machine; the totals are summed.
        cast_lat, cast_err, bare_lat, bare_err = [], [], [], []
        cast_seconds = bare_seconds = 0.0
        cast_cpu, bare_cpu = [0.0, 0.0], [0.0, 0.0]
        round_ratios = []  # each round's ratio: how far identical rounds differ on this machine
        for start in range(0, len(sessions), ROUND):
            chunk = sessions[start : start + ROUND]
            before = _cpu_seconds(server.pid)
            lat, err, seconds = _run_phase(port, chunk, cast)
            round_cast = len(lat) / seconds if seconds else 0
            after = _cpu_seconds(server.pid)
            cast_cpu = [c + a - b for c, a, b in zip(cast_cpu, after, before, strict=True)]
            cast_lat += lat
            cast_err += err
            cast_seconds += seconds
            lat, err, seconds = _run_phase(port, range(len(chunk)), bare)
            bare_cpu = [c + b - a for c, a, b in zip(bare_cpu, after, _cpu_seconds(server.pid), strict=True)]
            bare_lat += lat
            bare_err += err
            bare_seconds += seconds
            round_bare = len(lat) / seconds if seconds else 0
            round_ratios.append(round(round_cast / round_bare, 3) if round_bare else None)
    finally:
        server.terminate()
        server.wait(20)
    cast_rate = len(cast_lat) / cast_seconds if cast_seconds else 0
    bare_rate = len(bare_lat) / bare_seconds if bare_seconds else 0
    p95 = statistics.quantiles(cast_lat, n=20)[18] * 1000 if len(cast_lat) >= 20 else None
    details = {
        "gunicorn": " ".join(["-c python:electionportal.gunicorn_conf", *GUNICORN_ARGS]),
        "clients": CLIENTS,
        "votes": len(cast_lat),
        "vote_errors": len(cast_err),
        "votes_per_second": round(cast_rate, 1),
        "bare_inserts_per_second": round(bare_rate, 1),
        "bare_errors": len(bare_err),
        "cast_p95_ms": round(p95, 1) if p95 else None,
        "round_ratios": round_ratios,
        "ballot_pages_with_cast_token": sum(1 for c in sessions if c.cast_token),
        "bare_p95_ms": round(statistics.quantiles(bare_lat, n=20)[18] * 1000, 1)
        if len(bare_lat) >= 20
        else None,
        # CPU milliseconds per request (gunicorn; all PostgreSQL processes of the machine)
        "cast_cpu_ms": [round(x * 1000 / max(len(cast_lat), 1), 2) for x in cast_cpu],
        "bare_cpu_ms": [round(x * 1000 / max(len(bare_lat), 1), 2) for x in bare_cpu],
    }
    from ballots.mixing import ballots_mix_final, mix_due
    from ballots.models import Ballot, PendingBallot

    # The casts left their ballots waiting (sealed) to be mixed: the beat task's mix (one batch of
    # everything waiting here) and the rewrite that closing voting does, timed outside the casts.
    details["ballots_waiting_after_casts"] = PendingBallot.objects.count()
    with override_settings(SECRET_KEY=env["DJANGO_SECRET_KEY"]):  # the server's key sealed them
        started = time.perf_counter()
        mix_due()
        details["mix_seconds"] = round(time.perf_counter() - started, 3)
        started = time.perf_counter()
        ballots_mix_final(election=election)
        details["final_mix_seconds"] = round(time.perf_counter() - started, 3)
        waiting = max(details["ballots_waiting_after_casts"], 1)
        details["mix_ms_per_ballot"] = round(details["mix_seconds"] * 1000 / waiting, 3)
    details["ballots_stored"] = Ballot.objects.filter(contest__election__slug="bench-voting").count()
    with connection.cursor() as cur:  # credential updates done in place (HOT: no index entries)
        cur.execute("SELECT pg_stat_force_next_flush()") if connection.pg_version >= 150000 else None
        cur.execute(
            "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE relname = 'voters_votingcredential'"
        )
        details["credential_updates_hot"] = list(cur.fetchone() or [])
    return [
        {
            "name": "voting.cast_vs_bare_ratio",
            "value": cast_rate / bare_rate if bare_rate else None,
            "unit": "ratio",
            "target": ">= 0.8",
            "details": details,
        },
        {"name": "voting.cast_p95_ms", "value": p95, "unit": "ms", "target": "< 100", "details": details},
    ]


BENCHMARKS = [bench_cast_throughput]
