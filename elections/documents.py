"""Uploaded documents: the type is decided from the content (magic bytes), never from the name."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

SIGNATURES = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpeg": (b"\xff\xd8\xff",),
}
LABELS = {"pdf": "PDF", "png": "PNG", "jpeg": "JPEG"}
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def detect_type(head: bytes) -> str | None:
    for kind, prefixes in SIGNATURES.items():
        if any(head.startswith(p) for p in prefixes):
            return kind
    return None


def validate_document(upload, allowed=("pdf", "jpeg", "png"), max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Return the detected type of ``upload`` or raise a ValidationError a person understands."""
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)}
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(16)
    upload.seek(position)
    kind = detect_type(head)
    if kind not in allowed:
        raise ValidationError(
            _("This file is not a %(types)s document (its content was checked, not its name).")
            % {"types": " / ".join(LABELS[a] for a in allowed)}
        )
    return kind
