"""The audit chain: verify_audit passes on an intact chain and names the first bad entry when a
row is changed, deleted (in the middle or at the end) or inserted."""

import json

import pytest
from django.core.management import call_command
from django.db import connection

from elections.audit import GENESIS, audit_log, compute_hash, verify_chain
from elections.models import AuditEntry


def _run_verify():
    out, err = [], []

    class W:
        def __init__(self, sink):
            self.sink = sink

        def write(self, s):
            self.sink.append(s)

        def flush(self):
            pass

    try:
        call_command("verify_audit", stdout=W(out), stderr=W(err))
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, "".join(out), "".join(err)


@pytest.fixture
def chain(db):
    return [audit_log(action="tests.thing.happened", data={"n": i, "text": "привет"}) for i in range(1, 6)]


def _sql(query, params):
    with connection.cursor() as cur:
        cur.execute(query, params)


def test_entries_link_by_hash(chain):
    assert chain[0].seq == 1 and chain[0].prev_hash == GENESIS
    for before, after in zip(chain, chain[1:], strict=False):
        assert after.prev_hash == before.hash
        assert after.seq == before.seq + 1
    assert compute_hash(chain[2].prev_hash, AuditEntry.objects.get(pk=chain[2].pk)) == chain[2].hash


def test_intact_chain_verifies(chain):
    code, out, err = _run_verify()
    assert code == 0
    assert "5 entries" in out and chain[-1].hash in out


def test_changed_row_is_caught(chain):
    _sql(
        f"UPDATE {AuditEntry._meta.db_table} SET data = %s WHERE id = %s",
        [json.dumps({"n": 99}), chain[2].pk],
    )
    code, out, err = _run_verify()
    assert code == 1
    assert "#3" in err and "changed" in err


def test_changed_action_is_caught(chain):
    _sql(
        f"UPDATE {AuditEntry._meta.db_table} SET action = %s WHERE id = %s",
        ["tests.thing.hidden", chain[0].pk],
    )
    code, _, err = _run_verify()
    assert code == 1 and "#1" in err


def test_deleted_row_is_caught(chain):
    _sql(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [chain[1].pk])
    code, _, err = _run_verify()
    assert code == 1
    assert "#2" in err and "missing" in err


def test_deleted_last_row_is_caught(chain):
    _sql(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [chain[-1].pk])
    code, _, err = _run_verify()
    assert code == 1
    assert "#5" in err and "missing" in err


def test_inserted_row_is_caught(chain):
    forged = AuditEntry(
        seq=6,
        created_at=chain[-1].created_at,
        action="tests.thing.forged",
        data={},
        prev_hash=chain[-1].hash,
        actor_label="",
        role="system",
    )
    forged.hash = compute_hash(forged.prev_hash, forged)
    forged.save()  # bypasses the head: the chain now ends after the recorded head
    report = verify_chain()
    assert not report.ok
    assert report.bad_seq == 6
    assert "inserted" in report.reason


def test_entries_refuse_update_and_delete(chain):
    from django.core.exceptions import ValidationError

    entry = AuditEntry.objects.get(pk=chain[0].pk)
    entry.action = "tests.thing.changed"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()


def test_empty_chain_is_intact(db):
    assert verify_chain().ok


def test_public_head_page_shows_head(client, chain):
    body = client.get("/audit/").content.decode()
    assert chain[-1].hash in body
    assert "Целостность журнала аудита" in body
