"""Election night: 200 readers on the public pages of an election with 2,500 precincts while the
precincts' automated counts keep posting preliminary figures (issue 23, item 1).

Served for real: gunicorn with the Docker image's settings on PostgreSQL, the cache in Redis
(``REDIS_URL``, else the local server's database 15), the public-page cache on
(``elections/public_cache.py``). Set-up, untimed: the counting-stage council election of the
aggregation benchmark (50 districts × 50 precincts) and an API token per precinct commission.

Timed, in alternating rounds of the same size (both sides see the same background load):
* **pages** — ``CLIENTS`` threads, each a reader without a session, request the election's public
  pages in turn: the preliminary results (every council, every precinct), the turnout, the
  election's page and a district's results;
* **bare** — the same threads request ``/__bench__/cached/``: a Django view that returns a blob
  of the pages' average size from the same cache, through the same server and middleware, with
  an ETag that changes as often as a page of changing data is rendered anew (every
  ``PUBLIC_PAGE_REFRESH`` × ``RENDER_AFTER`` s), so that both sides send the same mix of 200 and 304.
Throughout both, a writer posts one precinct's preliminary figures every ``WRITE_EVERY`` seconds
through the API, as an automated count does (each post commits an audit entry, which makes the
election's pages stale).

Every reader reloads as a browser does: with the ETag of the copy it holds (304 when current).
Then, for ``PACED_SECONDS``, the crowd at a reader's pace: the 200 readers each reload a page
every ``READ_EVERY`` seconds (400 pages a second offered; a person reloads far less often).

Reported: pages per second as a ratio to the bare view, both saturated by the closed loop (target
>= 0.8); the 95th percentile of a page under the paced crowd (target < 100 ms; the closed loop's,
where 200 clients queue for 2 cores, is in the details); and the freshness: for every preliminary
page a reader holds after a reload, how long after the first post it does not show yet had
committed (target: within the bound the pages state, ``PUBLIC_PAGE_REFRESH`` + 1 s).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import statistics
import threading
import time
import uuid
from pathlib import Path

from django.db import connection

from benchmarks.bench_voting import _cpu_seconds, _run_phase
from benchmarks.live import Client, collectstatic, free_port, server_env, start_gunicorn
from elections.public_cache import RENDER_AFTER
from tests.processes import database_url

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = int(os.environ.get("BENCH_READERS", "200"))
ROUND = 4000  # requests per round; pages and the bare view alternate round by round
ROUNDS = 3
PACED_SECONDS = 15  # then the crowd at a reader's pace: each reloads a page every READ_EVERY s
READ_EVERY = 0.5
WRITE_EVERY = 0.25  # seconds between two precincts' preliminary posts
REFRESH = 5.0  # PUBLIC_PAGE_REFRESH of the server (the default)
BOUND = int(REFRESH) + 1  # what the pages state: "refreshed at most 3 seconds after each change"
REPORTED = re.compile(r"(\d+) из (\d+) участков передали данные".encode())
GUNICORN_ARGS = os.environ.get("BENCH_GUNICORN", "").split()


def _prepare():
    from api.models import ApiToken
    from benchmarks.bench_aggregation import build_counting_election
    from groups.models import Commission

    slug = f"bench-night-{uuid.uuid4().hex[:8]}"  # its own cache keys, whatever the cache holds
    election, districts, contests, actor, _protocols = build_counting_election(slug=slug)
    pecs = list(
        Commission.objects.filter(election=election, kind="pec")
        .select_related("unit")
        .order_by("unit__number")
    )
    secrets = {}
    tokens = []
    for pec in pecs:
        raw = f"ep_bench-{pec.unit.number}"
        secrets[pec.unit_id] = raw
        tokens.append(
            ApiToken(
                election=election,
                commission=pec,
                label="bench",
                prefix=raw[:8],
                key_sha256=hashlib.sha256(raw.encode()).hexdigest(),
                created_by=actor,
            )
        )
    ApiToken.objects.bulk_create(tokens)
    contest_of = {c.unit_id: c for c in contests}
    codes = {c.pk: list(c.options.order_by("position").values_list("code", flat=True)) for c in contests}
    posts = [
        (
            secrets[pec.unit_id],
            {
                "contest_id": contest_of[pec.unit.parent_id].pk,
                "figures": {"ballots_valid": 400},
                "votes": dict(
                    zip(codes[contest_of[pec.unit.parent_id].pk], [100, 100, 100, 50, 50], strict=True)
                ),
            },
        )
        for pec in pecs
    ]
    district = districts[0].number
    return election, posts, district


class Writer(threading.Thread):
    """Posts one precinct's preliminary figures every WRITE_EVERY seconds through the API, and
    records when each post was answered (it has committed by then)."""

    def __init__(self, port, slug, posts):
        super().__init__(daemon=True)
        self.port, self.slug, self.posts = port, slug, posts
        self.committed: list[float] = []
        self.errors = 0
        self.stop = threading.Event()

    def run(self):
        client = Client(self.port)
        for secret, payload in self.posts:
            if self.stop.is_set():
                return
            started = time.perf_counter()
            status, _ = client.request(
                "POST",
                f"/api/v1/elections/{self.slug}/preliminary/",
                body=json.dumps(payload),
                headers={"Content-Type": "application/json", "Authorization": f"Bearer {secret}"},
            )
            if status == 201:
                self.committed.append(time.perf_counter())
            else:
                self.errors += 1
            self.stop.wait(max(0.0, WRITE_EVERY - (time.perf_counter() - started)))


def bench_public_pages_under_a_crowd():
    name = "public.pages_vs_bare_cached_ratio"
    if connection.vendor != "postgresql":
        return {
            "name": name,
            "value": None,
            "unit": "ratio",
            "target": ">= 0.8",
            "details": {"skipped": "needs PostgreSQL"},
        }
    redis_url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
    try:
        import redis

        redis.Redis.from_url(redis_url).ping()  # nothing is flushed: the election's slug is new
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        return {
            "name": name,
            "value": None,
            "unit": "ratio",
            "target": ">= 0.8",
            "details": {"skipped": f"needs Redis: {exc}"},
        }
    election, posts, district = _prepare()
    connection.close()
    port = free_port()
    env = server_env(
        database_url(connection.settings_dict),
        BENCH_ENDPOINTS="1",
        REDIS_URL=redis_url,
        PUBLIC_PAGE_CACHE="true",
        PUBLIC_PAGE_REFRESH=str(REFRESH),
        API_RATE="1000000/m",
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
    )
    collectstatic(env, ROOT / "var" / "bench-static")
    server = start_gunicorn(env, port, GUNICORN_ARGS)
    slug = election.slug
    from django.urls import reverse

    pages = [
        reverse("protocols:preliminary_public", kwargs={"slug": slug}),
        reverse("polling:turnout", kwargs={"slug": slug}),
        reverse("elections:detail", kwargs={"slug": slug}),
        reverse("protocols:results_district", kwargs={"slug": slug, "number": district}),
    ]
    writer = Writer(port, slug, posts)
    try:
        warm = Client(port)
        sizes = []
        for path in pages:
            status, body = warm.request("GET", path)
            if status != 200:
                raise AssertionError(f"{path} answered {status}")
            sizes.append(len(body))
        size = int(statistics.mean(sizes))
        # the bare blob changes as often as a page whose data keeps changing is rendered anew
        bare_path = f"/__bench__/cached/?size={size}&every={REFRESH * RENDER_AFTER}"
        warm.request("GET", bare_path)
        writer.start()
        seen = []  # (sent, answered, precincts reported) of every preliminary page

        readers = [{} for _ in range(CLIENTS)]  # each reader's copies, kept across the rounds

        def get(client, path, reader):
            """A reader's reload: the browser sends the ETag of the copy it holds. Returns whether
            it worked and what the copy shows of the precincts' reports."""
            copies = readers[reader]
            held = copies.get(path)
            status, body = client.request("GET", path, headers={"If-None-Match": held[0]} if held else {})
            if status == 200:
                copies[path] = (client.headers.get("etag", ""), body)
            return status in (200, 304), copies.get(path, ("", b""))[1]

        def page(client, i, reader=None):
            path = pages[i % len(pages)]
            reader = (i // len(pages)) % CLIENTS if reader is None else reader
            sent = time.perf_counter()
            ok, body = get(client, path, reader)
            if ok and path == pages[0]:  # the copy the reader now holds (read after the run)
                seen.append((sent, time.perf_counter(), body))
            return ok

        def bare(client, i):
            ok, _ = get(client, bare_path, (i // len(pages)) % CLIENTS)
            return ok

        page_lat, page_err, bare_lat, bare_err = [], [], [], []
        page_seconds = bare_seconds = 0.0
        page_cpu = bare_cpu = 0.0
        for _ in range(ROUNDS):
            before = _cpu_seconds(server.pid)[0]
            lat, err, seconds = _run_phase(port, range(ROUND), page, clients=CLIENTS)
            middle = _cpu_seconds(server.pid)[0]
            page_lat, page_err, page_seconds = page_lat + lat, page_err + err, page_seconds + seconds
            lat, err, seconds = _run_phase(port, range(ROUND), bare, clients=CLIENTS)
            bare_lat, bare_err, bare_seconds = bare_lat + lat, bare_err + err, bare_seconds + seconds
            page_cpu, bare_cpu = page_cpu + middle - before, bare_cpu + _cpu_seconds(server.pid)[0] - middle
        # the crowd at a pace: every reader reloads a page every READ_EVERY seconds
        paced_lat, paced_err = [], []
        lock = threading.Lock()
        until = time.perf_counter() + PACED_SECONDS

        def reader(r):
            client, i = Client(port), r * len(pages)
            while time.perf_counter() < until:
                started = time.perf_counter()
                ok = page(client, i, reader=r)
                took = time.perf_counter() - started
                with lock:
                    (paced_lat if ok else paced_err).append(took)
                i += 1
                time.sleep(max(0.0, READ_EVERY - took))

        threads = [threading.Thread(target=reader, args=(r,)) for r in range(CLIENTS)]
        for t in threads:
            t.start()
            time.sleep(READ_EVERY / CLIENTS)  # the readers arrive spread over one interval
        for t in threads:
            t.join()
        writer.stop.set()
        writer.join(10)
    finally:
        server.terminate()
        server.wait(20)
    # freshness: a page sent after the k-th post had committed must show it, or be within the bound
    committed = writer.committed
    lags, counted = [], {}
    for sent, answered, body in seen:
        if id(body) not in counted:  # the bodies are all alive here: an id is one body
            counted[id(body)] = sum(int(m.group(1)) for m in REPORTED.finditer(body))
        reported = counted[id(body)]
        behind = [t for t in committed[reported:] if t < sent]
        lags.append(answered - behind[0] if behind else 0.0)
    page_rate = len(page_lat) / page_seconds if page_seconds else 0
    bare_rate = len(bare_lat) / bare_seconds if bare_seconds else 0
    closed_p95 = statistics.quantiles(page_lat, n=20)[18] * 1000 if len(page_lat) >= 20 else None
    p95 = statistics.quantiles(paced_lat, n=20)[18] * 1000 if len(paced_lat) >= 20 else None
    details = {
        "clients": CLIENTS,
        "precincts": len(posts),
        "pages": pages,
        "page_requests": len(page_lat),
        "page_errors": len(page_err),
        "pages_per_second": round(page_rate, 1),
        "closed_loop_page_p95_ms": round(closed_p95, 1) if closed_p95 else None,
        "paced_reload_every_s": READ_EVERY,
        "paced_requests": len(paced_lat),
        "paced_errors": len(paced_err),
        "paced_pages_per_second": round(len(paced_lat) / PACED_SECONDS, 1),
        "bare_per_second": round(bare_rate, 1),
        "bare_errors": len(bare_err),
        "bare_p95_ms": round(statistics.quantiles(bare_lat, n=20)[18] * 1000, 1)
        if len(bare_lat) >= 20
        else None,
        "average_page_bytes": size,
        "page_server_cpu_ms": round(page_cpu * 1000 / max(len(page_lat), 1), 2),
        "bare_server_cpu_ms": round(bare_cpu * 1000 / max(len(bare_lat), 1), 2),
        "preliminary_posts_committed": len(committed),
        "preliminary_post_errors": writer.errors,
        "stated_bound_s": BOUND,
        "pages_checked_for_freshness": len(lags),
        "pages_behind_a_post": sum(1 for x in lags if x > 0),
        "gunicorn": " ".join(["-c python:electionportal.gunicorn_conf", *GUNICORN_ARGS]),
    }
    return [
        {
            "name": name,
            "value": page_rate / bare_rate if bare_rate else None,
            "unit": "ratio",
            "target": ">= 0.8",
            "details": details,
        },
        {"name": "public.page_p95_ms", "value": p95, "unit": "ms", "target": "< 100", "details": details},
        {
            "name": "public.staleness_max_s",
            "value": max(lags) if lags else None,
            "unit": "s",
            "target": f"<= {BOUND}",
            "details": details,
        },
    ]


BENCHMARKS = [bench_public_pages_under_a_crowd]
