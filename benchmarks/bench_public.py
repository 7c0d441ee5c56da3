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
  of the pages' average size from the same cache, through the same server and middleware.
Throughout both, a writer posts one precinct's preliminary figures every ``WRITE_EVERY`` seconds
through the API, as an automated count does (each post commits an audit entry, which makes the
election's pages stale).

Reported: pages per second as a ratio to the bare view (target >= 0.8), the 95th percentile of a
page (target < 100 ms), and the freshness: for every preliminary page served, how long after the
first post it did not show yet had committed (target: within the bound the pages state,
``PUBLIC_PAGE_REFRESH`` + 1 s).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import statistics
import threading
import time
from pathlib import Path

from django.db import connection

from benchmarks.bench_voting import _run_phase
from benchmarks.live import Client, collectstatic, free_port, server_env, start_gunicorn
from tests.processes import database_url

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = int(os.environ.get("BENCH_READERS", "200"))
ROUND = 2000  # requests per round; pages and the bare view alternate round by round
ROUNDS = 3
WRITE_EVERY = 0.25  # seconds between two precincts' preliminary posts
REFRESH = 2.0  # PUBLIC_PAGE_REFRESH of the server
REPORTED = re.compile(r"(\d+) из (\d+) участков передали данные")
GUNICORN_ARGS = os.environ.get("BENCH_GUNICORN", "").split()


def _prepare():
    from api.models import ApiToken
    from benchmarks.bench_aggregation import build_counting_election
    from groups.models import Commission

    election, districts, contests, actor, _protocols = build_counting_election(slug="bench-night")
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

        redis.Redis.from_url(redis_url).flushdb()
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
    pages = [
        f"/elections/{slug}/results/preliminary/",
        f"/elections/{slug}/turnout/",
        f"/elections/{slug}/",
        f"/elections/{slug}/results/district/{district}/",
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
        warm.request("GET", f"/__bench__/cached/?size={size}")
        writer.start()
        seen = []  # (sent, answered, precincts reported) of every preliminary page

        def page(client, i):
            path = pages[i % len(pages)]
            sent = time.perf_counter()
            status, body = client.request("GET", path)
            if i % len(pages) == 0 and status == 200:
                reported = sum(int(m.group(1)) for m in REPORTED.finditer(body.decode()))
                seen.append((sent, time.perf_counter(), reported))
            return status == 200

        def bare(client, _i):
            status, _ = client.request("GET", f"/__bench__/cached/?size={size}")
            return status == 200

        page_lat, page_err, bare_lat, bare_err = [], [], [], []
        page_seconds = bare_seconds = 0.0
        for _ in range(ROUNDS):
            lat, err, seconds = _run_phase(port, range(ROUND), page, clients=CLIENTS)
            page_lat, page_err, page_seconds = page_lat + lat, page_err + err, page_seconds + seconds
            lat, err, seconds = _run_phase(port, range(ROUND), bare, clients=CLIENTS)
            bare_lat, bare_err, bare_seconds = bare_lat + lat, bare_err + err, bare_seconds + seconds
        writer.stop.set()
        writer.join(10)
    finally:
        server.terminate()
        server.wait(20)
    # freshness: a page sent after the k-th post had committed must show it, or be within the bound
    committed = writer.committed
    lags = []
    for sent, answered, reported in seen:
        behind = [t for t in committed[reported:] if t < sent]
        lags.append(answered - behind[0] if behind else 0.0)
    page_rate = len(page_lat) / page_seconds if page_seconds else 0
    bare_rate = len(bare_lat) / bare_seconds if bare_seconds else 0
    p95 = statistics.quantiles(page_lat, n=20)[18] * 1000 if len(page_lat) >= 20 else None
    details = {
        "clients": CLIENTS,
        "precincts": len(posts),
        "pages": pages,
        "page_requests": len(page_lat),
        "page_errors": len(page_err),
        "pages_per_second": round(page_rate, 1),
        "bare_per_second": round(bare_rate, 1),
        "bare_errors": len(bare_err),
        "bare_p95_ms": round(statistics.quantiles(bare_lat, n=20)[18] * 1000, 1)
        if len(bare_lat) >= 20
        else None,
        "average_page_bytes": size,
        "preliminary_posts_committed": len(committed),
        "preliminary_post_errors": writer.errors,
        "stated_bound_s": REFRESH + 1,
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
            "target": f"<= {REFRESH + 1}",
            "details": details,
        },
    ]


BENCHMARKS = [bench_public_pages_under_a_crowd]
