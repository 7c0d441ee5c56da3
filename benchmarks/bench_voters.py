"""Voters: a 1,000,000-row register extract imported through the services, and the printable list
of a 3,000-voter precinct.

The import (check + load) runs as the Celery tasks would, in a child process forked for it on
PostgreSQL, so its peak resident memory is the import's own (``ru_maxrss`` of that process,
Django included). On SQLite the test database lives in the runner's memory, so the import runs
in-process and the peak includes the database's pages.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import resource
import tempfile
import time
import uuid

ROWS = int(os.environ.get("BENCH_VOTERS_ROWS", "1000000"))
PRECINCTS = 500


def _setup():
    from elections.services import election_create
    from groups.services import units_import

    election = election_create(
        actor=None,
        slug=f"bench-voters-{uuid.uuid4().hex[:8]}",
        title_ru="Бенчмарк: список избирателей",
        kind="local_council",
        time_zone="Asia/Bishkek",
        voting_day=dt.date(2030, 12, 8),
    )
    lines = ["kind,number,name_ru,name_en,parent_number,address,voters_on_list", "district,1,Округ 1,,,,"]
    lines += [
        f'precinct,{1000 + n},Участок {1000 + n},,1,"г. Бишкек, ул. {n}",2000' for n in range(PRECINCTS)
    ]
    units_import(election=election, content="\n".join(lines).encode(), actor=None)
    return election


def _write_extract(path: str, rows: int) -> None:
    names = ["Асанов", "Токтогулова", "Жумабеков", "Исаков", "Осмонова", "Мамытов"]
    firsts = ["Бакыт", "Айгуль", "Нурлан", "Жылдыз", "Эрмек", "Чолпон"]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(
            "personal_number,last_name,first_name,middle_name,birth_date,address,precinct_number,email\n"
        )
        for i in range(rows):
            year, month, day = 1940 + i % 60, 1 + i % 12, 1 + i % 28
            handle.write(
                f"{1 + i % 2}{i:013d},{names[i % 6]},{firsts[i % 6]},Кубатович,{year}-{month:02d}-{day:02d},"
                f'"г. Бишкек, ул. Киевская, {i % 300}, кв. {i % 90}",{1000 + i % PRECINCTS},\n'
            )


def _copy_seconds(path: str) -> tuple[float, float]:
    """The limit: PostgreSQL's COPY of the same file into a table of the extract's columns and
    types (no index, no check; a regular table, written to the WAL like the register), committed,
    in this process. Also returns the register's own floor: writing the same rows into the voter
    list (its unique and name indexes, its foreign keys checked) with one INSERT … SELECT from that
    table, for another election with the same precincts, rolled back. No import into the list can
    take less than that floor, whatever its checks cost."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_copy (personal_number text, last_name text, first_name text, "
            "middle_name text, birth_date date, address text, precinct_number integer, email text)"
        )
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor, open(path, encoding="utf-8") as handle:
        cursor.copy_expert("COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER true)", handle)
    seconds = time.perf_counter() - started
    other = _setup()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN")
        cursor.execute(
            """
            INSERT INTO voters_registerentry (election_id, precinct_id, personal_number, last_name,
                first_name, middle_name, birth_date, address, email, status, created_at, updated_at,
                correction_count)
            SELECT %s, p.id, c.personal_number, c.last_name, c.first_name, COALESCE(c.middle_name, ''),
                   c.birth_date, c.address, COALESCE(c.email, ''), 'listed', now(), now(), 0
            FROM bench_copy c JOIN groups_territorialunit p ON p.election_id = %s AND p.number = c.precinct_number
            """,
            [other.pk, other.pk],
        )
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the foreign keys, checked as at commit
        floor = time.perf_counter() - started
        cursor.execute("ROLLBACK")
        cursor.execute("DROP TABLE bench_copy")
    return seconds, floor


def _import(election_id: int, path: str) -> dict:
    """Upload, then run the two tasks' services one after the other (the queued tasks
    themselves are stubbed, so that each step is timed on its own)."""
    from unittest import mock

    from elections.models import Election
    from voters import services, tasks
    from voters.models import RegisterImport

    with (  # the services queue them with apply_async (elections.outbox.queue_now)
        mock.patch.object(tasks.validate_register_import, "apply_async"),
        mock.patch.object(tasks.run_register_import, "apply_async"),
    ):
        return _timed_import(Election.objects.get(pk=election_id), path, services, RegisterImport)


def _timed_import(election, path, services, RegisterImport) -> dict:
    from django.core.files import File

    started = time.perf_counter()
    with open(path, "rb") as handle:
        register_import = services.register_import_upload(
            election=election, file=File(handle, name="extract.csv"), actor=None
        )
    uploaded = time.perf_counter()
    services.register_import_validate(import_id=register_import.pk)
    checked = time.perf_counter()
    register_import.refresh_from_db()
    assert register_import.status == RegisterImport.Status.VALIDATED, register_import.message
    assert register_import.rows_invalid == 0, register_import.problems_preview[:5]
    services.register_import_confirm(register_import=register_import, actor=None, mode="all")
    services.register_import_run(import_id=register_import.pk)
    loaded = time.perf_counter()
    register_import.refresh_from_db()
    return {
        "rows_imported": register_import.rows_imported,
        "upload_s": round(uploaded - started, 2),
        "check_s": round(checked - uploaded, 2),
        "load_s": round(loaded - checked, 2),
        "seconds": loaded - started,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _child(election_id: int, path: str, pipe) -> None:
    from django.db import connections

    connections.close_all()  # the child opens its own connection
    try:
        pipe.send(_import(election_id, path))
    except Exception as exc:  # reported by the parent
        pipe.send({"error": repr(exc)})
    finally:
        connections.close_all()
        pipe.close()


def bench_register_import_1m():
    from django.conf import settings
    from django.db import connection, connections

    from voters.models import RegisterEntry

    settings.PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-voters-media-")
    election = _setup()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "extract.csv")
        _write_extract(path, ROWS)
        size_mb = os.path.getsize(path) / 1024 / 1024
        if connection.vendor == "postgresql":
            connections.close_all()
            context = multiprocessing.get_context("fork")
            parent, child = context.Pipe(duplex=False)
            process = context.Process(target=_child, args=(election.pk, path, child))
            process.start()
            child.close()
            result = parent.recv()
            process.join()
            where = "forked worker process"
        else:
            result = _import(election.pk, path)
            where = "in-process (SQLite in memory: the peak includes the database)"
        copy_seconds, floor_seconds = (
            _copy_seconds(path) if connection.vendor == "postgresql" else (None, None)
        )
    if "error" in result:
        raise RuntimeError(result["error"])
    count = RegisterEntry.objects.filter(election=election).count()
    assert count == ROWS == result["rows_imported"], (count, result)
    from voters.services import voter_list_freeze

    started = time.perf_counter()
    voter_list_freeze(election=election, actor=None)  # counts and SHA-256 over the whole list
    freeze_seconds = time.perf_counter() - started
    details = {
        "rows": ROWS,
        "file_mb": round(size_mb, 1),
        "database": connection.vendor,
        "measured": where,
        "upload_s": result["upload_s"],
        "check_s": result["check_s"],
        "load_s": result["load_s"],
        "freeze_s": round(freeze_seconds, 2),
    }
    memory_target = "<= 500"
    if connection.vendor != "postgresql":
        # the runner's SQLite test database lives in this process's memory, so the peak holds
        # the million rows twice (scratch table and list); informational only
        memory_target = None
        details["memory_note"] = "SQLite in-memory test database included; the target applies on PostgreSQL"
    if copy_seconds:
        details["copy_s"] = round(copy_seconds, 2)
        details["register_write_s"] = round(floor_seconds, 2)
        details["import_beyond_register_write_s"] = round(result["seconds"] - floor_seconds, 2)
    return [
        {
            "name": "voters.register_import_vs_copy_ratio",
            "value": result["seconds"] / copy_seconds if copy_seconds else None,
            "unit": "ratio",
            "target": "<= 3",
            "details": {**details, "note": "the whole import (upload, check, load) / COPY of the same file"}
            if copy_seconds
            else {"skipped": "needs PostgreSQL"},
        },
        {
            # no target: the floor the ratio above cannot go below (writing the rows into the
            # list alone, without reading or checking the file)
            "name": "voters.register_write_vs_copy_ratio",
            "value": floor_seconds / copy_seconds if copy_seconds else None,
            "unit": "ratio",
            "target": None,
            "details": {
                **details,
                "note": "INSERT … SELECT of the same rows into the voter list (indexes, foreign keys) / COPY",
            }
            if copy_seconds
            else {"skipped": "needs PostgreSQL"},
        },
        {
            "name": "voters.register_import_1m_seconds",
            "value": result["seconds"],
            "unit": "s",
            "target": "<= 180",
            "details": details,
        },
        {
            "name": "voters.register_import_1m_peak_rss_mb",
            "value": result["peak_rss_mb"],
            "unit": "MB",
            "target": memory_target,
            "details": details,
        },
    ]


def bench_precinct_pdf_3000():
    from django.conf import settings
    from django.core.files import File

    from groups.models import TerritorialUnit
    from voters import services
    from voters.pdf import precinct_list_pdf_render

    settings.PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-voters-media-")
    election = _setup()
    precinct = TerritorialUnit.objects.filter(election=election, kind="precinct").order_by("-number").first()
    listed = precinct.register_entries.count()
    if listed < 3000:
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "precinct.csv")
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(
                    "personal_number,last_name,first_name,middle_name,birth_date,address,precinct_number\n"
                )
                for i in range(3000 - listed):
                    handle.write(
                        f"29999{i:09d},Абдыкадырова,Гулзат,Асановна,1975-05-{1 + i % 28:02d},"
                        f'"с. Ак-Бешим, ул. Ленина, {i % 120}",{precinct.number}\n'
                    )
            with open(path, "rb") as handle:
                register_import = services.register_import_upload(
                    election=election, file=File(handle, name="precinct.csv"), actor=None
                )
            services.register_import_validate(import_id=register_import.pk)
            register_import.refresh_from_db()
            services.register_import_confirm(register_import=register_import, actor=None, mode="valid_only")
            services.register_import_run(import_id=register_import.pk)
    entries = precinct.register_entries.count()
    started = time.perf_counter()
    pdf = precinct_list_pdf_render(precinct, "ru")
    seconds = time.perf_counter() - started
    return {
        "name": "voters.precinct_pdf_3000_seconds",
        "value": seconds,
        "unit": "s",
        "target": "<= 10",
        "details": {
            "entries": entries,
            "bytes": len(pdf),
            "note": "rendered in a task and cached per list version",
        },
    }


BENCHMARKS = [bench_register_import_1m, bench_precinct_pdf_3000]
