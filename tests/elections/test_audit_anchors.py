"""The anchored audit log (issue 16, deliverable 2): ``verify_audit`` checks the chain against every
head the portal published — the published-heads table, the heads printed in signed protocols, the
archive manifests — and the heads an operator kept (``--expect-head``, ``--since``). Each tampering
that leaves a self-consistent chain (a rewrite with the portal's own hash function, a truncated tail
with its head reset, a wiped log) fails it; an untouched log passes. The signed head file verifies
offline (the openssl binary and ``cryptography``) and fails once altered."""

import base64
import json
import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.db import connection

from elections import audit_anchors, signing
from elections.audit import GENESIS, audit_log, compute_hash, verify_chain
from elections.models import AuditEntry, AuditHead, PublishedHead
from elections.tasks import publish_audit_head
from tests.protocols.conftest import counted  # noqa: F401 - a fixture

OK_LINE = "OK: audit chain intact, {n} entries, head {h}\n"


# --- helpers -------------------------------------------------------------------------------------


def run_verify(*args):
    """``verify_audit`` as a script runs it: (exit code, stdout, stderr)."""
    out, err = [], []

    class W:
        def __init__(self, sink):
            self.sink = sink

        def write(self, s):
            self.sink.append(s)

        def flush(self):
            pass

    try:
        call_command("verify_audit", *args, stdout=W(out), stderr=W(err))
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, "".join(out), "".join(err)


def rewrite(from_seq, change, *, fix_citations=True):
    """What someone with database access can do: change entry ``from_seq`` and recompute every
    hash from it on with the portal's own function (and, when ``fix_citations``, the heads that
    later entries cite), then reset the head. The chain verifies by itself afterwards."""
    renamed = {}
    prev = AuditEntry.objects.get(seq=from_seq).prev_hash
    for entry in AuditEntry.objects.filter(seq__gte=from_seq).order_by("seq"):
        if entry.seq == from_seq:
            change(entry)
        cited = entry.data.get("audit_head") if isinstance(entry.data, dict) else None
        if fix_citations and cited in renamed:
            entry.data = {**entry.data, "audit_head": renamed[cited]}
        new = compute_hash(prev, entry)
        renamed[entry.hash] = new
        AuditEntry.objects.filter(pk=entry.pk).update(
            data=entry.data, action=entry.action, prev_hash=prev, hash=new
        )
        prev = new
    AuditHead.objects.filter(pk=1).update(hash=prev)
    assert verify_chain().ok  # the chain alone no longer tells
    return renamed


def truncate(keep):
    """Delete the entries after ``keep`` and reset the head to the last one kept."""
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE seq > %s", [keep])
    last = AuditEntry.objects.filter(seq=keep).first()
    AuditHead.objects.filter(pk=1).update(seq=keep, hash=last.hash if last else GENESIS)
    assert verify_chain().ok


def wipe():
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {AuditEntry._meta.db_table}")
        cur.execute(f"DELETE FROM {AuditHead._meta.db_table}")
    assert verify_chain().ok and verify_chain().count == 0


def log(n, start=1):
    return [
        audit_log(action="tests.thing.happened", data={"n": i, "text": "привет"})
        for i in range(start, start + n)
    ]


@pytest.fixture(scope="module")
def pair():
    return signing.generate_self_signed()


@pytest.fixture
def key(settings, tmp_path, pair):
    """The portal's signing pair (the protocols' key) in tmp_path."""
    key_pem, cert_pem = pair
    (tmp_path / "key.pem").write_bytes(key_pem)
    (tmp_path / "cert.pem").write_bytes(cert_pem)
    settings.PROTOCOL_SIGNING_KEY_FILE = str(tmp_path / "key.pem")
    settings.PROTOCOL_SIGNING_CERT_FILE = str(tmp_path / "cert.pem")
    settings.PROTOCOL_SIGNING_KEY_PASSPHRASE = ""
    return tmp_path


@pytest.fixture
def published(db, key):
    """Ten entries; the head published (and signed) by the beat task after five and after ten."""
    first = log(5)
    publish_audit_head()
    second = log(5, start=6)
    publish_audit_head()
    assert PublishedHead.objects.filter(signature="").count() == 0
    return first + second


# --- an untouched log ----------------------------------------------------------------------------


def test_untouched_log_passes_with_the_same_output_as_before(published, tmp_path, client):
    code, out, err = run_verify()
    assert code == 0 and err == ""
    assert out == OK_LINE.format(n=10, h=published[-1].hash)
    kept = tmp_path / "heads.json"
    kept.write_bytes(client.get("/audit/heads.json").content)
    code, out, _ = run_verify("--since", str(kept), "--expect-head", published[2].hash)
    assert code == 0 and out == OK_LINE.format(n=10, h=published[-1].hash)


def test_more_entries_after_the_last_published_head_pass(published):
    more = log(3, start=11)
    code, out, _ = run_verify()
    assert code == 0 and out == OK_LINE.format(n=13, h=more[-1].hash)


def test_an_empty_log_that_never_published_passes(db):
    assert run_verify() == (0, OK_LINE.format(n=0, h=GENESIS), "")


# --- tampering -----------------------------------------------------------------------------------


def test_rewrite_with_recomputed_hashes_fails(published):
    rewrite(3, lambda e: setattr(e, "data", {"n": 3, "text": "подменено"}))
    code, out, err = run_verify()
    assert code == 3 and out == ""
    assert "BROKEN" in err and "entry #5" in err and "rewritten" in err
    assert "entry #10" in err  # the later published head too


def test_truncated_tail_with_a_reset_head_fails(published):
    truncate(7)
    code, out, err = run_verify()
    assert code == 3 and out == ""
    assert (
        "the log ends at entry #7" in err and "recorded 10 entries" in err and "deleted from its end" in err
    )


def test_wiped_log_fails_and_never_says_ok_with_zero_entries(published):
    wipe()
    code, out, err = run_verify()
    assert code == 3 and "OK" not in out
    assert "the log is empty" in err and "wiped" in err and "recorded 10 entries" in err


def test_wiped_log_and_wiped_table_fail_against_a_kept_history(published, tmp_path, client):
    kept = tmp_path / "audit-heads.json"
    kept.write_bytes(client.get("/audit/heads.json").content)
    wipe()
    PublishedHead.objects.all().delete()
    assert run_verify()[0] == 0  # nothing inside the database is left to tell
    code, _, err = run_verify("--since", str(kept))
    assert code == 3 and "audit-heads.json" in err and "wiped" in err


def test_since_file_with_a_head_that_is_gone_fails(published, tmp_path, client):
    kept = tmp_path / "audit-heads.json"
    kept.write_bytes(client.get("/audit/heads.json").content)
    rewrite(8, lambda e: setattr(e, "action", "tests.thing.hidden"))
    PublishedHead.objects.all().delete()  # the table rewritten too: only the kept copy tells
    code, _, err = run_verify("--since", str(kept))
    assert code == 3
    assert "audit-heads.json" in err and "entry #10" in err and "rewritten" in err


def test_since_accepts_a_signed_head_file_and_a_csv(published, tmp_path, client):
    head_file = tmp_path / "head.json"
    head_file.write_bytes(client.get("/audit/head.json").content)
    csv_file = tmp_path / "heads.csv"
    csv_file.write_text(f"entries,head_hash\n5,{published[4].hash}\n", encoding="utf-8")
    assert run_verify("--since", str(head_file), "--since", str(csv_file))[0] == 0
    truncate(4)
    PublishedHead.objects.all().delete()
    code, _, err = run_verify("--since", str(csv_file))
    assert code == 3 and "heads.csv, line 2" in err and "ends at entry #4" in err


def test_unusable_since_file_or_expected_head_is_refused_with_exit_2(published, tmp_path):
    from django.core.management.base import CommandError

    bad = tmp_path / "bad.json"
    bad.write_text('{"heads": [{"entries": "five"}]}', encoding="utf-8")
    for args, words in (
        (("--since", str(bad)), "not a whole number"),
        (("--since", str(tmp_path / "missing.json")), "cannot be read"),
        (("--expect-head", "abc"), "64 hexadecimal digits"),
    ):
        with pytest.raises(CommandError) as exc:
            call_command("verify_audit", *args)
        assert exc.value.returncode == 2 and words in str(exc.value)


def test_expect_head_must_be_an_entry_of_the_log(published):
    assert run_verify("--expect-head", published[6].hash.upper())[0] == 0
    code, _, err = run_verify("--expect-head", "ab" * 32)
    assert code == 3 and "ab" * 32 in err and "--expect-head" in err and "not an entry of the log" in err


def test_expect_head_after_a_truncation_fails(published):
    noted = published[8].hash
    truncate(6)
    PublishedHead.objects.all().delete()
    code, _, err = run_verify("--expect-head", noted)
    assert code == 3 and noted in err


def test_altered_published_head_fails_its_signature(published):
    """Rewriting the log and the published heads to match is caught by the heads' signatures."""
    renamed = rewrite(2, lambda e: setattr(e, "data", {"n": 2, "text": "подменено"}))
    for head in PublishedHead.objects.all():
        PublishedHead.objects.filter(pk=head.pk).update(hash=renamed[head.hash])
    code, _, err = run_verify()
    assert code == 4
    assert "its signed statement says otherwise" in err and "altered" in err
    for head in PublishedHead.objects.all():  # the statements rewritten as well: the signature fails
        statement = json.loads(head.statement)
        statement["head_hash"] = head.hash
        PublishedHead.objects.filter(pk=head.pk).update(
            statement=json.dumps(statement, sort_keys=True, separators=(",", ":"))
        )
    code, _, err = run_verify()
    assert code == 4 and "does not verify with the portal's certificate" in err


def test_unsigned_head_older_than_a_signing_run_fails(published):
    first = PublishedHead.objects.order_by("id").first()
    later = PublishedHead.objects.order_by("id").last()
    PublishedHead.objects.filter(pk=later.pk).update(
        signed_at=first.published_at + audit_anchors.SIGNING_GRACE * 2
    )
    PublishedHead.objects.filter(pk=first.pk).update(signature="", statement="")
    code, _, err = run_verify()
    assert code == 4 and "has no signature" in err


def test_careless_rewrite_is_caught_by_the_heads_entries_cite(db):
    """No published head at all: a later entry that cites the head it saw (a frozen protocol's
    entry does) still catches a rewrite that recomputed the hashes but kept the data."""
    entries = log(4)
    audit_log(action="tests.thing.cited", data={"audit_head": entries[1].hash})
    rewrite(1, lambda e: setattr(e, "data", {"n": 0}), fix_citations=False)
    code, _, err = run_verify()
    assert code == 3 and "entry #5 records that the log's head was" in err


# --- heads recorded by the protocols app ---------------------------------------------------------


def _sign_protocol(counted):  # noqa: F811 - the fixture's name
    from protocols.services.protocol import protocol_create, protocol_sign
    from tests.protocols.completing import complete_group

    protocol = protocol_create(
        contest=counted["contest"],
        level="group",
        commission=counted["commission"],
        actor=counted["members"][0],
    )
    protocol = complete_group(protocol, counted["members"][0])
    for user in counted["members"]:
        protocol_sign(protocol=protocol, actor=user, password=counted["password"])
    protocol.refresh_from_db()
    return protocol


def test_signing_a_protocol_publishes_the_head_it_prints(counted):  # noqa: F811
    protocol = _sign_protocol(counted)
    head = PublishedHead.objects.get(occasion="protocol_signed")
    assert head.hash == protocol.audit_head and head.election == counted["election"]
    assert AuditEntry.objects.get(seq=head.seq).hash == protocol.audit_head
    assert run_verify()[0] == 0


def test_head_of_a_signed_protocol_no_longer_in_the_log_fails(counted):  # noqa: F811
    protocol = _sign_protocol(counted)
    PublishedHead.objects.all().delete()  # only the signed protocol is left to tell
    rewrite(1, lambda e: setattr(e, "data", {**e.data, "changed": True}))
    code, _, err = run_verify()
    assert code == 3
    assert protocol.audit_head in err and f"signed protocol id {protocol.pk} version 1" in err


def test_archive_manifest_heads_are_checked(published):
    from protocols.models import ElectionArchive
    from tests.factories import ElectionFactory

    ElectionArchive.objects.create(
        election=ElectionFactory(slug="archived"),
        sha256="0" * 64,
        manifest={"audit_head": {"seq": 9, "hash": published[8].hash}},
    )
    PublishedHead.objects.all().delete()
    assert run_verify()[0] == 0
    truncate(8)
    code, _, err = run_verify()
    assert code == 3 and "the manifest of archive" in err and "archived" in err


# --- publishing and signing ----------------------------------------------------------------------


def test_beat_task_publishes_only_when_the_head_moved(db, key, settings):
    assert "elections.publish_audit_head" in {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert publish_audit_head() == {"published": None, "signed": 0}  # nothing to publish
    entries = log(2)
    assert publish_audit_head() == {"published": 2, "signed": 1}
    assert publish_audit_head() == {"published": None, "signed": 0}
    head = PublishedHead.objects.get()
    assert (head.seq, head.hash, head.occasion) == (2, entries[-1].hash, "scheduled")


def test_heads_stay_unsigned_without_a_key_and_are_signed_once_it_exists(db, settings, tmp_path, pair):
    settings.PROTOCOL_SIGNING_KEY_FILE = str(tmp_path / "none" / "key.pem")
    settings.PROTOCOL_SIGNING_CERT_FILE = str(tmp_path / "none" / "cert.pem")
    log(1)
    assert publish_audit_head() == {"published": 1, "signed": 0}
    assert run_verify()[0] == 0  # published, not signed yet: no failure
    (tmp_path / "none").mkdir()
    (tmp_path / "none" / "key.pem").write_bytes(pair[0])
    (tmp_path / "none" / "cert.pem").write_bytes(pair[1])
    assert audit_anchors.sign_pending_heads() == 1
    assert PublishedHead.objects.get().is_signed


def test_an_unusable_key_leaves_heads_unsigned_without_failing(db, settings, tmp_path):
    """An Ed25519 key cannot make the signature openssl dgst -sha256 checks: logged, not raised."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519
    from cryptography.x509.oid import NameOID

    key = ed25519.Ed25519PrivateKey.generate()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ed25519")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, None)
    )
    (tmp_path / "k.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    (tmp_path / "c.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    settings.PROTOCOL_SIGNING_KEY_FILE = str(tmp_path / "k.pem")
    settings.PROTOCOL_SIGNING_CERT_FILE = str(tmp_path / "c.pem")
    log(1)
    assert publish_audit_head() == {"published": 1, "signed": 0}
    assert not PublishedHead.objects.get().is_signed
    assert run_verify()[0] == 0


def test_lifecycle_publication_publishes_the_head_after_commit(db, django_capture_on_commit_callbacks):
    from elections.lifecycle import on_enter_actions
    from tests.factories import ElectionFactory

    election = ElectionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        for action in on_enter_actions("publish"):
            if action.__name__ == "publish_on_results":
                action(election=election, actor=None)
        entry = audit_log(action="tests.results.published", obj=election)
        assert not PublishedHead.objects.exists()  # not before the transaction commits
    head = PublishedHead.objects.get(occasion="results_published")
    assert (head.seq, head.hash) == (entry.seq, entry.hash) and head.election == election


# --- the signed head file, offline -------------------------------------------------------------


def _signed_files(client, folder):
    for name, path in (
        ("head.json", "/audit/head.json"),
        ("head.json.sig", "/audit/head.json.sig"),
        ("certificate.pem", "/audit/certificate.pem"),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        (folder / name).write_bytes(response.content)
    return folder / "head.json", folder / "head.json.sig", folder / "certificate.pem"


def test_signed_head_file_verifies_with_cryptography_and_fails_when_altered(published, client, tmp_path):
    statement_file, sig_file, cert_file = _signed_files(client, tmp_path)
    statement = json.loads(statement_file.read_text(encoding="utf-8"))
    assert statement["entries"] == 10 and statement["head_hash"] == published[-1].hash
    assert statement["published_at"].endswith("Z") and statement["format"] == audit_anchors.STATEMENT_FORMAT
    assert "election" not in statement  # one head for the whole portal
    data, signature, cert = statement_file.read_bytes(), sig_file.read_bytes(), cert_file.read_bytes()
    assert audit_anchors.verify_signature(data, signature, cert)
    altered = data.replace(b'"entries":10', b'"entries":11')
    assert altered != data and not audit_anchors.verify_signature(altered, signature, cert)
    other_cert = signing.generate_self_signed()[1]
    assert not audit_anchors.verify_signature(data, signature, other_cert)


@pytest.mark.skipif(shutil.which("openssl") is None, reason="no openssl binary")
@pytest.mark.parametrize("key_type", ["rsa", "ec"])
def test_signed_head_file_verifies_with_the_openssl_command_of_the_readme(
    db, client, tmp_path, settings, key_type
):
    key_pem, cert_pem = signing.generate_self_signed(key_type=key_type)
    (tmp_path / "k.pem").write_bytes(key_pem)
    (tmp_path / "c.pem").write_bytes(cert_pem)
    settings.PROTOCOL_SIGNING_KEY_FILE = str(tmp_path / "k.pem")
    settings.PROTOCOL_SIGNING_CERT_FILE = str(tmp_path / "c.pem")
    log(3)
    publish_audit_head()
    statement_file, sig_file, cert_file = _signed_files(client, tmp_path)

    def openssl_verify(path):
        # the commands of README.md, "Audit log"
        subprocess.run(
            [
                "openssl",
                "x509",
                "-in",
                str(cert_file),
                "-pubkey",
                "-noout",
                "-out",
                str(tmp_path / "portal-key.pem"),
            ],
            check=True,
        )
        return subprocess.run(
            [
                "openssl",
                "dgst",
                "-sha256",
                "-verify",
                str(tmp_path / "portal-key.pem"),
                "-signature",
                str(sig_file),
                str(path),
            ],
            capture_output=True,
            text=True,
        )

    result = openssl_verify(statement_file)
    assert result.returncode == 0 and "Verified OK" in result.stdout
    altered = tmp_path / "altered.json"
    altered.write_bytes(statement_file.read_bytes().replace(b'"entries":3', b'"entries":4'))
    result = openssl_verify(altered)
    assert result.returncode == 1 and "Verification failure" in result.stdout


# --- the public page -----------------------------------------------------------------------------


def test_public_head_page_lists_published_heads_with_times_and_downloads(published, client):
    body = client.get("/audit/").content.decode()
    for head in PublishedHead.objects.all():
        assert head.hash in body
    assert "Опубликованные" in body or "published" in body.lower()
    assert 'href="/audit/heads.json"' in body and 'href="/audit/head.json.sig"' in body
    assert "openssl dgst -sha256 -verify" in body
    document = json.loads(client.get("/audit/heads.json").content)
    assert document["format"] == audit_anchors.HISTORY_FORMAT
    assert [(h["entries"], h["head_hash"]) for h in document["heads"]] == [
        (5, published[4].hash),
        (10, published[9].hash),
    ]
    assert all(h["published_at"] and h["signature"] for h in document["heads"])
    assert base64.b64decode(document["heads"][0]["signature"])


def test_signed_head_downloads_are_404_before_anything_is_signed(db, client):
    assert client.get("/audit/head.json").status_code == 404
    assert client.get("/audit/head.json.sig").status_code == 404
    body = client.get("/audit/").content.decode()
    assert 'href="/audit/head.json"' not in body


def test_the_public_history_of_heads_pages_from_newer_to_older(db, client):
    from django.urls import reverse
    from django.utils import translation

    PublishedHead.objects.bulk_create(
        PublishedHead(seq=n, hash=f"{n:064x}", occasion=PublishedHead.Occasion.SCHEDULED)
        for n in range(1, 56)
    )
    with translation.override("en"):
        first = client.get(reverse("audit_head")).content.decode()
        second = client.get(reverse("audit_head") + "?page=2").content.decode()
    assert "1 / 2" in first and ">Older</a>" in first and ">Newer</a>" not in first
    assert "2 / 2" in second and ">Newer</a>" in second and ">Older</a>" not in second
