"""Uploaded files, for every app: the private storage, what is accepted and private delivery.

Files are never served from MEDIA_URL: they live in a private storage (``PRIVATE_MEDIA_ROOT``, by
default ``<MEDIA_ROOT>/../private-media``) under random names and are delivered by views that
check who may read them (``serve_private_file``). The type of a file is decided from its first
bytes, never from its name. Where each app keeps its files stays in the app (``upload_to``).
"""

from __future__ import annotations

import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
MAX_PHOTO_BYTES = 5 * 1024 * 1024
PHOTO_TYPES = ("image/jpeg", "image/png")

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


def _check(file, accepted: tuple[str, ...], message, *, limit: int | None = None, too_large=None) -> None:
    limit = MAX_DOCUMENT_BYTES if limit is None else limit  # read now: a test may lower it
    if file is None or not file:
        return
    if getattr(file, "_committed", False):
        return  # a stored file, checked when it was uploaded
    if file.size > limit:
        raise ValidationError(
            too_large or _("The file is too large (%(size)s); the limit is %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
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


def validate_photo(file) -> None:
    """A JPEG or PNG picture (checked by its content), at most 5 MB."""
    _check(
        file,
        PHOTO_TYPES,
        _("Upload a JPEG or PNG picture; this file is of another type."),
        limit=MAX_PHOTO_BYTES,
        too_large=_("The photo is too large (%(size)s); the limit is %(limit)s."),
    )


def random_name(folder: str, file) -> str:
    """``<folder>/<random>.<ext>``, the extension from the file's content (none when unknown)."""
    content_type = sniff_content_type(file) if hasattr(file, "seek") else None
    ext = SIGNATURES[content_type][1] if content_type else ""
    return f"{folder}/{uuid.uuid4().hex}{ext}"


def attachment_name(prefix: str, field_file) -> str:
    return prefix + os.path.splitext(field_file.name)[1]


def serve_private_file(field_file, filename: str, *, inline: bool = False):
    """Deliver a stored file (the caller has checked who may read it): 404 when there is none,
    the content type from its first bytes, never sniffed again by the browser."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = sniff_content_type(handle) or "application/octet-stream"
    response = FileResponse(handle, as_attachment=not inline, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
