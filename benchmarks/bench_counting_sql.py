"""Plurality tally of 1,000,000 stored ballots by SQL aggregation, against a raw SQL GROUP BY on
the same table (target: at most 1.5 times as long)."""

from __future__ import annotations

import io
import json
import os
import random
import time
import uuid

from django.db import connection

N = int(os.environ.get("BENCH_BALLOTS", "1000000"))


def _setup():
    from ballots.models import Ballot, ContestOption
    from ballots.services import contest_save
    from elections.services import election_create
    from groups.services import group_create

    election = election_create(actor=None, slug="bench-count", title_ru="Подсчёт", time_zone="Asia/Almaty")
    group = group_create(election=election, actor=None, slug="g", name_ru="Группа")
    contest = contest_save(
        election=election,
        actor=None,
        group=group,
        title_ru="Бюллетень",
        method="plurality",
        seats=1,
        alternates=1,
    )
    codes = [
        ContestOption.objects.create(
            contest=contest, kind="candidate", label_ru=f"Кандидат {i}", position=i
        ).code
        for i in range(8)
    ]
    rng = random.Random(7)
    table = Ballot._meta.db_table
    if connection.vendor == "postgresql":
        buf = io.StringIO()
        for _ in range(N):
            choice = json.dumps([rng.choice(codes)])
            buf.write(f"{uuid.uuid4()}\t{contest.pk}\t{choice}\tvalid\t\tonline\t\\N\n")
        buf.seek(0)
        with connection.cursor() as cursor:
            cursor.copy_expert(
                f"COPY {table} (id, contest_id, choices, status, invalid_reason, channel, receipt) FROM STDIN",
                buf,
            )
            cursor.execute(f"ANALYZE {table}")
    else:
        batch = []
        for _ in range(N):
            batch.append(Ballot(contest=contest, choices=[rng.choice(codes)], channel="online"))
            if len(batch) == 20000:
                Ballot.objects.bulk_create(batch)
                batch = []
        Ballot.objects.bulk_create(batch)
    return contest


def _best(fn, repeat=3):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def bench_plurality_sql_vs_raw():
    from ballots.models import Ballot
    from protocols.tallying import contest_tallies

    contest = _setup()
    table = Ballot._meta.db_table

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT choices, COUNT(*) FROM {table} WHERE contest_id = %s GROUP BY choices",  # noqa: S608
                [contest.pk],
            )
            return cursor.fetchall()

    def portal():
        return contest_tallies(contest)

    tallies = portal()
    assert sum(tallies["votes"].values()) == N
    raw_s = _best(raw)
    portal_s = _best(portal)
    return [
        {
            "name": "counting.plurality_1m_sql_vs_raw_ratio",
            "value": portal_s / raw_s,
            "unit": "ratio",
            "target": "<= 1.5",
            "details": {
                "ballots": N,
                "portal_seconds": round(portal_s, 3),
                "raw_group_by_seconds": round(raw_s, 3),
                "database": connection.vendor,
            },
        },
        {
            "name": "counting.plurality_1m_seconds",
            "value": portal_s,
            "unit": "s",
            "target": None,
            "details": {"ballots": N},
        },
    ]


BENCHMARKS = [bench_plurality_sql_vs_raw]
