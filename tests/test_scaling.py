"""More than one machine (issue 23): ``scripts/scaling.py`` runs the portal as docs/scaling.md
deploys it — two gunicorn app servers behind HAProxy, a PostgreSQL primary with a streaming
replica, Redis and a Celery worker, all its own on loopback — and checks that the whole voting
path works through the load balancer and that the public pages and the API are read from the
replica, never older than the election's last recorded change."""

import glob
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    not glob.glob("/usr/lib/postgresql/*/bin/pg_basebackup"), reason="needs PostgreSQL's server programs"
)


def test_voting_through_two_servers_and_public_pages_from_the_replica(tmp_path):
    report_file = tmp_path / "scaling.json"
    run = subprocess.run(
        [sys.executable, "scripts/scaling.py", "--voters", "10", "--json", str(report_file)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        env={k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")},
    )
    assert run.returncode == 0, run.stderr[-3000:] + run.stdout[-3000:]
    report = json.loads(report_file.read_text())
    voting = report["voting"]
    assert voting["receipts"] == voting["ballots_stored"] == voting["participations"] == 10
    assert voting["receipts_without_ballot"] == 0
    assert len(voting["voting_requests_per_server"]) == 2 and min(voting["voting_requests_per_server"]) > 0
    replica = report["replica"]
    # the replica's replay paused: a change made behind the portal's back is not seen (the replica serves)
    assert replica["page_while_replay_paused"] == replica["api_while_replay_paused"] == replica["before"]
    # a change recorded by the portal is seen at once (read from the primary while the replica lags)
    assert replica["page_after_a_recorded_change"] == "Изменено службой портала"
    assert replica["page_after_replay_resumed"] == "Изменено службой портала"
