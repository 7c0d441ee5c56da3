"""Helpers shared by the services of the electoral structure."""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.permissions import can, is_read_only_observer, refuse_observers, roles_in  # noqa: F401 (re-exported)
from elections.models import Election

_STAGES = list(Election.State.values)


def voting_has_opened(election: Election) -> bool:
    return _STAGES.index(election.state) >= _STAGES.index(Election.State.VOTING)


def refuse_when_archived(election: Election) -> None:
    if election.state == Election.State.ARCHIVED:
        raise ValidationError(_("An archived election cannot be changed."))


def audit_actor(actor) -> dict:
    """``actor``/``role`` arguments of ``audit_log`` for a public form: an anonymous visitor is
    recorded as "public", ``None`` (the demo, a task) as the system."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        return {"actor": None, "role": "public"}
    return {"actor": actor}


def file_digest(file) -> str | None:
    """SHA-256 of an uploaded file's content, recorded in audit entries instead of the file."""
    if not file:
        return None
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(65536), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def system_or(actor, capability: str, obj):
    """``actor`` when it may exercise ``capability`` on ``obj`` itself, else None (the system).

    Used where a decision taken by one body has a consequence another capability governs,
    e.g. an accreditation decided by a CEC member grants the observer role.
    """
    return actor if actor is not None and can(actor, capability, obj) else None
