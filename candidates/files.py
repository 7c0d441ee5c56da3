"""Uploaded files of candidates: where they are stored and what is accepted.

Signed application forms and photos live in the private storage of ``groups.files`` (never under
MEDIA_URL) under random names, and are delivered by views that check who may read them: a photo
becomes public with the candidate's registration, a document never does. The type of a file is
decided from its first bytes, never from its name.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from groups.files import SIGNATURES, private_storage, sniff_content_type, validate_document

__all__ = [
    "MAX_PHOTO_BYTES",
    "document_path",
    "photo_path",
    "private_storage",
    "validate_document",
    "validate_photo",
]

MAX_PHOTO_BYTES = 5 * 1024 * 1024
PHOTO_TYPES = ("image/jpeg", "image/png")


def validate_photo(file) -> None:
    """A JPEG or PNG picture (checked by its content), at most 5 MB."""
    if file is None or not file or getattr(file, "_committed", False):
        return
    if file.size > MAX_PHOTO_BYTES:
        raise ValidationError(
            _("The photo is too large (%(size)s); the limit is %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(file.size), "limit": filesizeformat(MAX_PHOTO_BYTES)},
        )
    if sniff_content_type(file) not in PHOTO_TYPES:
        raise ValidationError(
            _("Upload a JPEG or PNG picture; this file is of another type."), code="bad_type"
        )


def _random_name(folder: str, file) -> str:
    content_type = sniff_content_type(file) if hasattr(file, "seek") else None
    ext = SIGNATURES[content_type][1] if content_type else ""
    return f"{folder}/{uuid.uuid4().hex}{ext}"


def document_path(instance, filename: str) -> str:
    return _random_name(f"candidates/{instance.election_id}/documents", instance.document)


def photo_path(instance, filename: str) -> str:
    return _random_name(f"candidates/{instance.election_id}/photos", instance.photo)


def settings_form_path(instance, filename: str) -> str:
    return _random_name(f"candidates/{instance.election_id}/forms", instance.application_form)
