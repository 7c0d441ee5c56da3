"""CSV imports read by a Celery task, never in the request (issue 16: uploads that always end).

The request checks the size (before reading), stores the file and queues ``groups.run_file_import``;
the task runs the import's reader (``units_import`` here, ``preliminary_import`` registered by
protocols) in the uploader's language and records what was imported or every problem found. Any
failure ends the import "not imported" with a plain reason; an import whose task was lost is ended
after IMPORT_STALE_MINUTES, so nothing stays "being read" for good.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import os
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from elections import textfiles
from elections.audit import audit_log
from elections.models import Election

from ..models import FileImport

logger = logging.getLogger(__name__)

FS = FileImport.Status

#: kind -> (reader(*, election, content, actor) -> result, size-limit setting, default MB,
#: may_upload(actor, election) raising PermissionDenied)
READERS: dict[str, tuple[Callable, str, int, Callable]] = {}


def register_reader(
    kind: str, reader: Callable, *, limit_setting: str, default_mb: int, may_upload: Callable
) -> None:
    """Let an app read the files of ``kind`` (protocols registers the preliminary figures)."""
    READERS[kind] = (reader, limit_setting, default_mb, may_upload)


def limit_bytes(kind: str) -> int:
    _reader, setting, default_mb, _may = READERS[kind]
    return textfiles.setting_bytes(setting, default_mb)


def _storable(text) -> str:
    return str(text).replace("\x00", "")[:1000]


def file_import_upload(*, election: Election, kind: str, file, actor, language: str = "ru") -> FileImport:
    """Store an uploaded CSV and queue its reading, audited (``groups.file_import.uploaded``, with
    the size and SHA-256). The permission is the kind's; the reader checks it again in the task,
    with the phase. The size is checked before the file is read."""
    if actor is not None:
        READERS[kind][3](actor, election)
    limit = limit_bytes(kind)
    size = getattr(file, "size", None)
    try:
        if size is not None:
            textfiles.check_size(size, limit)
        digest = hashlib.sha256()
        size = 0
        file.seek(0)
        for chunk in file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
            textfiles.check_size(size, limit)
        if size == 0:
            raise textfiles.TextFileError("empty")
    except textfiles.TextFileError as exc:
        raise ValidationError({"file": exc.message()}) from None
    file.seek(0)
    name = os.path.basename(getattr(file, "name", "") or "import.csv")
    with transaction.atomic():
        file_import = FileImport(
            election=election,
            kind=kind,
            original_name=name[:255],
            size=size,
            sha256=digest.hexdigest(),
            language=(language or "ru")[:2],
            created_by=actor if actor is not None and actor.is_authenticated else None,
        )
        file_import.file.save(name, file if isinstance(file, File) else File(file, name=name), save=False)
        file_import.save()
        audit_log(
            action="groups.file_import.uploaded",
            actor=actor,
            obj=file_import,
            election=election,
            data={"import_id": file_import.pk, "kind": kind, "size": size, "sha256": file_import.sha256},
        )
        import_id = file_import.pk
        from .. import tasks

        transaction.on_commit(lambda: tasks.run_file_import.delay(import_id))
    return file_import


def _claim(import_id: int) -> FileImport | None:
    with transaction.atomic():
        file_import = (
            FileImport.objects.select_for_update(of=("self",))
            .select_related("election", "created_by")
            .filter(pk=import_id)
            .first()
        )
        if file_import is None or file_import.status not in FileImport.ACTIVE:
            return None
        file_import.status = FS.RUNNING
        file_import.started_at = timezone.now()
        file_import.save(update_fields=["status", "started_at"])
        return file_import


def _finish(import_id: int, status: str, *, errors=(), result=None) -> None:
    """Record the end; never raises (a reason that cannot be stored becomes the generic one)."""
    rows = [
        {"line": e.get("line"), "column": _storable(e.get("column", "")), "message": _storable(e["message"])}
        for e in list(errors)[:1000]
    ]
    fields = {"status": status, "errors": rows, "result": result or {}, "finished_at": timezone.now()}
    try:
        FileImport.objects.filter(pk=import_id).update(**fields)
    except Exception:
        logger.exception("file import %s: the outcome could not be stored", import_id)
        generic = [
            {"line": None, "column": "", "message": _("The file could not be read; nothing was imported.")}
        ]
        FileImport.objects.filter(pk=import_id).update(status=FS.FAILED, errors=generic, result={})


def _result_dict(result) -> dict:
    if dataclasses.is_dataclass(result):
        return dataclasses.asdict(result)
    return dict(result or {})


def file_import_run(*, import_id: int) -> bool:
    """Read a stored file with its kind's reader (the task). Idempotent: a finished import is not
    read again."""
    file_import = _claim(import_id)
    if file_import is None:
        return False
    reader = READERS.get(file_import.kind, (None,))[0]
    with translation.override(file_import.language):
        errors: list[dict] = []
        try:
            if reader is None:
                raise ValidationError(_("This kind of file cannot be imported."))
            if file_import.created_by is None:
                raise PermissionDenied(_("The person who uploaded the file no longer has an account."))
            with file_import.file.open("rb") as handle:
                content = handle.read()
            result = reader(election=file_import.election, content=content, actor=file_import.created_by)
        except ValidationError as exc:
            rows = getattr(exc, "rows", None)
            if rows:
                errors = [{"line": r.line, "column": r.column, "message": str(r.message)} for r in rows]
            else:
                errors = [{"line": None, "column": "", "message": m} for m in exc.messages]
        except PermissionDenied as exc:
            errors = [{"line": None, "column": "", "message": str(exc) or _("You may not import this file.")}]
        except Exception:
            logger.exception("file import %s: reading failed", import_id)
            errors = [
                {
                    "line": None,
                    "column": "",
                    "message": _("The file could not be read; nothing was imported."),
                }
            ]
        if errors:
            _finish(import_id, FS.FAILED, errors=errors)
            return False
        _finish(import_id, FS.DONE, result=_result_dict(result))
        return True


def stale_after() -> dt.timedelta:
    return dt.timedelta(minutes=getattr(settings, "IMPORT_STALE_MINUTES", 60))


def file_imports_recover_stale() -> int:
    """End the imports whose task was lost (still waiting or being read IMPORT_STALE_MINUTES after
    the upload): "not imported", with a plain reason. The readers are all-or-nothing, so nothing
    of such a file was stored."""
    cutoff = timezone.now() - stale_after()
    message = _storable(
        _(
            "The work on this file stopped without finishing (the server was restarted?); nothing was imported. Upload the file again."
        )
    )
    return FileImport.objects.filter(status__in=FileImport.ACTIVE, created_at__lt=cutoff).update(
        status=FS.FAILED,
        errors=[{"line": None, "column": "", "message": message}],
        finished_at=timezone.now(),
    )
