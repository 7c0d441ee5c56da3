"""Published heads of the audit log, their signatures, and the anchored check of ``verify_audit``.

The hash chain (``elections.audit``) catches a changed, inserted or deleted row, but not a log that
was rewritten with the portal's own hash function, cut at its end with its head reset, or wiped.
Those are caught by heads published before: the log must still hold each of them at its position.

* :func:`publish_head` records the current head (entry count and hash) in ``PublishedHead``: the
  Celery beat task ``elections.publish_audit_head`` every ``AUDIT_HEAD_PUBLISH_MINUTES`` when the
  head moved, and the services at significant events (a protocol frozen, an archive built, results
  published, an election archived). Publishing writes no audit entry: the entry would move the
  head it publishes.
* :func:`sign_pending_heads` signs every unsigned published head with the portal's key: the exact
  statement (canonical JSON: format, portal, entry count, head hash, time, occasion, certificate
  fingerprint) and a detached signature (RSA PKCS#1 v1.5 or ECDSA, SHA-256) that
  ``openssl dgst -sha256 -verify`` checks with the public certificate (README, "Audit log").
* :func:`verify_anchored` walks the chain once against every head the portal published (the
  table, the anchor sources registered by other apps: signed protocols and archive manifests) and
  the heads an operator kept (``--expect-head``, ``--since``), and checks the signatures of the
  published heads with the portal's certificate.

Dependency direction: the portal's signing key (``PROTOCOL_SIGNING_*``, read by
``elections/signing.py``) signs the documents of the apps above (protocols, minutes of meetings),
and the heads come from the protocols app, which depends on elections, not the other way. So the
protocols app registers, in its ``AppConfig.ready()``, the function that reads the key (:func:`register_signing_key`)
and the sources of the heads it records (:func:`register_anchor_source`); the signature itself is
a few lines of ``cryptography`` here, with no knowledge of PDFs.
"""

from __future__ import annotations

import base64
import csv
import functools
import io
import json
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone, translation

from .audit import GENESIS, Anchor, ChainReport, current_head, verify_chain
from .models import PublishedHead

logger = logging.getLogger("elections.audit")

STATEMENT_FORMAT = "election-portal/audit-head/1"
HISTORY_FORMAT = "election-portal/audit-heads/1"
#: a head published this long before the last signing run and still unsigned lost its signature
SIGNING_GRACE = timedelta(minutes=10)
HASH_RE = re.compile(r"^[0-9a-f]{64}$")

_key_provider: Callable | None = None
_sources: list[Callable[[], Iterable[Anchor]]] = []


# --- hooks -------------------------------------------------------------------------------------


def register_signing_key(provider: Callable) -> None:
    """``provider(with_key=bool)`` returns an object with ``key_pem``, ``cert_pem`` and
    ``passphrase`` (the portal's signing material) or raises ``ImproperlyConfigured``."""
    global _key_provider
    _key_provider = provider


def register_anchor_source(source: Callable[[], Iterable[Anchor]]) -> None:
    """``source()`` yields the :class:`~elections.audit.Anchor` heads an app recorded."""
    if source not in _sources:
        _sources.append(source)


def signing_certificate() -> bytes | None:
    """The portal's certificate (PEM), or None when no key is configured."""
    if _key_provider is None:
        return None
    try:
        return _key_provider(with_key=False).cert_pem
    except ImproperlyConfigured:
        return None


# --- signatures --------------------------------------------------------------------------------


def certificate_fingerprint(cert_pem: bytes) -> str:
    """SHA-256 of the (first) certificate's DER, lower-case hex."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    return x509.load_pem_x509_certificate(cert_pem).fingerprint(hashes.SHA256()).hex()


@functools.lru_cache(maxsize=4)
def _private_key(key_pem: bytes, passphrase: bytes | None):
    from cryptography.hazmat.primitives import serialization

    load = (
        serialization.load_pem_private_key if b"-----BEGIN" in key_pem else serialization.load_der_private_key
    )
    return load(key_pem, password=passphrase)


def sign_bytes(data: bytes, *, key_pem: bytes, passphrase: bytes | None = None) -> bytes:
    """A detached SHA-256 signature of ``data``: RSA PKCS#1 v1.5 or ECDSA (DER), the forms that
    ``openssl dgst -sha256 -sign``/``-verify`` make and check."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

    key = _private_key(key_pem, passphrase)
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return key.sign(data, ec.ECDSA(hashes.SHA256()))
    raise ImproperlyConfigured("The signing key must be an RSA or EC key to sign the audit head.")


def verify_signature(data: bytes, signature: bytes, cert_pem: bytes) -> bool:
    """True when ``signature`` is the certificate's key's SHA-256 signature of ``data``."""
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

    public_key = x509.load_pem_x509_certificate(cert_pem).public_key()
    try:
        if isinstance(public_key, rsa.RSAPublicKey):
            public_key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
        elif isinstance(public_key, ec.EllipticCurvePublicKey):
            public_key.verify(signature, data, ec.ECDSA(hashes.SHA256()))
        else:
            return False
    except (InvalidSignature, ValueError):
        return False
    return True


def _iso(moment) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def statement_for(head: PublishedHead, cert_fingerprint: str) -> str:
    """The exact text that is signed for a published head (canonical JSON, UTF-8, no newline)."""
    payload = {
        "format": STATEMENT_FORMAT,
        "portal": settings.SITE_URL,
        "entries": head.seq,
        "head_hash": head.hash,
        "published_at": _iso(head.published_at),
        "occasion": head.occasion,
        "certificate_sha256": cert_fingerprint,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


# --- publishing ----------------------------------------------------------------------------------


def publish_head(
    *, occasion: str, election=None, seq: int | None = None, head_hash: str = ""
) -> PublishedHead:
    """Record a head as published (the current one unless ``seq`` and ``head_hash`` are given) and
    sign it after commit. Call it inside the transaction of the event it marks."""
    if seq is None:
        seq, head_hash, _at = current_head()
    head = PublishedHead(seq=seq, hash=head_hash, occasion=occasion, election=election)
    head.full_clean(exclude=["election"])
    head.save()
    # robust: a failure to queue or to sign (eager Celery) is logged, never the event's error
    transaction.on_commit(_queue_signing, robust=True)
    return head


def _queue_signing() -> None:
    from .tasks import sign_audit_heads

    sign_audit_heads.delay()


def publish_scheduled_head() -> PublishedHead | None:
    """The regular publication (Celery beat): a new row only when the head moved since the last."""
    seq, head_hash, _at = current_head()
    last = PublishedHead.objects.order_by("-id").first()
    if (last is None and seq == 0) or (last is not None and (last.seq, last.hash) == (seq, head_hash)):
        return None
    with transaction.atomic():
        return publish_head(occasion=PublishedHead.Occasion.SCHEDULED, seq=seq, head_hash=head_hash)


def publish_head_after_commit(*, occasion: str, election=None) -> None:
    """Publish the head as it is once the current transaction has committed (so that it holds the
    transaction's own entries); for lifecycle steps, whose entry is written after their actions."""
    election_id = election.pk if election is not None else None

    def publish():
        with transaction.atomic():
            publish_head(occasion=occasion, election=election_id and _election(election_id))

    transaction.on_commit(publish, robust=True)  # the step is done; a failure here is only logged


def _election(pk):
    from .models import Election

    return Election.objects.filter(pk=pk).first()


def sign_pending_heads() -> int:
    """Sign every published head that has no signature yet, oldest first; returns how many.

    Without a configured key nothing is signed (a warning in the log) and the heads stay
    published unsigned; they are signed by the first run after the key is configured."""
    if _key_provider is None:
        return 0
    try:
        material = _key_provider(with_key=True)
        fingerprint = certificate_fingerprint(material.cert_pem)
    except (ImproperlyConfigured, ValueError) as exc:
        logger.warning("audit heads not signed: %s", exc)
        return 0
    signed = 0
    with transaction.atomic():
        pending = (
            PublishedHead.objects.select_for_update(skip_locked=True).filter(signature="").order_by("id")
        )
        now = timezone.now()
        for head in pending:
            head.statement = statement_for(head, fingerprint)
            try:
                signature = sign_bytes(
                    head.statement.encode("utf-8"), key_pem=material.key_pem, passphrase=material.passphrase
                )
            except (ImproperlyConfigured, ValueError, TypeError) as exc:
                logger.error("audit heads not signed: unusable signing key: %s", exc)
                break
            head.signature = base64.b64encode(signature).decode("ascii")
            head.signed_at = now
            head.save(update_fields=["statement", "signature", "signed_at"])
            signed += 1
    return signed


def latest_signed_head() -> PublishedHead | None:
    return PublishedHead.objects.exclude(signature="").order_by("-id").first()


def history_document(heads: Iterable[PublishedHead]) -> dict:
    """The public history as the JSON download gives it (``verify_audit --since`` reads it)."""
    seq, head_hash, _at = current_head()
    return {
        "format": HISTORY_FORMAT,
        "portal": settings.SITE_URL,
        "downloaded_at": _iso(timezone.now()),
        "current": {"entries": seq, "head_hash": head_hash},
        "heads": [
            {
                "entries": h.seq,
                "head_hash": h.hash,
                "published_at": _iso(h.published_at),
                "occasion": h.occasion,
                "statement": h.statement,
                "signature": h.signature,
            }
            for h in heads
        ],
    }


# --- the anchored check ------------------------------------------------------------------------


def _describe(head: PublishedHead) -> str:
    with translation.override("en"):
        occasion = head.get_occasion_display()
    return f"the head published at {_iso(head.published_at)} ({occasion})"


def published_anchors(heads: Iterable[PublishedHead]) -> list[Anchor]:
    return [Anchor(hash=h.hash, seq=h.seq, source=_describe(h)) for h in heads]


def registered_anchors() -> list[Anchor]:
    """The heads other apps recorded (signed protocols, archive manifests)."""
    found: list[Anchor] = []
    for source in _sources:
        found.extend(source())
    return found


class KeptHeadsError(ValueError):
    """A file of kept heads (``--since``) cannot be read; the message says why in plain words."""


def _head_of(item, where: str) -> Anchor:
    if not isinstance(item, dict):
        raise KeptHeadsError(f"{where}: expected an object with entries and head_hash")
    seq = item.get("entries", item.get("seq"))
    head_hash = item.get("head_hash", item.get("hash"))
    if isinstance(seq, str) and seq.strip().isdigit():
        seq = int(seq.strip())
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        raise KeptHeadsError(f"{where}: the entry count is missing or not a whole number")
    if not isinstance(head_hash, str) or not HASH_RE.match(head_hash.strip().lower()):
        raise KeptHeadsError(f"{where}: the head hash is missing or not 64 hexadecimal digits")
    when = item.get("published_at") or ""
    label = f"{where} (kept head of {when})" if when else f"{where} (kept head)"
    return Anchor(hash=head_hash.strip().lower(), seq=seq, source=label)


def kept_heads(text: str, name: str) -> list[Anchor]:
    """The heads of a file kept earlier: the history JSON of the public head page, one signed head
    (``head.json``), a JSON list of heads, or a CSV with the columns ``entries``/``seq`` and
    ``head_hash``/``hash``. Raises :class:`KeptHeadsError` for anything else."""
    text = text.lstrip("\ufeff")
    stripped = text.strip()
    if not stripped:
        raise KeptHeadsError(f"{name} is empty")
    if stripped[0] in "[{":
        try:
            document = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise KeptHeadsError(f"{name} is not valid JSON: {exc.msg} at line {exc.lineno}") from None
        if isinstance(document, dict) and isinstance(document.get("heads"), list):
            items = [(f"{name}, head {i}", h) for i, h in enumerate(document["heads"], start=1)]
            if isinstance(document.get("current"), dict):
                items.append((f"{name}, current head", document["current"]))
        elif isinstance(document, dict):
            items = [(name, document)]
        elif isinstance(document, list):
            items = [(f"{name}, head {i}", h) for i, h in enumerate(document, start=1)]
        else:
            raise KeptHeadsError(f"{name} holds no heads")
        return [_head_of(item, where) for where, item in items]
    rows = list(csv.DictReader(io.StringIO(text)))
    if not rows:
        raise KeptHeadsError(f"{name} holds no heads")
    return [_head_of(row, f"{name}, line {i}") for i, row in enumerate(rows, start=2)]


@dataclass
class AnchoredReport:
    """The chain's own report plus what the published heads' signatures say."""

    chain: ChainReport
    signature_problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.signature_problems


def check_signatures(heads: list[PublishedHead], cert_pem: bytes | None) -> tuple[list[str], list[str]]:
    """Problems and notes about the signatures of the published heads.

    A signed head must match its statement and its signature must verify with the portal's
    certificate (else the table of published heads was altered). A head signed with another
    certificate (a previous key) is not checked, which is said in a note. An unsigned head that was
    published well before the last signing run lost its signature (the run signs every pending one).
    """
    problems: list[str] = []
    notes: list[str] = []
    if cert_pem is None:
        if heads:
            notes.append(
                "no signing certificate is configured: the signatures of published heads were not checked"
            )
        return problems, notes
    fingerprint = certificate_fingerprint(cert_pem)
    last_signing = max((h.signed_at for h in heads if h.signature and h.signed_at), default=None)
    other_certificate = unsigned = 0
    for head in heads:
        what = _describe(head)
        if not head.signature:
            if last_signing is not None and head.published_at < last_signing - SIGNING_GRACE:
                problems.append(f"{what} has no signature, although later heads were signed after it")
            else:
                unsigned += 1
            continue
        try:
            statement = json.loads(head.statement)
            signature = base64.b64decode(head.signature, validate=True)
        except (ValueError, TypeError):
            problems.append(f"{what}: its signed statement or signature is unreadable")
            continue
        if not isinstance(statement, dict) or (statement.get("entries"), statement.get("head_hash")) != (
            head.seq,
            head.hash,
        ):
            problems.append(
                f"{what} records {head.seq} entries and head {head.hash}, but its signed statement says "
                f"otherwise: the table of published heads was altered"
            )
            continue
        if statement.get("certificate_sha256") != fingerprint:
            other_certificate += 1
            continue
        if not verify_signature(head.statement.encode("utf-8"), signature, cert_pem):
            problems.append(f"{what}: the signature does not verify with the portal's certificate")
    if other_certificate:
        notes.append(
            f"{other_certificate} published heads were signed with another certificate and not checked"
        )
    if unsigned:
        notes.append(f"{unsigned} published heads are not signed yet")
    return problems, notes


def verify_anchored(*, extra: Iterable[Anchor] = ()) -> AnchoredReport:
    """The chain checked against every published head, the registered sources and ``extra``."""
    heads = list(PublishedHead.objects.order_by("id"))
    anchors = published_anchors(heads) + registered_anchors() + list(extra)
    chain = verify_chain(anchors=anchors)
    problems, notes = check_signatures(heads, signing_certificate())
    notes.insert(0, f"{chain.anchors_checked} published or kept heads checked against the log")
    return AnchoredReport(chain=chain, signature_problems=problems, notes=notes)


def expected_head(value: str) -> Anchor:
    """``--expect-head HASH``: a head noted earlier, which must be an entry of the log."""
    value = (value or "").strip().lower()
    if not HASH_RE.match(value):
        raise KeptHeadsError(f"{value!r} is not a head hash: 64 hexadecimal digits are expected")
    return Anchor(hash=value, seq=None, source="given with --expect-head")


__all__ = [
    "GENESIS",
    "AnchoredReport",
    "KeptHeadsError",
    "check_signatures",
    "expected_head",
    "history_document",
    "kept_heads",
    "latest_signed_head",
    "publish_head",
    "publish_head_after_commit",
    "publish_scheduled_head",
    "register_anchor_source",
    "register_signing_key",
    "sign_bytes",
    "sign_pending_heads",
    "signing_certificate",
    "statement_for",
    "verify_anchored",
    "verify_signature",
]
