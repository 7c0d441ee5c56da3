"""The register import runs in Celery workers, never in the request: with a real broker (Redis)
a worker process checks and loads the file from the (PostgreSQL) test database while the page
only reports progress. Skipped, with the reason, without REDIS_URL and PostgreSQL. Also on
PostgreSQL: a credential is used once even when two transactions race for it."""

import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, connections

from tests.factories import ElectionFactory
from tests.groups.factories import PrecinctFactory
from tests.processes import shared_database_url

from .factories import register_csv, register_row, upload

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def worker(transactional_db):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is not set: no real broker to test")
    queue = f"test-voters-{uuid.uuid4().hex[:8]}"
    env = dict(
        os.environ,
        DATABASE_URL=shared_database_url(),
        REDIS_URL=settings.REDIS_URL,
        DEBUG="true",
        PRIVATE_MEDIA_ROOT=str(settings.PRIVATE_MEDIA_ROOT),
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "electionportal", "worker", "--pool=solo", "-Q", queue,
         "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        yield queue
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.mark.redis
def test_import_is_checked_and_loaded_by_a_worker(worker, monkeypatch):
    from electionportal.celery import app
    from voters import services, tasks
    from voters.models import RegisterEntry, RegisterImport

    for task in (tasks.validate_register_import, tasks.run_register_import):  # to this test's queue
        monkeypatch.setattr(
            task,
            "apply_async",
            lambda args=None, kwargs=None, real=task.apply_async, **options: real(
                args, kwargs, **{**options, "queue": worker}
            ),
        )
    election = ElectionFactory(kind="local_council")
    PrecinctFactory(election=election, number=1001)
    app.conf.task_always_eager = False  # restored by the suite's autouse fixture

    def wait_for(register_import, *statuses):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            register_import.refresh_from_db()
            if register_import.status in statuses:
                return register_import
            time.sleep(0.2)
        raise AssertionError(f"still {register_import.status}")

    register_import = services.register_import_upload(
        election=election, file=upload(register_csv([register_row(i) for i in range(50)])), actor=None
    )
    assert register_import.status == RegisterImport.Status.QUEUED  # the request did not check it
    register_import = wait_for(register_import, "validated", "failed")
    assert register_import.rows_total == 50 and register_import.rows_invalid == 0
    services.register_import_confirm(register_import=register_import, actor=None, mode="all")
    register_import = wait_for(register_import, "imported", "failed")
    assert register_import.rows_imported == 50
    assert RegisterEntry.objects.filter(election=election).count() == 50


@pytest.mark.postgres
def test_a_credential_is_used_once_under_concurrency(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks and concurrent transactions)")
    from django.db import transaction

    from elections.services import election_transition
    from tests.factories import GroupFactory
    from voters import services
    from voters.models import VotingCredential

    from .factories import registration

    election = ElectionFactory()
    group = GroupFactory(election=election)
    for step in ("announce", "open_registration"):
        election = election_transition(election=election, transition=step, actor=None)
    group.election = election
    accepted = registration(group, decided="accept")
    services.credentials_issue(election=election, actor=None)
    credential = VotingCredential.objects.get(registration=accepted)
    barrier = threading.Barrier(2)
    results = []

    def use():
        try:
            with transaction.atomic():
                barrier.wait()
                services.credential_mark_used(VotingCredential.objects.get(pk=credential.pk))
                time.sleep(0.2)
            results.append("used")
        except services.CredentialAlreadyUsed:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=use) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["refused", "used"]
