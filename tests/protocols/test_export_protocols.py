"""``manage.py export_protocols --election SLUG --out DIR``: every signed protocol PDF of an
election, under stable names; exit 1 with a message for an unknown election or none signed."""

import hashlib

import pytest
from django.core.management import call_command

from elections import signing
from protocols.models import ProtocolDocument
from protocols.services import protocol as protocol_services

from .pdf_fixtures import draft, sign_all

pytestmark = pytest.mark.django_db

NAMES = ["group-group-g-v1-copy1-en.pdf", "group-group-g-v1-copy1-ru.pdf", "group-group-g-v1-copy2-ru.pdf"]


def test_export_writes_every_signed_document_under_stable_names(signed, portal, tmp_path, capsys):
    out = tmp_path / "out" / "protocols"  # created when missing
    call_command("export_protocols", election=signed["election"].slug, out=str(out))
    assert sorted(p.name for p in out.iterdir()) == NAMES
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == 4 and printed[-1] == f"3 documents written to {out}."
    for document in ProtocolDocument.objects.all():
        written = next(out.glob(f"*-copy{document.copy}-{document.language}.pdf")).read_bytes()
        assert hashlib.sha256(written).hexdigest() == document.sha256
        assert signing.verify_pdf(written, trusted_cert_pem=(portal / "cert.pem").read_bytes()).ok
        assert any(line.endswith(f"sha256 {document.sha256}") for line in printed)
    # again: the same files, nothing added
    call_command("export_protocols", "--election", signed["election"].slug, "--out", str(out))
    assert sorted(p.name for p in out.iterdir()) == NAMES


def test_export_includes_superseded_versions(signed, tmp_path, capsys, django_capture_on_commit_callbacks):
    corrected = protocol_services.protocol_correct(
        protocol=signed["protocol"], actor=signed["members"][0], reason="Опечатка в строке 2.2."
    )
    sign_all(signed, corrected, django_capture_on_commit_callbacks)
    call_command("export_protocols", election=signed["election"].slug, out=str(tmp_path / "x"))
    names = sorted(p.name for p in (tmp_path / "x").iterdir())
    assert names == sorted(NAMES + [n.replace("-v1-", "-v2-") for n in NAMES])


def test_unknown_election_exits_1(db, tmp_path, capsys):
    with pytest.raises(SystemExit) as excinfo:
        call_command("export_protocols", election="no-such-election", out=str(tmp_path / "x"))
    assert excinfo.value.code == 1
    assert "the election “no-such-election” does not exist" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_election_without_signed_protocol_exits_1(counted, portal, tmp_path, capsys):
    draft(counted)  # a draft has no document
    with pytest.raises(SystemExit) as excinfo:
        call_command("export_protocols", election=counted["election"].slug, out=str(tmp_path / "x"))
    assert excinfo.value.code == 1
    assert "has no signed protocol document yet" in capsys.readouterr().err


def test_a_tampered_stored_file_is_not_exported_and_exits_1(signed, tmp_path, capsys):
    document = ProtocolDocument.objects.get(language="ru", copy=2)
    with open(document.file.path, "r+b") as handle:
        handle.seek(200)
        byte = handle.read(1)
        handle.seek(200)
        handle.write(bytes([byte[0] ^ 1]))
    with pytest.raises(SystemExit) as excinfo:
        call_command("export_protocols", election=signed["election"].slug, out=str(tmp_path / "x"))
    assert excinfo.value.code == 1
    err = capsys.readouterr().err
    assert "group-group-g-v1-copy2-ru.pdf: the stored file does not match its recorded SHA-256" in err
    assert "2 of 3 documents written" in err
    assert sorted(p.name for p in (tmp_path / "x").iterdir()) == [NAMES[0], NAMES[1]]
