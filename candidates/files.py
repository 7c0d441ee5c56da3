"""Uploaded files of candidates: where they are stored. Storage, validation and delivery are
``elections.files`` (a photo becomes public with the candidate's registration, a document never
does); the names below stay importable (models and migrations use them)."""

from __future__ import annotations

from elections.files import MAX_PHOTO_BYTES, PHOTO_TYPES, private_storage, validate_document, validate_photo
from elections.files import random_name as _random_name

__all__ = [
    "MAX_PHOTO_BYTES",
    "PHOTO_TYPES",
    "document_path",
    "photo_path",
    "private_storage",
    "settings_form_path",
    "validate_document",
    "validate_photo",
]


def document_path(instance, filename: str) -> str:
    return _random_name(f"candidates/{instance.election_id}/documents", instance.document)


def photo_path(instance, filename: str) -> str:
    return _random_name(f"candidates/{instance.election_id}/photos", instance.photo)


def settings_form_path(instance, filename: str) -> str:
    return _random_name(f"candidates/{instance.election_id}/forms", instance.application_form)
