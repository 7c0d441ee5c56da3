"""Uploaded documents of the electoral structure: where they are stored and what is accepted.

Files are never served from MEDIA_URL: they live in a private storage (``PRIVATE_MEDIA_ROOT``, by
default ``<MEDIA_ROOT>/../private-media``) under random names and are delivered by views that
check who may read them. The type of a file is decided from its first bytes, never from its name.
"""

from __future__ import annotations

import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024

#: content type -> (leading bytes, file extension)
SIGNATURES = {
    "application/pdf": (b"%PDF-", ".pdf"),
    "image/png": (b"\x89PNG\r\n\x1a\n", ".png"),
    "image/jpeg": (b"\xff\xd8\xff", ".jpg"),
}


class PrivateStorage(FileSystemStorage):
    """A file system storage outside MEDIA_ROOT, resolved from the settings at each access."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        configured = getattr(settings, "PRIVATE_MEDIA_ROOT", None)
        if configured:
            return str(configured)
        return os.path.join(str(settings.MEDIA_ROOT), os.pardir, "private-media")

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        return ""  # no public URL: a view that checks permissions delivers the file


def private_storage() -> PrivateStorage:
    return PrivateStorage()


def sniff_content_type(file) -> str | None:
    """The content type of ``file`` from its magic bytes, or None when it is not accepted."""
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(16)
    file.seek(position)
    for content_type, (magic, _ext) in SIGNATURES.items():
        if head.startswith(magic):
            return content_type
    return None


def _check(file, accepted: tuple[str, ...], message) -> None:
    if file is None or not file:
        return
    if getattr(file, "_committed", False):
        return  # a stored file, checked when it was uploaded
    if file.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(file.size), "limit": filesizeformat(MAX_DOCUMENT_BYTES)},
        )
    if sniff_content_type(file) not in accepted:
        raise ValidationError(message, code="bad_type")


def validate_pdf(file) -> None:
    """A PDF document (checked by its content), at most 10 MB."""
    _check(file, ("application/pdf",), _("Upload a PDF document; this file is not a PDF."))


def validate_document(file) -> None:
    """A PDF, PNG or JPEG document (checked by its content), at most 10 MB."""
    _check(
        file,
        tuple(SIGNATURES),
        _("Upload a PDF, PNG or JPEG document; this file is of another type."),
    )


def _random_name(folder: str, file) -> str:
    content_type = sniff_content_type(file) if hasattr(file, "seek") else None
    ext = SIGNATURES[content_type][1] if content_type else ""
    return f"{folder}/{uuid.uuid4().hex}{ext}"


def regulations_path(instance, filename: str) -> str:
    return _random_name(f"regulations/{instance.election_id}", instance.regulations)


def observer_document_path(instance, filename: str) -> str:
    return _random_name(f"observers/{instance.election_id}", instance.document)


def nomination_document_path(instance, filename: str) -> str:
    return _random_name(f"orgcommittee/{instance.commission.election_id}", instance.decision_document)


def file_import_path(instance, filename: str) -> str:
    return f"imports/{instance.election_id}/{instance.kind}-{uuid.uuid4().hex}.csv"
