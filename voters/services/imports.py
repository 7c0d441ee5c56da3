"""Import of the voter register extract (seed 003 items 8–9: the state registration service
compiles the list from the register and hands it to the CEC by precinct).

Upload (the secretariat) → a Celery task checks every row in one streaming pass and writes a
per-row report → the secretariat confirms: "all or nothing" (the default; refused while any row
has a problem) or, on purpose, "only the valid rows" → a second task loads the rows in one
transaction (PostgreSQL COPY into a scratch table, then INSERT … SELECT), so nothing is ever
half-imported. Both steps are audited; the audit entry carries the counts and the file's SHA-256,
never personal data. The request never does the work: it only stores the file and queues tasks.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import logging
import os
import tempfile

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.permissions import require
from elections import textfiles
from elections.audit import audit_log
from elections.models import Election
from elections.outbox import queue_after_commit, queue_now
from groups.models import TerritorialUnit

from .. import importer, selectors
from ..models import RegisterImport
from ._common import has_reached, locked_settings, refuse_observers, refuse_when_archived

logger = logging.getLogger(__name__)

IS = RegisterImport.Status
PREVIEW_LIMIT = 200


def max_upload_bytes() -> int:
    """IMPORT_REGISTER_MAX_MB (default 1024): the largest register extract accepted."""
    return textfiles.setting_bytes("IMPORT_REGISTER_MAX_MB", 1024)


def stale_after() -> dt.timedelta:
    """IMPORT_STALE_MINUTES (default 60): an import still "being checked" or "being imported"
    this long after it started has lost its task (a worker killed, a lost message)."""
    return dt.timedelta(minutes=getattr(settings, "IMPORT_STALE_MINUTES", 60))


def progress_key(import_id: int) -> str:
    return f"voters:import:{import_id}:progress"


def _refuse_changes_to_list(election: Election) -> None:
    refuse_when_archived(election)
    if has_reached(election, Election.State.VOTING):
        raise ValidationError(_("The voter list can no longer be imported: voting has opened."))
    if selectors.voter_settings(election).is_list_frozen:
        raise ValidationError(
            _("The final voter list is frozen; a change to it needs a recorded decision on the entry.")
        )


def _digest(file) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    file.seek(0)
    for chunk in file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(1 << 20), b""):
        digest.update(chunk)
        size += len(chunk)
    file.seek(0)
    return digest.hexdigest(), size


@transaction.atomic
def register_import_upload(*, election: Election, file, actor, language: str = "ru") -> RegisterImport:
    """Store an extract (CSV or XLSX) and queue its check. One import of an election runs at a
    time."""
    if actor is not None:
        require(actor, "voter.manage", election)
    refuse_observers(actor, election)
    locked_settings(election)  # serialises uploads of the same election
    _refuse_changes_to_list(election)
    register_imports_recover_stale(election=election)
    if RegisterImport.objects.filter(election=election, status__in=RegisterImport.ACTIVE).exists():
        raise ValidationError(_("Another import of this election is still running; wait for it to finish."))
    limit = max_upload_bytes()
    if getattr(file, "size", None) is not None and file.size > limit:  # before reading it
        raise ValidationError(
            {"file": textfiles.TextFileError("too_large", limit=textfiles.size_label(limit)).message()}
        )
    sha256, size = _digest(file)
    if size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    if size > limit:
        raise ValidationError(
            {"file": textfiles.TextFileError("too_large", limit=textfiles.size_label(limit)).message()}
        )
    file.seek(0)
    head = file.read(4)
    file.seek(0)
    name = os.path.basename(getattr(file, "name", "") or "extract.csv")
    register_import = RegisterImport(
        election=election,
        original_name=name[:255],
        file_format="xlsx" if head == b"PK\x03\x04" else "csv",
        size=size,
        sha256=sha256,
        language=language,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    register_import.file.save(name, file if isinstance(file, File) else File(file, name=name), save=False)
    register_import.full_clean()
    register_import.save()
    audit_log(
        action="voters.register.uploaded",
        actor=actor,
        obj=register_import,
        election=election,
        data={
            "import_id": register_import.pk,
            "format": register_import.file_format,
            "size": size,
            "sha256": sha256,
        },
    )
    import_id = register_import.pk
    from .. import tasks

    queue_after_commit(tasks.validate_register_import, import_id)  # swept if lost: requeue_stalled
    return register_import


def _claim(import_id: int, allowed: tuple[str, ...], new_status: str) -> RegisterImport | None:
    with transaction.atomic():
        register_import = (
            RegisterImport.objects.select_for_update().select_related("election").filter(pk=import_id).first()
        )
        if register_import is None or register_import.status not in allowed:
            return None
        register_import.status = new_status
        register_import.progress = 0
        register_import.save(update_fields=["status", "progress"])
        return register_import


def _storable(value):
    """A problem's parameter as the database can store it whatever the file held (PostgreSQL's
    JSON refuses NUL; a 5 MB header cell is not a message)."""
    if isinstance(value, str):
        return value.replace("\x00", "")[:200]
    return value


def _fail(register_import: RegisterImport, message: str, file_problems=None) -> None:
    """Mark the import failed with its reason. Never raises: a failure to record the reason
    still ends the import (with the generic reason), so it never blocks the next upload."""
    problems = [{k: _storable(v) for k, v in p.items()} for p in file_problems or []]
    try:
        importer.clear(register_import.pk)
    except Exception:
        logger.exception("register import %s: the scratch rows could not be cleared", register_import.pk)
    try:
        RegisterImport.objects.filter(pk=register_import.pk).update(
            status=IS.FAILED, message=_storable(message), file_problems=problems, finished_at=timezone.now()
        )
    except Exception:
        logger.exception("register import %s: the reason could not be stored", register_import.pk)
        RegisterImport.objects.filter(pk=register_import.pk).update(
            status=IS.FAILED, message="check_failed", file_problems=[], finished_at=timezone.now()
        )


def _problem_entry(problem: tuple) -> dict:
    if problem[0] == "text":  # ("text", decoder code, params)
        return {"code": "text", "param": problem[1], **problem[2]}
    return {"code": problem[0], "param": problem[1]}


def register_imports_recover_stale(*, election: Election | None = None) -> int:
    """End the imports whose task was lost (IMPORT_STALE_MINUTES after they started still
    "waiting", "being checked" or "being imported"): they fail with a plain reason and no longer
    block the next upload. Nothing was imported by them: the load is one transaction. Returns
    how many were ended (the upload calls it; so does a periodic task)."""
    cutoff = timezone.now() - stale_after()
    stale = RegisterImport.objects.filter(
        status__in=(IS.QUEUED, IS.VALIDATING), created_at__lt=cutoff
    ) | RegisterImport.objects.filter(status=IS.IMPORTING, confirmed_at__lt=cutoff)
    if election is not None:
        stale = stale.filter(election=election)
    ended = 0
    for register_import in stale.select_related("election"):
        updated = RegisterImport.objects.filter(pk=register_import.pk, status=register_import.status).update(
            status=IS.FAILED, message="stale", file_problems=[], finished_at=timezone.now()
        )
        if updated:
            ended += 1
            try:
                importer.clear(register_import.pk)
            except Exception:
                logger.exception(
                    "register import %s: the scratch rows could not be cleared", register_import.pk
                )
            logger.warning("register import %s: no task finished it; marked failed", register_import.pk)
    return ended


def _check_rows(register_import: RegisterImport, *, encoding: str | None):
    """One streaming pass: every row checked and written to the scratch tables in chunks.
    Returns (rows read, the source)."""
    batch = register_import.pk
    election = register_import.election
    importer.clear(batch)
    source = importer.open_source(register_import.file.path, encoding)
    try:
        positions = importer.map_header(source.header)
        precincts = dict(
            TerritorialUnit.objects.filter(election=election, kind=TerritorialUnit.Kind.PRECINCT).values_list(
                "number", "pk"
            )
        )
        limits = importer.limits_for(election.voting_day, timezone.now().astimezone(election.tz).date())
        total = 0
        for rows, problems, total in importer.check_rows(source, positions, batch, precincts, limits):
            with transaction.atomic():
                importer.write_chunk(rows, problems)
                RegisterImport.objects.filter(pk=batch).update(
                    rows_total=total, progress=int(source.fraction() * 90)
                )
    finally:
        source.close()
    return total, source


def register_import_validate(*, import_id: int) -> bool:
    """Check every row of the file (the task). Idempotent: a retried task starts the check
    again from a clean scratch table; a finished check is not repeated."""
    register_import = _claim(import_id, (IS.QUEUED, IS.VALIDATING), IS.VALIDATING)
    if register_import is None:
        return False
    batch = register_import.pk
    election = register_import.election
    try:
        try:
            total, source = _check_rows(register_import, encoding=None)
        except UnicodeDecodeError:  # not UTF-8 after all: Windows-1251, or refused naming the line
            total, source = _check_rows(
                register_import, encoding=importer.csv_encoding(register_import.file.path)
            )
        if total == 0:
            raise importer.FileRefused([("no_rows", "")])
        with transaction.atomic():
            importer.find_duplicates(batch)
            if selectors.uses_register(election):
                importer.find_conflicts(batch, election.pk)
            importer.mark_rows_with_problems(batch)
            counts = importer.summarise(batch)
        preview, report = _write_report(register_import)
        RegisterImport.objects.filter(pk=batch).update(
            status=IS.VALIDATED,
            progress=100,
            rows_total=total,
            encoding=source.encoding,
            problems_preview=preview,
            validated_at=timezone.now(),
            **counts,
        )
        if report is not None:
            register_import.refresh_from_db()
            with open(report, "rb") as handle:
                register_import.error_report.save("report.csv", File(handle), save=True)
            os.unlink(report)
        return True
    except importer.FileRefused as exc:
        _fail(register_import, "", [_problem_entry(p) for p in exc.problems])
        return False
    except Exception:
        logger.exception("register import %s: the check failed", batch)
        _fail(register_import, "check_failed")
        return False


def _write_report(register_import: RegisterImport) -> tuple[list[dict], str | None]:
    """The first problems (shown on the page) and the full report as a CSV file (a temporary
    path, or None when there is no problem)."""
    preview: list[dict] = []
    path = None
    with translation.override(register_import.language):
        for line, field, code, value, param, param2 in importer.iter_problems(register_import.pk):
            if path is None:
                handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below
                    "w", encoding="utf-8-sig", newline="", suffix=".csv", delete=False
                )
                path = handle.name
                writer = csv.writer(handle)
                writer.writerow([_("Line"), _("Column"), _("Value"), _("Problem")])
            writer.writerow([line, field, value, importer.problem_message(code, param, param2)])
            if len(preview) < PREVIEW_LIMIT:
                preview.append(
                    {
                        "line": line,
                        "field": field,
                        "code": code,
                        "value": value,
                        "param": param,
                        "param2": param2,
                    }
                )
        if path is not None:
            handle.close()
    return preview, path


@transaction.atomic
def register_import_confirm(*, register_import: RegisterImport, actor, mode: str) -> RegisterImport:
    """Confirm the import of a checked file. "All or nothing" is refused while any row has a
    problem; "only the valid rows" is a choice made on purpose (the form asks to confirm it)."""
    register_import = (
        RegisterImport.objects.select_for_update(of=("self",))
        .select_related("election")
        .get(pk=register_import.pk)
    )
    election = register_import.election
    if actor is not None:
        require(actor, "voter.manage", election)
    refuse_observers(actor, election)
    locked_settings(election)
    _refuse_changes_to_list(election)
    if register_import.status != IS.VALIDATED:
        raise ValidationError(_("Only a checked file can be imported."))
    if mode not in RegisterImport.Mode.values:
        raise ValidationError(_("Unknown mode."))
    if mode == RegisterImport.Mode.ALL_OR_NOTHING and register_import.rows_invalid:
        raise ValidationError(
            ngettext(
                "%(count)s row has problems: nothing is imported while problems remain. Correct the file "
                "and upload it again, or choose on purpose to import only the valid rows.",
                "%(count)s rows have problems: nothing is imported while problems remain. Correct the file "
                "and upload it again, or choose on purpose to import only the valid rows.",
                register_import.rows_invalid,
            )
            % {"count": register_import.rows_invalid}
        )
    if register_import.rows_valid_new == 0:
        raise ValidationError(_("The file has no new valid rows to import."))
    newer = RegisterImport.objects.filter(
        election=election, status=IS.IMPORTED, finished_at__gt=register_import.validated_at
    )
    if newer.exists():
        raise ValidationError(
            _("The voter list changed after this file was checked; upload the file again to check it anew.")
        )
    register_import.status = IS.IMPORTING
    register_import.mode = mode
    register_import.progress = 0
    register_import.confirmed_at = timezone.now()
    register_import.confirmed_by = actor if actor is not None and actor.is_authenticated else None
    register_import.save(update_fields=["status", "mode", "progress", "confirmed_at", "confirmed_by"])
    import_id = register_import.pk
    from .. import tasks

    queue_after_commit(tasks.run_register_import, import_id)  # swept if lost: requeue_stalled
    return register_import


class _ChecksLost(Exception):
    """The scratch table no longer holds every checked row of the import (PostgreSQL empties
    UNLOGGED tables after a crash): loading would import too few rows, or none, and call it done."""


def register_import_run(*, import_id: int) -> bool:
    """Load the checked rows (the task): one transaction, audited; on any failure nothing stays."""
    key = progress_key(import_id)
    try:
        with transaction.atomic():
            register_import = (
                RegisterImport.objects.select_for_update(of=("self",))
                .select_related("election", "confirmed_by")
                .filter(pk=import_id, status=IS.IMPORTING)
                .first()
            )
            if register_import is None:
                return False
            election = register_import.election
            locked_settings(election)
            _refuse_changes_to_list(election)
            if importer.rows_kept(register_import.pk) != register_import.rows_total:
                raise _ChecksLost
            now = timezone.now()
            imported = importer.load(
                batch=register_import.pk,
                election_id=election.pk,
                import_id=register_import.pk,
                now=now,
                progress=lambda fraction: cache.set(key, int(fraction * 100), 3600),
            )
            register_import.status = IS.IMPORTED
            register_import.rows_imported = imported
            register_import.progress = 100
            register_import.finished_at = timezone.now()
            register_import.save(update_fields=["status", "rows_imported", "progress", "finished_at"])
            audit_log(
                action="voters.register.imported",
                actor=register_import.confirmed_by,
                obj=register_import,
                election=election,
                data={
                    "import_id": register_import.pk,
                    "mode": register_import.mode,
                    "rows": register_import.rows_total,
                    "imported": imported,
                    "rows_with_problems": register_import.rows_invalid,
                    "already_on_list": register_import.rows_unchanged,
                    "sha256": register_import.sha256,
                },
            )
    except _ChecksLost:
        logger.error("register import %s: the checked rows are gone from the scratch table", import_id)
        _fail(RegisterImport.objects.get(pk=import_id), "checks_lost")
        return False
    except (IntegrityError, ValidationError) as exc:
        logger.warning("register import %s refused at load: %s", import_id, exc)
        register_import = RegisterImport.objects.get(pk=import_id)
        _fail(register_import, "changed" if isinstance(exc, IntegrityError) else " ".join(exc.messages))
        return False
    except Exception:
        logger.exception("register import %s: the load failed", import_id)
        register_import = RegisterImport.objects.get(pk=import_id)
        _fail(register_import, "load_failed")
        return False
    finally:
        cache.delete(key)
    importer.clear(import_id)
    importer.refresh_statistics()
    return True


@transaction.atomic
def register_import_discard(*, register_import: RegisterImport, actor) -> RegisterImport:
    """Drop a checked (or failed) file without importing it."""
    register_import = (
        RegisterImport.objects.select_for_update(of=("self",))
        .select_related("election")
        .get(pk=register_import.pk)
    )
    if actor is not None:
        require(actor, "voter.manage", register_import.election)
    refuse_observers(actor, register_import.election)
    if register_import.status not in (IS.VALIDATED, IS.FAILED):
        raise ValidationError(_("Only a checked or failed import can be discarded."))
    register_import.status = IS.DISCARDED
    register_import.finished_at = timezone.now()
    register_import.save(update_fields=["status", "finished_at"])
    importer.clear(register_import.pk)
    audit_log(
        action="voters.register.import_discarded",
        actor=actor,
        obj=register_import,
        election=register_import.election,
        data={"import_id": register_import.pk, "sha256": register_import.sha256},
    )
    return register_import


def failure_message(register_import: RegisterImport) -> str:
    """The reason a failed import failed, in the active language."""
    if register_import.file_problems:
        return " ".join(
            importer.file_problem_message(p.get("code", ""), p.get("param", ""), p)
            for p in register_import.file_problems
        )
    return {
        "changed": _("The voter list changed while the file was being imported; nothing was imported."),
        "check_failed": _("The file could not be checked; nothing was imported."),
        "stale": _(
            "The work on this file stopped without finishing (the server was restarted?); nothing "
            "was imported. Upload the file again."
        ),
        "load_failed": _("The import failed; nothing was imported."),
        "checks_lost": _(
            "The results of the check were lost (the database was restarted after the check); "
            "nothing was imported. Upload the file again to check it anew."
        ),
        "": "",
    }.get(register_import.message, register_import.message)


def register_imports_requeue_stalled(*, older_than_minutes: int = 10) -> int:
    """Queue again the checks and loads whose Celery message was lost (the broker was down or
    restarted empty): an import still waiting to be checked, or confirmed and still waiting to be
    loaded, ``older_than_minutes`` after it was uploaded or confirmed. Safe to repeat: the check
    and the load each claim their import by its state (a load holds the import's row lock)."""
    from .. import tasks

    cutoff = timezone.now() - dt.timedelta(minutes=older_than_minutes)
    requeued = 0
    for pk in RegisterImport.objects.filter(status=IS.QUEUED, created_at__lt=cutoff).values_list(
        "pk", flat=True
    ):
        requeued += queue_now(tasks.validate_register_import, pk)
    for pk in RegisterImport.objects.filter(status=IS.IMPORTING, confirmed_at__lt=cutoff).values_list(
        "pk", flat=True
    ):
        requeued += queue_now(tasks.run_register_import, pk)
    return requeued
