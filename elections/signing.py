"""Digital signatures of the portal's PDFs (protocols, minutes of meetings, acts): PAdES baseline-B
with pyHanko, entirely offline.

The portal signs every such PDF with one key and certificate, configured by the settings
``PROTOCOL_SIGNING_KEY_FILE``, ``PROTOCOL_SIGNING_CERT_FILE`` and, for an encrypted key,
``PROTOCOL_SIGNING_KEY_PASSPHRASE``. ``python manage.py make_signing_key`` creates a self-signed
pair for demos and tests; ``python manage.py verify_protocol_pdf FILE`` checks a file.

Verification trusts exactly the given certificate(s) (by default the portal's own): the signer's
certificate must be one of them, the signed bytes must be unchanged and the signature must cover
the whole file, so anything appended after signing, even a well-formed incremental update, fails.
Nothing is fetched from the network: no OCSP, CRL, AIA or timestamp server is contacted.

Everything here is a pure function of its arguments except :func:`signing_material`, the only
place that reads Django settings.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import functools
import io
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_KEY_NAME = "key.pem"
DEFAULT_CERT_NAME = "cert.pem"
DEFAULT_FIELD_NAME = "PortalSignature"
DEFAULT_REASON = "Protocol of the election, issued by Election Portal"
DEFAULT_LOCATION = "Election Portal"


class SigningError(Exception):
    """The document could not be signed (unusable key or certificate, unreadable PDF)."""


@dataclass(frozen=True)
class SigningMaterial:
    """The portal's signing key (PEM, may be encrypted) and certificate (PEM), read from settings."""

    key_pem: bytes | None
    cert_pem: bytes
    passphrase: bytes | None = None
    key_file: Path | None = None
    cert_file: Path | None = None


@dataclass
class VerificationResult:
    """Outcome of :func:`verify_pdf`; ``ok`` is the verdict, ``reasons`` say why it is False."""

    ok: bool
    intact: bool = False
    covers_whole_document: bool = False
    signer: str = ""
    signed_at: dt.datetime | None = None
    reasons: list[str] = field(default_factory=list)
    # pyHanko's own classification, for diagnostics: SignatureCoverageLevel and ModificationLevel
    # names ("ENTIRE_FILE", "NONE", ...), empty when the file could not be analysed.
    coverage: str = ""
    modification_level: str = ""
    signature_count: int = 0

    def summary(self) -> str:
        """One line: ``OK: …`` or ``INVALID: …``."""
        if self.ok:
            when = self.signed_at.isoformat(timespec="seconds") if self.signed_at else "an unknown time"
            return f"OK: signature valid, document intact, signed by {self.signer} at {when}"
        return "INVALID: " + ("; ".join(self.reasons) or "the signature could not be verified")


# --- key material ------------------------------------------------------------------------------


def generate_self_signed(
    *,
    common_name: str = "Election Portal (demo)",
    organization: str = "Election Portal",
    days: int = 3650,
    key_type: str = "rsa",
) -> tuple[bytes, bytes]:
    """A new private key and a self-signed certificate for it, both PEM: ``(key_pem, cert_pem)``.

    ``key_type`` is ``"rsa"`` (RSA 2048, the default, read by every PDF viewer) or ``"ec"``
    (ECDSA P-256). The certificate is an end-entity certificate (not a CA) with the key usages
    digitalSignature and nonRepudiation that pyHanko requires of a document signer. The key is
    PKCS#8 and not encrypted: keep the file private (``make_signing_key`` writes it with mode 0600).
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.x509.oid import NameOID

    if key_type == "rsa":
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    elif key_type == "ec":
        key = ec.generate_private_key(ec.SECP256R1())
    else:
        raise ValueError(f"key_type must be 'rsa' or 'ec', not {key_type!r}")
    if days < 1:
        raise ValueError("days must be at least 1")

    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if organization:
        attributes.insert(0, x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization))
    name = x509.Name(attributes)
    # A little slack for clocks that are slightly behind the one that made the certificate.
    not_before = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    public_key = key.public_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_before + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # nonRepudiation
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public_key), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return key_pem, cert.public_bytes(serialization.Encoding.PEM)


def default_signing_dir() -> Path:
    """``var/signing/`` of the project, where ``make_signing_key`` puts a demo pair by default."""
    from django.conf import settings

    base = Path(getattr(settings, "BASE_DIR", Path.cwd()))
    return Path(getattr(settings, "VAR_DIR", base / "var")) / "signing"


def configured_paths() -> tuple[Path, Path]:
    """The key and certificate paths from settings (default ``var/signing/key.pem`` and ``cert.pem``)."""
    return _configured_paths()[:2]


def _configured_paths() -> tuple[Path, Path, str | None]:
    from django.conf import settings

    base = Path(getattr(settings, "BASE_DIR", Path.cwd()))
    default_dir = default_signing_dir()

    def resolve(name: str, default: Path) -> Path:
        value = getattr(settings, name, None)
        path = Path(value) if value else default
        return path if path.is_absolute() else base / path

    passphrase = getattr(settings, "PROTOCOL_SIGNING_KEY_PASSPHRASE", None) or None
    return (
        resolve("PROTOCOL_SIGNING_KEY_FILE", default_dir / DEFAULT_KEY_NAME),
        resolve("PROTOCOL_SIGNING_CERT_FILE", default_dir / DEFAULT_CERT_NAME),
        passphrase,
    )


def signing_material(*, with_key: bool = True) -> SigningMaterial:
    """The portal's key and certificate, read from the files named in settings.

    The only function of this module that reads Django settings. Relative paths are taken from
    ``BASE_DIR``; unset settings default to ``var/signing/key.pem`` and ``var/signing/cert.pem``.
    With ``with_key=False`` only the certificate is read (enough to verify). Raises
    ``ImproperlyConfigured`` naming the settings and ``make_signing_key`` when a file is missing
    or unreadable.
    """
    from django.core.exceptions import ImproperlyConfigured

    key_file, cert_file, passphrase = _configured_paths()
    hint = (
        "Point the settings PROTOCOL_SIGNING_KEY_FILE and PROTOCOL_SIGNING_CERT_FILE (environment "
        "variables of the same names) at the portal's PEM key and certificate, or create a "
        "self-signed demo pair with `python manage.py make_signing_key`."
    )

    def read(path: Path, what: str, setting: str) -> bytes:
        try:
            return path.read_bytes()
        except FileNotFoundError:
            raise ImproperlyConfigured(
                f"The protocol signing {what} {path} (setting {setting}) does not exist. {hint}"
            ) from None
        except OSError as exc:
            raise ImproperlyConfigured(
                f"The protocol signing {what} {path} (setting {setting}) cannot be read: {exc}. {hint}"
            ) from exc

    cert_pem = read(cert_file, "certificate", "PROTOCOL_SIGNING_CERT_FILE")
    key_pem = read(key_file, "key", "PROTOCOL_SIGNING_KEY_FILE") if with_key else None
    return SigningMaterial(
        key_pem=key_pem,
        cert_pem=cert_pem,
        passphrase=passphrase.encode() if isinstance(passphrase, str) else passphrase,
        key_file=key_file if with_key else None,
        cert_file=cert_file,
    )


def load_certificates(cert_pem: bytes) -> list:
    """All certificates in PEM (one or several) or DER data, as asn1crypto certificates.

    Raises ``ValueError`` when there is none or the data cannot be parsed.
    """
    from pyhanko.keys import load_certs_from_pemder_data

    try:
        certs = list(load_certs_from_pemder_data(cert_pem))
        for cert in certs:
            cert.native  # noqa: B018 — asn1crypto parses lazily; force it to fail here
    except Exception as exc:
        raise ValueError(f"not a PEM or DER certificate: {exc}") from exc
    if not certs:
        raise ValueError("no certificate found in the PEM data")
    return certs


def describe_subject(cert) -> str:
    """The subject of an asn1crypto certificate as an RFC 4514 string (``CN=…,O=…``)."""
    from cryptography import x509

    try:
        return x509.load_der_x509_certificate(cert.dump()).subject.rfc4514_string()
    except Exception:
        return cert.subject.human_friendly


def fingerprint(cert) -> str:
    """The SHA-256 fingerprint of an asn1crypto certificate, hex with colons (``AB:CD:…``)."""
    return cert.sha256.hex(":").upper()


# --- signing -----------------------------------------------------------------------------------


def _run_sync(func, /, *args, **kwargs):
    """Run ``func`` (a pyHanko wrapper that calls ``asyncio.run``) even inside a running loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return func(*args, **kwargs)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(func, *args, **kwargs).result()


@functools.lru_cache(maxsize=4)
def _signer(key_pem: bytes, cert_pem: bytes, passphrase: bytes | None):
    """A pyHanko signer for the material, cached: loading an RSA key costs ~35 ms, a third of a
    signature, and pyHanko's ``SimpleSigner`` would load it again for every raw signature."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
    from pyhanko.keys.internal import translate_pyca_cryptography_key_to_asn1
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore
    from pyhanko_certvalidator.util import get_pyca_cryptography_hash

    load = (
        serialization.load_pem_private_key if b"-----BEGIN" in key_pem else serialization.load_der_private_key
    )
    private_key = load(key_pem, password=passphrase)
    certs = load_certificates(cert_pem)

    class _Signer(signers.SimpleSigner):
        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
            hash_algo = get_pyca_cryptography_hash(digest_algorithm)
            if mechanism == "rsassa_pkcs1v15" and isinstance(private_key, rsa.RSAPrivateKey):
                return private_key.sign(data, padding.PKCS1v15(), hash_algo)
            if mechanism == "ecdsa" and isinstance(private_key, ec.EllipticCurvePrivateKey):
                return private_key.sign(data, ec.ECDSA(hash_algo))
            return super().sign_raw(data, digest_algorithm)  # other mechanisms: pyHanko's own way

    return _Signer(
        signing_cert=certs[0],
        signing_key=translate_pyca_cryptography_key_to_asn1(private_key),
        cert_registry=SimpleCertificateStore.from_certs(certs[1:]),
    )


def sign_pdf(
    pdf_bytes: bytes,
    *,
    key_pem: bytes | None = None,
    cert_pem: bytes | None = None,
    key_passphrase: bytes | None = None,
    reason: str = DEFAULT_REASON,
    location: str = DEFAULT_LOCATION,
    field_name: str = DEFAULT_FIELD_NAME,
) -> bytes:
    """``pdf_bytes`` with a PAdES baseline-B signature (SHA-256, invisible field) appended.

    The signature is added as an incremental update, so the original bytes are kept verbatim and
    the signature's byte range ends at the end of the returned file. Without ``key_pem`` and
    ``cert_pem`` the portal's material from settings is used (see :func:`signing_material`).
    No timestamp, OCSP or CRL is requested: signing works offline. Raises ``SigningError`` for an
    unusable key/certificate or an unreadable PDF, ``ImproperlyConfigured`` for missing settings.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.fields import SigSeedSubFilter

    if (key_pem is None) != (cert_pem is None):
        raise ValueError("give both key_pem and cert_pem, or neither to use the settings")
    if key_pem is None:
        material = signing_material()
        key_pem, cert_pem, key_passphrase = material.key_pem, material.cert_pem, material.passphrase

    try:
        signer = _signer(key_pem, cert_pem, key_passphrase)
    except Exception as exc:
        raise SigningError(f"unusable signing key or certificate: {exc}") from exc
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        reason=reason or None,
        location=location or None,
    )
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes))
        pdf_signer = signers.PdfSigner(
            meta,
            signer=signer,
            # invisible signature: the protocol's layout already shows who issued it
            new_field_spec=fields.SigFieldSpec(sig_field_name=field_name),
        )
        out = _run_sync(pdf_signer.sign_pdf, writer)
    except Exception as exc:
        raise SigningError(f"cannot sign the PDF: {exc}") from exc
    return out.getvalue()


# --- verification ------------------------------------------------------------------------------


def verify_pdf(pdf_bytes: bytes, *, trusted_cert_pem: bytes | None = None) -> VerificationResult:
    """Check the signatures of a PDF against the trusted certificate(s), offline.

    ``ok`` is True only when the file has at least one signature, every signature's signed bytes
    and CMS signature are intact, every signer certificate is one of the trusted certificates
    (default: the portal's, from settings; several PEM certificates may be given, e.g. an old and a
    new one after a key change) and is valid now, and the last signature covers the whole file:
    a byte appended after signing, even a legitimate incremental update, makes it False.

    A corrupt or unsigned file gives ``ok=False`` with a reason, never an exception. Unusable
    ``trusted_cert_pem`` raises ``ValueError``; missing settings raise ``ImproperlyConfigured``.
    """
    if trusted_cert_pem is None:
        trusted_cert_pem = signing_material(with_key=False).cert_pem
    trusted = load_certificates(trusted_cert_pem)

    try:
        return _verify(pdf_bytes, trusted)
    except Exception as exc:  # the file is input from outside: any failure is a verdict
        return VerificationResult(ok=False, reasons=[f"the file cannot be analysed: {_message(exc)}"])


def _message(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:300]


def _verify(pdf_bytes: bytes, trusted: list) -> VerificationResult:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    if b"%PDF-" not in pdf_bytes[:1024]:  # where PDF readers look for the header
        return VerificationResult(ok=False, reasons=["not a PDF file"])
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes))
        signatures = list(reader.embedded_regular_signatures)
    except Exception as exc:
        return VerificationResult(ok=False, reasons=[f"the PDF cannot be parsed: {_message(exc)}"])
    if not signatures:
        return VerificationResult(ok=False, reasons=["the PDF is not signed"])

    trusted_der = {cert.dump() for cert in trusted}
    reasons: list[str] = []
    all_intact = True
    last_status = None
    last_signer = ""
    for index, embedded in enumerate(signatures, start=1):
        label = f"signature {embedded.field_name or index}"
        context = ValidationContext(trust_roots=trusted, allow_fetching=False, revocation_mode="soft-fail")
        try:
            status = _run_sync(validate_pdf_signature, embedded, context)
        except Exception as exc:
            all_intact = False
            reasons.append(f"{label} cannot be validated: {_message(exc)}")
            last_status = None
            continue
        last_status = status
        last_signer = describe_subject(status.signing_cert)
        if not status.intact:
            all_intact = False
            reasons.append(f"{label}: the signed bytes were changed (digest mismatch)")
        elif not status.valid:
            all_intact = False
            reasons.append(f"{label}: the cryptographic signature is invalid")
        if status.signing_cert.dump() not in trusted_der:
            reasons.append(
                f"{label}: signed by a certificate that is not the trusted one "
                f"({last_signer}, SHA-256 {fingerprint(status.signing_cert)})"
            )
        elif status.intact and status.valid and not status.trusted:
            reasons.append(
                f"{label}: the signer certificate is not valid now "
                f"({status.trust_problem_indic.name if status.trust_problem_indic else 'untrusted'})"
            )
        if status.seed_value_constraint_error is not None:
            reasons.append(f"{label}: {status.seed_value_constraint_error}")

    coverage = last_status.coverage if last_status is not None else None
    modification = last_status.modification_level if last_status is not None else None
    whole = coverage == SignatureCoverageLevel.ENTIRE_FILE
    if last_status is not None and not whole:
        detail = f"pyHanko coverage {coverage.name if coverage else 'unknown'}"
        if modification is not None:
            detail += f", modification level {modification.name}"
        reasons.append(f"the file was changed after it was signed: content follows the signature ({detail})")

    return VerificationResult(
        ok=not reasons,
        intact=all_intact and last_status is not None,
        covers_whole_document=whole,
        signer=last_signer,
        signed_at=last_status.signer_reported_dt if last_status is not None else None,
        reasons=reasons,
        coverage=coverage.name if coverage is not None else "",
        modification_level=modification.name if modification is not None else "",
        signature_count=len(signatures),
    )
