"""Audit log: appending entries through the service, and verifying the whole chain (alone, and
against the heads published before, as ``verify_audit`` does)."""

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


def bench_audit_verify_anchored():
    """``verify_audit``'s whole check: the chain against the heads published every 500 entries."""
    from elections.audit import current_head
    from elections.audit_anchors import verify_anchored
    from elections.models import AuditEntry, PublishedHead

    seq, _hash, _at = current_head()
    for entry in AuditEntry.objects.filter(seq__lte=seq, seq__gt=0).only("seq", "hash").iterator():
        if entry.seq % 500 == 0:
            PublishedHead.objects.create(seq=entry.seq, hash=entry.hash, occasion="scheduled")
    started = time.perf_counter()
    report = verify_anchored()
    seconds = time.perf_counter() - started
    assert report.ok and report.chain.count >= N and report.chain.anchors_checked >= N // 500
    return {
        "name": "audit.verify_anchored_100k_projected_seconds",
        "value": seconds / report.chain.count * 100_000,
        "unit": "s",
        "target": "<= 30",
        "details": {
            "entries": report.chain.count,
            "heads": report.chain.anchors_checked,
            "seconds": round(seconds, 3),
        },
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


BENCHMARKS = [bench_audit_append, bench_audit_verify, bench_audit_verify_anchored]
