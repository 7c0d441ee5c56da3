"""The audit log as the accounts app writes to it.

``accounts`` sits below every domain app (the picture in pyproject.toml), so it cannot import the
log, which lives in ``elections/audit.py``. The elections app registers the writer when it starts
(``ElectionsConfig.ready``), as other apps register lifecycle guards. Writing before a writer is
registered is an error, never a silent skip: an account change must not go unrecorded.
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

_writer: Callable | None = None


def register_audit_writer(writer: Callable) -> None:
    """Called once by ``elections`` with ``elections.audit.audit_log``."""
    global _writer
    _writer = writer


def audit_log(*, action: str, actor=None, obj=None, election=None, data=None):
    """Append one entry to the portal's audit log (in the caller's transaction)."""
    if _writer is None:
        raise ImproperlyConfigured("The audit log is not available: no app registered its writer.")
    return _writer(action=action, actor=actor, obj=obj, election=election, data=data)
