#!/usr/bin/env python
"""Benchmark runner: ``make bench`` (or ``python benchmarks/run.py [-k PATTERN]``).

Each ``benchmarks/bench_*.py`` module lists ``BENCHMARKS``: functions returning a dict or a list of
dicts with ``name``, ``value``, ``unit``, ``target`` (text such as "<= 2.0") and optional
``details``. The runner creates a throw-away database of the configured kind (SQLite, or
PostgreSQL when DATABASE_URL is set), runs them, prints a table and writes ``var/bench.json``.
It exits 1 when a target is missed. Targets live here, never in timed tests.
"""

from __future__ import annotations

import argparse
import importlib
import json
import operator
import os
import platform
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "electionportal.settings")

OPS = {"<=": operator.le, "<": operator.lt, ">=": operator.ge, ">": operator.gt}


def check_target(value, target: str | None) -> bool | None:
    if not target:
        return None
    op, _, bound = target.partition(" ")
    return OPS[op](value, float(bound))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", dest="pattern", default="", help="run only benchmarks whose name contains this")
    parser.add_argument("--out", default=str(ROOT / "var" / "bench.json"))
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    results = []
    try:
        for path in sorted((ROOT / "benchmarks").glob("bench_*.py")):
            module = importlib.import_module(f"benchmarks.{path.stem}")
            for fn in getattr(module, "BENCHMARKS", []):
                if args.pattern and args.pattern not in f"{path.stem}.{fn.__name__}":
                    continue
                started = time.perf_counter()
                try:
                    produced = fn()
                except Exception as exc:  # report and go on with the others
                    traceback.print_exc()
                    produced = {
                        "name": f"{path.stem}.{fn.__name__}",
                        "value": None,
                        "unit": "",
                        "error": repr(exc),
                    }
                for row in produced if isinstance(produced, list) else [produced]:
                    row.setdefault("module", path.stem)
                    row["passed"] = (
                        None if row.get("value") is None else check_target(row["value"], row.get("target"))
                    )
                    if row.get("error"):
                        row["passed"] = False
                    row["wall_seconds"] = round(time.perf_counter() - started, 3)
                    results.append(row)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()

    width = max([len(r["name"]) for r in results] + [9])
    print(f"\n{'benchmark':<{width}}  {'value':>14}  {'unit':<10}  {'target':<10}  result")
    print("-" * (width + 50))
    for r in results:
        if r.get("error"):
            value = "error"
        elif r.get("value") is None:
            value = "skipped"
        else:
            value = f"{r['value']:.4g}"
        verdict = {True: "ok", False: "MISSED", None: "-"}[r["passed"]]
        print(
            f"{r['name']:<{width}}  {value:>14}  {r.get('unit', ''):<10}  {r.get('target') or '':<10}  {verdict}"
        )
    report = {
        "created_at": datetime.now(UTC).isoformat(),
        "database": connection.vendor,
        "broker": "redis" if settings.REDIS_URL else "eager",
        "python": platform.python_version(),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "results": results,
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str))
    print(f"\nwritten {out}")
    return 1 if any(r["passed"] is False for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
