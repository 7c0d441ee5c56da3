"""The real broker path: a task queued through Redis runs in a separate Celery worker process,
which reads the (PostgreSQL) test database, and the caller observes its result."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from elections.audit import audit_log
from tests.processes import shared_database_url

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set: no real broker to test"
    ),
]


@pytest.fixture
def worker(transactional_db):
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = dict(os.environ, DATABASE_URL=shared_database_url(), REDIS_URL=settings.REDIS_URL, DEBUG="true")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "electionportal",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "-Q",
            queue,
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        yield queue
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_task_runs_in_a_worker_through_redis(worker):
    from celery.result import allow_join_result

    from electionportal.celery import app
    from elections.tasks import verify_audit_chain

    for i in range(3):
        audit_log(action="tests.broker.entry", data={"i": i})
    app.conf.task_always_eager = False
    try:
        result = verify_audit_chain.apply_async(queue=worker)
        deadline = time.monotonic() + 60
        while not result.ready() and time.monotonic() < deadline:
            time.sleep(0.2)
        # Celery's "inside a task" flag is one global: eager tasks run concurrently in another
        # test's live-server threads can leave it set in this process; this test is the caller
        with allow_join_result():
            value = result.get(timeout=5)
    finally:
        app.conf.task_always_eager = True
    assert value["ok"] is True
    assert value["count"] == 3  # the worker saw the rows this test committed
    assert result.successful()
    assert type(result).__name__ == "AsyncResult"  # not an in-process EagerResult
