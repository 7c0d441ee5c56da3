"""Uploaded documents of the electoral structure: where they are stored. Storage, validation and
delivery are ``elections.files``; the names below stay importable (models and migrations use
them)."""

from __future__ import annotations

import uuid

from elections.files import (
    MAX_DOCUMENT_BYTES,
    SIGNATURES,
    PrivateStorage,
    private_storage,
    sniff_content_type,
    validate_document,
    validate_pdf,
)
from elections.files import random_name as _random_name

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "SIGNATURES",
    "PrivateStorage",
    "file_import_path",
    "nomination_document_path",
    "observer_document_path",
    "private_storage",
    "regulations_path",
    "sniff_content_type",
    "validate_document",
    "validate_pdf",
]


def regulations_path(instance, filename: str) -> str:
    return _random_name(f"regulations/{instance.election_id}", instance.regulations)


def observer_document_path(instance, filename: str) -> str:
    return _random_name(f"observers/{instance.election_id}", instance.document)


def nomination_document_path(instance, filename: str) -> str:
    return _random_name(f"orgcommittee/{instance.commission.election_id}", instance.decision_document)


def file_import_path(instance, filename: str) -> str:
    return f"imports/{instance.election_id}/{instance.kind}-{uuid.uuid4().hex}.csv"
