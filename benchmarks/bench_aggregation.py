"""Aggregation of 2,500 precinct protocols (50 districts × 50 precincts) into the TEC summary
tables and the CEC results (issue 9, item 5; issue 23: under 1 s for both, in a number of queries
that does not grow with the districts or precincts).

Untimed setup, with bulk_create: a local-council election at the counting stage, the districts,
precincts, CEC, TECs and PECs, a D'Hondt council ballot per district (4 lists and "against all"),
and 2,500 signed and accepted precinct protocols. Timed: the real services —
``territorial_summaries_build`` for the whole election, then ``central_results_build`` — run by a
secretariat user (permission checks and audit entries included). Between the two
phases the summaries are marked signed with one UPDATE (signing is not what is measured: the
real ``protocol_sign`` checks a password hash and renders PDFs).
"""

from __future__ import annotations

import os
import random
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

#: queries of both phases for the whole election, whatever its size (the test pins the same number)
PINNED_QUERIES = 34
DISTRICTS = int(os.environ.get("BENCH_DISTRICTS", "50"))
PRECINCTS = int(os.environ.get("BENCH_PRECINCTS_PER_DISTRICT", "50"))


def build_counting_election(districts: int = DISTRICTS, precincts: int = PRECINCTS, slug="bench-aggregation"):
    """A local-council election at the counting stage with ``districts`` councils of ``precincts``
    signed and accepted precinct protocols each, and a secretariat user (also used by the
    query-count test, tests/protocols/test_aggregation_queries.py)."""
    from accounts.models import Role, User
    from ballots.models import Contest, ContestOption
    from elections.models import Election
    from elections.services import election_create
    from groups.models import Commission, TerritorialUnit
    from groups.services import role_assign
    from protocols.models import Protocol

    election = election_create(
        actor=None,
        slug=slug,
        title_ru="Досрочные выборы депутатов местных кенешей",
        kind=Election.Kind.LOCAL_COUNCIL,
        time_zone="Asia/Bishkek",
    )
    Election.objects.filter(pk=election.pk).update(state=Election.State.COUNTING)
    election.refresh_from_db()
    districts = TerritorialUnit.objects.bulk_create(
        TerritorialUnit(election=election, kind="district", number=d, name_ru=f"Кенеш {d}")
        for d in range(1, districts + 1)
    )
    precincts = TerritorialUnit.objects.bulk_create(
        TerritorialUnit(
            election=election,
            kind="precinct",
            parent=district,
            number=district.number * 1000 + p,
            name_ru=f"Участок {district.number * 1000 + p}",
            voters_on_list=1500,
        )
        for district in districts
        for p in range(1, precincts + 1)
    )
    cec = Commission.objects.create(election=election, kind="cec", name_ru="ЦИК")
    tecs = Commission.objects.bulk_create(
        Commission(election=election, kind="tec", parent=cec, unit=d, name_ru=f"ТИК {d.number}")
        for d in districts
    )
    tec_of = {t.unit_id: t for t in tecs}
    pecs = Commission.objects.bulk_create(
        Commission(
            election=election, kind="pec", parent=tec_of[p.parent_id], unit=p, name_ru=f"УИК {p.number}"
        )
        for p in precincts
    )
    pec_of = {c.unit_id: c for c in pecs}
    contests = Contest.objects.bulk_create(
        Contest(
            election=election,
            unit=d,
            title_ru=f"Выборы в кенеш {d.number}",
            method="dhondt",
            seats=21,
            threshold_percent=7,
            has_against_all=True,
        )
        for d in districts
    )
    options = ContestOption.objects.bulk_create(
        ContestOption(contest=c, kind=kind, label_ru=label, position=n)
        for c in contests
        for n, (kind, label) in enumerate(
            [("party_list", f"Партия {x}") for x in "АБВГ"] + [("against_all", "Против всех")]
        )
    )
    codes: dict[int, list[str]] = {}
    for o in options:
        codes.setdefault(o.contest_id, []).append(o.code)
    contest_of = {c.unit_id: c for c in contests}
    rng = random.Random(3)
    protocols = []
    for p in precincts:
        contest = contest_of[p.parent_id]
        votes = [rng.randint(20, 400) for _ in codes[contest.pk]]
        valid, invalid = sum(votes), rng.randint(0, 15)
        in_boxes = valid + invalid
        protocols.append(
            Protocol(
                election=election,
                contest=contest,
                level="precinct",
                unit=p,
                commission=pec_of[p.pk],
                series=Protocol.series_key("precinct", contest.pk, p.pk),
                status="signed",
                transmission="accepted",
                figures={
                    "voters_on_list": 1500,
                    "ballots_received": 1500,
                    "ballots_issued_premises": in_boxes,
                    "ballots_issued_outside": 0,
                    "ballots_cancelled": 1500 - in_boxes,
                    "ballots_in_boxes": in_boxes,
                    "ballots_invalid": invalid,
                    "ballots_valid": valid,
                },
                votes=dict(zip(codes[contest.pk], votes, strict=True)),
            )
        )
    Protocol.objects.bulk_create(protocols, batch_size=500)
    secretariat = User.objects.create_user(email=f"{slug}-secretariat@example.org", password="x")  # noqa: S106
    role_assign(user=secretariat, role=Role.SECRETARIAT, election=election, actor=None)
    secretariat = User.objects.get(pk=secretariat.pk)
    return election, districts, contests, secretariat, protocols


def aggregate(election, actor):
    """Both phases as election night runs them: every TEC summary table at once, the summaries
    marked signed with one UPDATE, then every council's result at once. Returns the results and
    the seconds and queries of each phase."""
    from protocols.models import Protocol
    from protocols.services.aggregation import central_results_build, territorial_summaries_build

    with CaptureQueriesContext(connection) as tec_queries:
        started = time.perf_counter()
        summaries = territorial_summaries_build(election=election, actor=actor).built
        tec_seconds = time.perf_counter() - started
    Protocol.objects.filter(pk__in=[s.pk for s in summaries]).update(status="signed")
    with CaptureQueriesContext(connection) as cec_queries:
        started = time.perf_counter()
        results = central_results_build(election=election, actor=actor).built
        cec_seconds = time.perf_counter() - started
    return results, {
        "tec_seconds": tec_seconds,
        "tec_queries": len(tec_queries.captured_queries),
        "cec_seconds": cec_seconds,
        "cec_queries": len(cec_queries.captured_queries),
    }


def bench_aggregate_2500_precincts():
    election, districts, contests, actor, protocols = build_counting_election()
    results, m = aggregate(election, actor)
    tec_seconds, cec_seconds = m["tec_seconds"], m["cec_seconds"]
    # the sums must be right, or the timing means nothing
    expected = sum(p.figures["ballots_valid"] for p in protocols)
    got = sum(r.figures["ballots_valid"] for r in results)
    if got != expected or any(r.prefilled["blockers"] for r in results):
        raise AssertionError(f"aggregation is wrong: {got} valid ballots instead of {expected}")
    seats = sum(sum(r.outcome["seats"].values()) for r in results)
    return [
        {
            "name": "aggregation.tec_tables_and_cec_results_2500",
            "value": round(tec_seconds + cec_seconds, 3),
            "unit": "s",
            "target": "< 1",
            "details": {
                "districts": len(districts),
                "precinct_protocols": len(protocols),
                "tec_tables_seconds": round(tec_seconds, 3),
                "tec_queries": m["tec_queries"],
                "cec_results_seconds": round(cec_seconds, 3),
                "cec_queries": m["cec_queries"],
                "seats_allocated": seats,
                "database": connection.vendor,
            },
        },
        {
            "name": "aggregation.queries_2500",
            "value": m["tec_queries"] + m["cec_queries"],
            "unit": "queries",
            "target": f"<= {PINNED_QUERIES}",
            "details": {
                "note": "the same for any number of districts and precincts (pinned in tests/protocols/test_aggregation_queries.py)"
            },
        },
    ]


BENCHMARKS = [bench_aggregate_2500_precincts]
