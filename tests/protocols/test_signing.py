"""Signing protocol PDFs (PAdES, pyHanko) and verifying them offline; see elections/signing.py."""

import asyncio
import datetime as dt
import io
import os
import re
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from elections import signing

PROTOCOL_HTML = """<!doctype html>
<html lang="ru"><head><meta charset="utf-8">
<style>@page { size: A4; margin: 2cm } body { font-family: "DejaVu Sans", sans-serif }</style>
</head><body>
<h1>Протокол № 1</h1>
<p>Счётной комиссии о результатах голосования по выборам председателя.</p>
<table><tr><td>Число бюллетеней</td><td>150</td></tr><tr><td>Итого: 123</td><td></td></tr></table>
</body></html>"""


# --- fixtures: made once per module, the key generation and the rendering being the slow parts ---


@pytest.fixture(scope="module")
def pair():
    return signing.generate_self_signed()


@pytest.fixture(scope="module")
def other_pair():
    # Same subject as the portal's demo certificate, different key: trust must not go by name.
    return signing.generate_self_signed(key_type="ec")


@pytest.fixture(scope="module")
def protocol_pdf():
    from weasyprint import HTML

    return HTML(string=PROTOCOL_HTML).write_pdf()


@pytest.fixture(scope="module")
def signed_pdf(pair, protocol_pdf):
    key_pem, cert_pem = pair
    return signing.sign_pdf(protocol_pdf, key_pem=key_pem, cert_pem=cert_pem)


@pytest.fixture
def portal_key(settings, tmp_path, pair):
    """The PROTOCOL_SIGNING_* settings point at the module's pair, written into tmp_path."""
    key_pem, cert_pem = pair
    (tmp_path / "key.pem").write_bytes(key_pem)
    (tmp_path / "cert.pem").write_bytes(cert_pem)
    settings.PROTOCOL_SIGNING_KEY_FILE = str(tmp_path / "key.pem")
    settings.PROTOCOL_SIGNING_CERT_FILE = str(tmp_path / "cert.pem")
    settings.PROTOCOL_SIGNING_KEY_PASSPHRASE = ""
    return tmp_path


def verify(data, pair):
    return signing.verify_pdf(data, trusted_cert_pem=pair[1])


def byte_range(pdf: bytes) -> tuple[int, int, int, int]:
    match = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", pdf)
    return tuple(int(n) for n in match.groups())


def flip(data: bytes, offset: int) -> bytes:
    changed = bytearray(data)
    changed[offset] ^= 0x01
    return bytes(changed)


# --- key material --------------------------------------------------------------------------------


@pytest.mark.parametrize("key_type", ["rsa", "ec"])
def test_generate_self_signed_makes_a_document_signing_certificate(key_type):
    key_pem, cert_pem = signing.generate_self_signed(common_name="Test CN", days=30, key_type=key_type)
    key = serialization.load_pem_private_key(key_pem, password=None)
    cert = x509.load_pem_x509_certificate(cert_pem)

    assert cert.public_key().public_numbers() == key.public_key().public_numbers()
    assert cert.subject.rfc4514_string() == "CN=Test CN,O=Election Portal"
    assert cert.issuer == cert.subject
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment  # nonRepudiation
    assert not cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    lifetime = cert.not_valid_after_utc - cert.not_valid_before_utc
    assert dt.timedelta(days=30) <= lifetime <= dt.timedelta(days=30, minutes=10)


def test_signing_material_reads_the_files_named_in_settings(portal_key, pair):
    material = signing.signing_material()
    assert (material.key_pem, material.cert_pem) == pair
    assert material.passphrase is None
    assert signing.signing_material(with_key=False).key_pem is None


def test_signing_material_missing_names_the_settings_and_the_command(settings, tmp_path):
    settings.PROTOCOL_SIGNING_KEY_FILE = str(tmp_path / "nowhere" / "key.pem")
    settings.PROTOCOL_SIGNING_CERT_FILE = str(tmp_path / "nowhere" / "cert.pem")
    with pytest.raises(ImproperlyConfigured) as excinfo:
        signing.signing_material()
    message = str(excinfo.value)
    assert "PROTOCOL_SIGNING_CERT_FILE" in message
    assert "PROTOCOL_SIGNING_KEY_FILE" in message
    assert "make_signing_key" in message
    with pytest.raises(ImproperlyConfigured):
        signing.sign_pdf(b"%PDF-1.7")
    with pytest.raises(ImproperlyConfigured):
        signing.verify_pdf(b"%PDF-1.7")


def test_encrypted_key_with_passphrase_from_settings(settings, tmp_path, pair, protocol_pdf):
    key = serialization.load_pem_private_key(pair[0], password=None)
    encrypted = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"s3cret"),
    )
    (tmp_path / "key.pem").write_bytes(encrypted)
    (tmp_path / "cert.pem").write_bytes(pair[1])
    settings.PROTOCOL_SIGNING_KEY_FILE = str(tmp_path / "key.pem")
    settings.PROTOCOL_SIGNING_CERT_FILE = str(tmp_path / "cert.pem")
    settings.PROTOCOL_SIGNING_KEY_PASSPHRASE = "s3cret"

    assert signing.verify_pdf(signing.sign_pdf(protocol_pdf)).ok

    settings.PROTOCOL_SIGNING_KEY_PASSPHRASE = "wrong"
    with pytest.raises(signing.SigningError):
        signing.sign_pdf(protocol_pdf)


# --- signing and verifying -----------------------------------------------------------------------


def test_signed_weasyprint_pdf_verifies(signed_pdf, protocol_pdf, pair):
    result = verify(signed_pdf, pair)

    assert result.ok, result.reasons
    assert result.intact and result.covers_whole_document
    assert result.reasons == []
    assert result.signer == "CN=Election Portal (demo),O=Election Portal"
    assert abs(result.signed_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
    assert result.summary().startswith("OK: signature valid, document intact, signed by CN=Election Portal")
    # an incremental update: the rendered protocol is kept byte for byte
    assert signed_pdf.startswith(protocol_pdf)
    assert b"/ETSI.CAdES.detached" in signed_pdf
    assert byte_range(signed_pdf)[2] + byte_range(signed_pdf)[3] == len(signed_pdf)


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_signed_pdf_still_shows_the_russian_text(signed_pdf, tmp_path):
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed_pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Протокол № 1" in text
    assert "Итого: 123" in text


def test_sign_and_verify_with_the_configured_material(portal_key, protocol_pdf):
    signed = signing.sign_pdf(protocol_pdf, reason="Протокол № 1", location="Алматы")
    result = signing.verify_pdf(signed)  # trusts the configured certificate

    assert result.ok, result.reasons
    assert "/Reason" in signed.decode("latin-1")


def test_a_changed_byte_in_the_signed_range_fails(signed_pdf, pair):
    first_range_end = byte_range(signed_pdf)[1]
    # a byte of the first content stream: the file still parses, only the digest differs
    offset = signed_pdf.index(b"stream", signed_pdf.index(b"/Length")) + 20
    assert offset < first_range_end

    result = verify(flip(signed_pdf, offset), pair)

    assert not result.ok
    assert not result.intact
    assert any("changed" in reason for reason in result.reasons)
    assert result.summary().startswith("INVALID: ")


@pytest.mark.parametrize("fraction", [0.0, 0.1, 0.33, 0.5, 0.9, 0.999])
def test_any_changed_byte_fails_without_an_exception(signed_pdf, pair, fraction):
    start, length1, start2, length2 = byte_range(signed_pdf)
    offsets = list(range(length1)) + list(range(start2, start2 + length2))
    result = verify(flip(signed_pdf, offsets[int(fraction * (len(offsets) - 1))]), pair)
    assert not result.ok
    assert result.reasons


def test_a_changed_signature_value_fails(signed_pdf, pair):
    _, length1, start2, _ = byte_range(signed_pdf)
    # The gap between the two ranges is /Contents <3082…000>: the CMS in hex, zero-padded. Change
    # a hex digit near the end of the CMS, inside the signature value (not covered by the digest).
    cms_hex = signed_pdf[length1 + 1 : start2 - 1].rstrip(b"0")
    offset = length1 + 1 + len(cms_hex) - 4
    tampered = bytearray(signed_pdf)
    tampered[offset] = ord("0") if tampered[offset] != ord("0") else ord("1")

    result = verify(bytes(tampered), pair)

    assert not result.ok
    assert result.reasons


def test_bytes_appended_after_signing_fail(signed_pdf, pair):
    result = verify(signed_pdf + b"\n% appended after signing\n", pair)

    # pyHanko: the signature still covers its whole revision (coverage ENTIRE_REVISION) and, as no
    # new revision follows, its diff analysis finds nothing (modification level NONE) — yet the
    # bytes are not covered by the signature, so the portal says no.
    assert result.coverage == "ENTIRE_REVISION"
    assert result.modification_level == "NONE"
    assert result.intact
    assert not result.covers_whole_document
    assert not result.ok


def _update_info(writer):
    from pyhanko.pdf_utils import generic

    info = writer.trailer["/Info"]
    info[generic.NameObject("/Title")] = generic.TextStringObject("Протокол № 2")
    writer.update_container(info)


def _add_page_content(writer):
    from pyhanko.pdf_utils import generic

    stream = generic.StreamObject(stream_data=b"BT /F1 12 Tf 72 72 Td (Itogo: 999) Tj ET")
    writer.add_stream_to_page(0, writer.add_object(stream))


@pytest.mark.parametrize(
    ("change", "pyhanko_level"),
    [
        # pyHanko's diff policy files a changed /Info dictionary under LTA_UPDATES (a harmless
        # update: its own bottom_line would still be True) …
        (_update_info, "LTA_UPDATES"),
        # … and new page content under OTHER (suspicious). The portal refuses both: only a
        # signature covering the whole file (coverage ENTIRE_FILE) is accepted.
        (_add_page_content, "OTHER"),
    ],
)
def test_an_incremental_update_after_signing_fails(signed_pdf, pair, change, pyhanko_level):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed_pdf))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    updated = out.getvalue()
    assert len(updated) > len(signed_pdf)

    result = verify(updated, pair)

    assert result.intact  # the signed revision itself is untouched
    assert result.coverage == "ENTIRE_REVISION"
    assert result.modification_level == pyhanko_level
    assert not result.covers_whole_document
    assert not result.ok
    assert "changed after it was signed" in result.summary()


def test_a_second_portal_signature_covering_everything_is_ok(signed_pdf, pair):
    key_pem, cert_pem = pair
    twice = signing.sign_pdf(signed_pdf, key_pem=key_pem, cert_pem=cert_pem, field_name="Countersignature")

    result = verify(twice, pair)

    assert result.ok, result.reasons
    assert result.signature_count == 2


def test_a_pdf_signed_by_another_key_is_not_trusted(protocol_pdf, pair, other_pair):
    key_pem, cert_pem = other_pair
    foreign = signing.sign_pdf(protocol_pdf, key_pem=key_pem, cert_pem=cert_pem)

    result = verify(foreign, pair)

    assert result.intact  # a sound signature, just not the portal's
    assert not result.ok
    assert any("not the trusted one" in reason for reason in result.reasons)
    # trusting that certificate, alone or next to the portal's (a key change), accepts it
    assert signing.verify_pdf(foreign, trusted_cert_pem=cert_pem).ok
    assert signing.verify_pdf(foreign, trusted_cert_pem=pair[1] + cert_pem).ok


def test_an_unsigned_pdf_is_not_ok(protocol_pdf, pair):
    result = verify(protocol_pdf, pair)

    assert not result.ok
    assert result.reasons == ["the PDF is not signed"]


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"garbage",
        os.urandom(4096),
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n",
        b"%PDF-1.7\n" + os.urandom(2000) + b"\n%%EOF\n",
    ],
    ids=["empty", "text", "random", "broken-pdf", "random-pdf"],
)
def test_garbage_is_not_ok_and_raises_nothing(pair, data):
    result = verify(data, pair)

    assert not result.ok
    assert result.reasons


def test_a_truncated_signed_pdf_is_not_ok(signed_pdf, pair):
    for size in (len(signed_pdf) // 2, len(signed_pdf) - 10):
        result = verify(signed_pdf[:size], pair)
        assert not result.ok
        assert result.reasons


def test_bad_arguments_raise(protocol_pdf, pair):
    with pytest.raises(ValueError, match="both"):
        signing.sign_pdf(protocol_pdf, key_pem=pair[0])
    with pytest.raises(signing.SigningError):
        signing.sign_pdf(protocol_pdf, key_pem=b"not a key", cert_pem=pair[1])
    with pytest.raises(signing.SigningError):
        signing.sign_pdf(b"not a pdf", key_pem=pair[0], cert_pem=pair[1])
    with pytest.raises(ValueError):
        signing.verify_pdf(protocol_pdf, trusted_cert_pem=b"not a certificate")


def test_sign_and_verify_inside_a_running_event_loop(protocol_pdf, pair):
    async def in_loop():
        signed = signing.sign_pdf(protocol_pdf, key_pem=pair[0], cert_pem=pair[1])
        return verify(signed, pair)

    # a thread of its own: a browser test of the same worker may have left Playwright's loop running
    # in this thread, where asyncio.run() is not allowed
    result = {}
    thread = threading.Thread(target=lambda: result.setdefault("report", asyncio.run(in_loop())))
    thread.start()
    thread.join()
    assert result["report"].ok


# --- verify_protocol_pdf -------------------------------------------------------------------------


def run_command(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


def test_verify_command_exit_codes(portal_key, tmp_path, signed_pdf, protocol_pdf, pair):
    good = tmp_path / "good.pdf"
    good.write_bytes(signed_pdf)
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(flip(signed_pdf, signed_pdf.index(b"stream", signed_pdf.index(b"/Length")) + 20))
    unsigned = tmp_path / "unsigned.pdf"
    unsigned.write_bytes(protocol_pdf)

    code, out, err = run_command("verify_protocol_pdf", str(good))
    assert code == 0
    assert out.startswith("OK: signature valid, document intact, signed by CN=Election Portal (demo)")
    assert out.count("\n") == 1

    code, out, _ = run_command("verify_protocol_pdf", str(bad))
    assert code == 1
    assert out.startswith("INVALID: ")

    code, out, _ = run_command("verify_protocol_pdf", str(unsigned), "--cert", str(portal_key / "cert.pem"))
    assert (code, out.strip()) == (1, "INVALID: the PDF is not signed")

    code, out, err = run_command("verify_protocol_pdf", str(tmp_path / "missing.pdf"))
    assert code == 1
    assert "cannot read" in err and "missing.pdf" in err


def test_verify_command_with_another_certificate(portal_key, tmp_path, signed_pdf, other_pair):
    pdf = tmp_path / "protocol.pdf"
    pdf.write_bytes(signed_pdf)
    other_cert = tmp_path / "other.pem"
    other_cert.write_bytes(other_pair[1])

    code, out, _ = run_command("verify_protocol_pdf", str(pdf), "--cert", str(other_cert))
    assert code == 1
    assert "not the trusted one" in out

    code, _, err = run_command("verify_protocol_pdf", str(pdf), "--cert", str(tmp_path / "none.pem"))
    assert code == 1
    assert "cannot read the certificate" in err


def test_verify_command_in_a_subprocess(tmp_path, signed_pdf, pair):
    (tmp_path / "cert.pem").write_bytes(pair[1])
    (tmp_path / "good.pdf").write_bytes(signed_pdf)
    (tmp_path / "bad.pdf").write_bytes(signed_pdf + b"%%EOF\n")
    manage = Path(django_settings.BASE_DIR) / "manage.py"
    env = {**os.environ, "DEBUG": "1"}

    def run(name):
        command = [sys.executable, str(manage), "verify_protocol_pdf", str(tmp_path / name)]
        command += ["--cert", str(tmp_path / "cert.pem")]
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)

    good = run("good.pdf")
    assert good.returncode == 0, good.stderr
    assert good.stdout.startswith("OK: ")
    bad = run("bad.pdf")
    assert bad.returncode == 1
    assert bad.stdout.startswith("INVALID: ")
    assert "Traceback" not in bad.stderr


# --- make_signing_key ----------------------------------------------------------------------------


def test_make_signing_key_writes_a_usable_pair_and_refuses_to_overwrite(tmp_path, protocol_pdf):
    out_dir = tmp_path / "signing"
    code, out, _ = run_command("make_signing_key", "--out-dir", str(out_dir), "--common-name", "Демо")
    key_file, cert_file = out_dir / "key.pem", out_dir / "cert.pem"

    assert code == 0
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert str(key_file) in out and str(cert_file) in out
    assert "PROTOCOL_SIGNING_KEY_FILE=" in out and "PROTOCOL_SIGNING_CERT_FILE=" in out
    key_pem, cert_pem = key_file.read_bytes(), cert_file.read_bytes()
    assert x509.load_pem_x509_certificate(cert_pem).subject.rfc4514_string() == "CN=Демо,O=Election Portal"
    signed = signing.sign_pdf(protocol_pdf, key_pem=key_pem, cert_pem=cert_pem)
    assert signing.verify_pdf(signed, trusted_cert_pem=cert_pem).ok

    code, _, err = run_command("make_signing_key", "--out-dir", str(out_dir))
    assert code == 1
    assert "--force" in err
    assert (key_file.read_bytes(), cert_file.read_bytes()) == (key_pem, cert_pem)

    code, _, _ = run_command("make_signing_key", "--out-dir", str(out_dir), "--force")
    assert code == 0
    assert key_file.read_bytes() != key_pem
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert sorted(p.name for p in out_dir.iterdir()) == ["cert.pem", "key.pem"]  # no temporary left


def test_make_signing_key_defaults_to_the_configured_directory(settings, tmp_path, protocol_pdf):
    settings.PROTOCOL_SIGNING_KEY_FILE = str(tmp_path / "conf" / "key.pem")
    settings.PROTOCOL_SIGNING_CERT_FILE = str(tmp_path / "conf" / "cert.pem")

    code, out, _ = run_command("make_signing_key", "--key-type", "ec")

    assert code == 0
    assert "already point at these files" in out
    assert signing.verify_pdf(signing.sign_pdf(protocol_pdf)).ok


@pytest.mark.skipif(not shutil.which("pdfsig"), reason="poppler-utils not installed")
def test_poppler_agrees(signed_pdf, tmp_path):
    """An independent validator (poppler's pdfsig) accepts the signature and rejects a changed byte."""
    good, bad = tmp_path / "good.pdf", tmp_path / "bad.pdf"
    good.write_bytes(signed_pdf)
    bad.write_bytes(flip(signed_pdf, signed_pdf.index(b"stream", signed_pdf.index(b"/Length")) + 20))

    def pdfsig(path):
        return subprocess.run(["pdfsig", "-nocert", str(path)], capture_output=True, text=True).stdout

    assert "Signature is Valid." in pdfsig(good)
    assert "Total document signed" in pdfsig(good)
    assert "Signature is Valid." not in pdfsig(bad)
