"""Audit log: appending entries through the service, and verifying the whole chain."""

import time

from django.db import transaction

from elections.audit import audit_log, verify_chain

N = 5000


def bench_audit_append():
    started = time.perf_counter()
    for i in range(N):
        with transaction.atomic():
            audit_log(action="bench.audit.appended", data={"i": i, "note": "проверка"})
    seconds = time.perf_counter() - started
    return {
        "name": "audit.append_per_second",
        "value": N / seconds,
        "unit": "entries/s",
        "target": ">= 300",
        "details": {"entries": N, "seconds": round(seconds, 3)},
    }


def bench_audit_verify():
    started = time.perf_counter()
    report = verify_chain()
    seconds = time.perf_counter() - started
    assert report.ok and report.count >= N
    return {
        "name": "audit.verify_100k_projected_seconds",
        "value": seconds / report.count * 100_000,
        "unit": "s",
        "target": "<= 30",
        "details": {"entries": report.count, "seconds": round(seconds, 3)},
    }


BENCHMARKS = [bench_audit_append, bench_audit_verify]
