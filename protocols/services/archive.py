"""Archive ZIPs of an election or of one electoral group, and the purge of personal data after
them (seed 000 item 23; docs/retention.md).

``archive_build`` writes the ZIP member by member into a temporary file (every member is hashed
while it is written, files are copied in 1 MiB chunks, rows are streamed from the database), so
no member is held in memory; then it stores the file and, in one short transaction, the
``ElectionArchive`` row with the manifest and the ZIP's SHA-256, and the audit entry. The ZIP is
built outside that transaction on purpose: on SQLite an open write transaction would lock every
other writer of the portal for as long as the ZIP takes.

``personal_data_purge`` removes the personal data that is no longer needed once the election is
archived and the retention period has passed; it never deletes a counted row, a protocol, a
ballot or an audit entry (docs/retention.md lists every field).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import secrets
import shutil
import tempfile
import zipfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat, LPad
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.permissions import require
from ballots.selectors import ballot_set_fingerprint, paper_batches
from candidates.models import Application
from candidates.package import csv_cell
from elections.audit import audit_log, canonical_json, current_head
from elections.audit_anchors import publish_head
from elections.models import Election, OutboxMail, PublishedHead
from elections.spreadsheets import csv_writer
from groups.models import ObserverApplication
from voters.models import (
    CorrectionRequest,
    RegisterEntry,
    RegisterEntryChange,
    RegisterImport,
    RegisterImportProblem,
    RegisterImportRow,
    VoterRegistration,
    VotingCredential,
)

from .. import archive_selectors as sel
from ..models import Complaint, ElectionArchive

ARCHIVE_FORMAT = "election-portal-archive/1"
CHUNK = 1024 * 1024
#: stands for a removed date of birth on the voter list, whose column cannot be empty
PURGED_BIRTH_DATE = dt.date(1900, 1, 1)


class _HashingWriter(io.RawIOBase):
    """Writes through to a ZIP member, counting bytes and hashing them on the way."""

    def __init__(self, raw):
        super().__init__()
        self.raw = raw
        self.sha = hashlib.sha256()
        self.size = 0

    def writable(self):
        return True

    def write(self, b):
        data = bytes(b)
        self.raw.write(data)
        self.sha.update(data)
        self.size += len(data)
        return len(data)

    def close(self):  # the member is closed by ZipWriter.member()
        self.raw = None
        super().close()


class ZipWriter:
    """A ZIP written to a file object member by member; records path, size and SHA-256 of each."""

    def __init__(self, fileobj):
        self.zip = zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6)
        self.entries: list[dict] = []

    def _open(self, path):
        return self.zip.open(path, "w", force_zip64=True)

    def _record(self, path, writer):
        self.entries.append({"path": path, "size": writer.size, "sha256": writer.sha.hexdigest()})

    def copy(self, path: str, source) -> None:
        """Copy an open binary file into the member ``path`` in chunks."""
        with self._open(path) as raw:
            writer = _HashingWriter(raw)
            shutil.copyfileobj(source, writer, CHUNK)
            self._record(path, writer)
            writer.close()

    def text(self, path: str):
        """A context manager giving a UTF-8 text stream for the member ``path``."""
        return _TextMember(self, path)

    def close(self, manifest: dict) -> None:
        with self._open("manifest.json") as raw:
            raw.write(
                json.dumps(manifest, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder).encode("utf-8")
            )
        self.zip.close()


class _TextMember:
    def __init__(self, zw: ZipWriter, path: str):
        self.zw, self.path = zw, path

    def __enter__(self):
        self.raw = self.zw._open(self.path)
        self.writer = _HashingWriter(self.raw)
        self.buffer = io.BufferedWriter(self.writer, buffer_size=64 * 1024)
        self.stream = io.TextIOWrapper(self.buffer, encoding="utf-8", newline="")
        return self.stream

    def __exit__(self, exc_type, exc, tb):
        self.stream.flush()
        self.stream.detach()
        self.buffer.flush()
        self.buffer.detach()
        self.raw.close()
        if exc_type is None:
            self.zw._record(self.path, self.writer)
        self.writer.close()
        return False


def _json_line(stream, obj) -> None:
    stream.write(
        json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder)
    )
    stream.write("\n")


def _iso(value):
    return value.isoformat() if value else ""


def _safe_csv(value):

    return csv_cell(value)


# --- the members of the archive ---------------------------------------------------------------


def _write_protocols(zw: ZipWriter, election, group) -> int:
    """The protocols' data (every version, with signatures and dissent) and their PDFs as they
    were rendered (the PDFs are not rendered here)."""
    written = 0
    with zw.text("protocols/protocols.jsonl") as out:
        for p in sel.archive_protocols(election, group):
            _json_line(
                out,
                {
                    "id": p.pk,
                    "series": p.series,
                    "version": p.version,
                    "level": p.level,
                    "status": p.status,
                    "contest": p.contest_id,
                    "unit": p.unit.number if p.unit_id else None,
                    "commission": str(p.commission),
                    "figures": p.figures,
                    "votes": p.votes,
                    "check_explanations": p.check_explanations,
                    "process_description": p.process_description,
                    "observers_note": p.observers_note,
                    "decision_text": p.decision_text,
                    "outcome": p.outcome,
                    "correction_reason": p.correction_reason,
                    "frozen_at": p.frozen_at,
                    "data_sha256": p.data_sha256,
                    "ballots_fingerprint": p.ballots_fingerprint,
                    "audit_head": p.audit_head,
                    "signatures": [
                        {
                            "name": s.full_name,
                            "position": s.get_position_display(),
                            "signed_at": s.signed_at,
                            "dissent": s.dissent,
                        }
                        for s in p.signatures.all()
                    ],
                },
            )
    for doc in sel.archive_protocol_documents(election, group):
        p = doc.protocol
        name = f"protocols/{p.level}-{p.contest_id}-{p.unit_id or 0}-v{p.version}-copy{doc.copy}-{doc.language}.pdf"
        try:
            with doc.file.open("rb") as source:
                zw.copy(name, source)
                written += 1
        except (FileNotFoundError, ValueError):
            continue  # a row whose file is gone is listed in the manifest's notes
    return written


def _write_voters(zw: ZipWriter, election, group) -> int:
    count = 0
    with zw.text("voters_who_voted.csv") as out:
        writer = csv_writer(out)
        writer.writerow(sel.VOTER_COLUMNS)
        for row in sel.voters_who_voted(election, group):
            writer.writerow(
                [_safe_csv(row[c]) if c != "voted_at" else _iso(row[c]) for c in sel.VOTER_COLUMNS]
            )
            count += 1
    return count


def _write_ballots(zw: ZipWriter, contests) -> dict:
    summary = []
    total = 0
    with zw.text("ballots/anonymised_ballots.jsonl") as out:
        for contest in contests:
            n = 0
            for row in sel.anonymised_ballots(contest):
                _json_line(out, row)
                n += 1
            total += n
            summary.append(
                {
                    "id": contest.pk,
                    "title": contest.title_ru,
                    "group": contest.group.slug if contest.group_id else None,
                    "unit": contest.unit.number if contest.unit_id else None,
                    "method": contest.method,
                    "seats": contest.seats,
                    "alternates": contest.alternates,
                    "options": [
                        {"code": o.code, "kind": o.kind, "label": o.label_ru, "left_race": o.left_race}
                        for o in contest.options.all()
                    ],
                    "ballots": n,
                    "ballot_set_fingerprint": ballot_set_fingerprint(contest),
                    "paper_batches": [
                        {"batch": b["batch"], "status": b["status"], "counted": b["counted"]}
                        for b in paper_batches(contest)
                    ],
                }
            )
    with zw.text("ballots/contests.json") as out:
        out.write(json.dumps(summary, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder))
    return {"ballots": total, "contests": len(summary)}


APPLICATION_COLUMNS = [
    "id",
    "full_name",
    "contest",
    "nomination",
    "nominated_by",
    "party",
    "list_position",
    "organisation",
    "occupation",
    "region",
    "birth_year",
    "status",
    "received_at",
    "decision",
    "decision_number",
    "decision_date",
    "decision_votes",
    "refusal_reason",
    "withdrawn_at",
    "withdrawal_reason",
    "cancelled_at",
    "cancellation_reason",
    "form_file",
    "form_sha256",
]


def _write_applications(zw: ZipWriter, election, group) -> int:
    rows = []
    files = 0
    for a in sel.archive_applications(election, group):
        form = ""
        for field, stem in ((a.document, "application-form"), (a.photo, "photo")):
            if not field:
                continue
            ext = os.path.splitext(field.name)[1].lower() or ".bin"
            path = f"candidates/{a.pk}/{stem}{ext}"
            try:
                with field.open("rb") as source:
                    zw.copy(path, source)
                    files += 1
            except (FileNotFoundError, ValueError):
                continue
            if stem == "application-form":
                form = path
        d = a.decision
        rows.append(
            [
                a.pk,
                a.full_name,
                a.contest_name,
                a.get_nomination_display(),
                a.nominated_by,
                a.party_list.party_name if a.party_list_id else "",
                a.list_position or "",
                a.organisation,
                a.occupation,
                a.region,
                a.birth_year or "",
                a.get_status_display(),
                _iso(a.received_at),
                d.get_kind_display() if d else "",
                (d.number or "") if d else "",
                _iso(d.decided_at) if d else "",
                f"{d.votes_for}/{d.votes_against}/{d.votes_abstained}" if d else "",
                a.refusal_reason,
                _iso(a.withdrawn_at),
                a.withdrawal_reason,
                _iso(a.cancelled_at),
                a.cancellation_reason,
                form,
                a.document_sha256,
            ]
        )
    with zw.text("candidates/applications.csv") as out:
        writer = csv_writer(out)
        writer.writerow(APPLICATION_COLUMNS)
        for row in rows:
            writer.writerow([_safe_csv(str(v)) for v in row])
    return len(rows) + files


OBSERVER_COLUMNS = [
    "name",
    "organisation",
    "applicant",
    "kind",
    "country",
    "group",
    "responsible_body",
    "status",
    "submitted_at",
    "decided_at",
    "reason",
]


def _write_observers(zw: ZipWriter, election, group) -> int:
    """Observer reports are not a feature of the portal: the archive holds the accreditation list
    and, in protocols/protocols.jsonl, each protocol's note on the participation of observers."""
    n = 0
    with zw.text("observers/accreditations.csv") as out:
        writer = csv_writer(out)
        writer.writerow(OBSERVER_COLUMNS)
        for o in sel.archive_observers(election, group):
            writer.writerow(
                [
                    _safe_csv(v)
                    for v in (
                        o.name,
                        o.organisation,
                        o.get_applicant_type_display(),
                        o.get_kind_display(),
                        o.country,
                        o.group.slug if o.group_id else "",
                        str(o.commission),
                        o.get_status_display(),
                        _iso(o.submitted_at),
                        _iso(o.decided_at),
                        o.reason,
                    )
                ]
            )
            n += 1
    with zw.text("observers/notes_in_protocols.txt") as out:
        for p in sel.archive_protocols(election, group):
            if p.observers_note.strip():
                out.write(f"# {p} \n{p.observers_note.strip()}\n\n")
    return n


def _write_audit(zw: ZipWriter, election) -> int:
    """The election's audit entries, one canonical JSON line each plus ``prev_hash`` and ``hash``:
    sha256(prev_hash + the line without those two keys) equals ``hash`` (elections/audit.py)."""
    n = 0
    with zw.text("audit/audit_extract.jsonl") as out:
        for entry in sel.audit_extract(election):
            payload = json.loads(canonical_json(entry))
            payload["prev_hash"] = entry.prev_hash
            payload["hash"] = entry.hash
            out.write(json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False))
            out.write("\n")
            n += 1
    return n


def _refuse(message: str, code: str):
    raise ValidationError(message, code=code)


def _check_archivable(election: Election, group) -> None:
    if election.state not in sel.ARCHIVABLE_STATES:
        _refuse(_("An archive can be built once voting has closed."), "too_early")
    if group is not None and group.election_id != election.pk:
        _refuse(_("This group belongs to another election."), "wrong_group")
    if sel.is_purged(election):
        _refuse(
            _("The personal data of this election has been purged; the existing archives are the record."),
            "purged",
        )


def archive_build(*, election: Election, actor, group=None) -> ElectionArchive:
    """Build the archive ZIP of the election or of one electoral group (seed 000 item 23): the
    protocols with their PDFs, the list of voters who voted, the anonymised ballots, the
    candidates' applications with their files, the observers, the audit extract and
    ``manifest.json`` (path, size and SHA-256 of every other member). Stores the ZIP, the row with
    its SHA-256, and the audit entry ``protocols.archive.built`` in one transaction."""
    if actor is not None:
        require(actor, "archive.manage", election)
    election = Election.objects.get(pk=election.pk)
    _check_archivable(election, group)
    created_at = timezone.now()
    head_seq, head_hash, _at = current_head()
    counts: dict = {}
    tmp = tempfile.NamedTemporaryFile(prefix="archive-", suffix=".zip", delete=False)  # noqa: SIM115
    try:
        with tmp, translation.override("ru"):
            zw = ZipWriter(tmp)
            contests = list(sel.archive_contests(election, group).prefetch_related("options"))
            counts["protocol_pdfs"] = _write_protocols(zw, election, group)
            counts["voters_who_voted"] = _write_voters(zw, election, group)
            counts.update(_write_ballots(zw, contests))
            counts["candidate_rows_and_files"] = _write_applications(zw, election, group)
            counts["observers"] = _write_observers(zw, election, group)
            counts["audit_entries"] = _write_audit(zw, election)
            with zw.text("README.txt") as out:
                out.write(
                    render_to_string("protocols/archive/readme.txt", {"election": election, "group": group})
                )
            manifest = {
                "format": ARCHIVE_FORMAT,
                "election": {"id": election.pk, "slug": election.slug, "title": election.title_ru},
                "group": {"id": group.pk, "slug": group.slug, "name": group.name_ru} if group else None,
                "created_at": created_at,
                "created_by": actor.email if actor is not None and actor.pk else "",
                "audit_head": {"seq": head_seq, "hash": head_hash},
                "counts": counts,
                "observer_reports": "not a feature of the portal: observers/ holds the accreditations",
                "files": sorted(zw.entries, key=lambda e: e["path"]),
            }
            zw.close(manifest)
        sha = hashlib.sha256()
        size = 0
        with open(tmp.name, "rb") as fh:
            for chunk in iter(lambda: fh.read(CHUNK), b""):
                sha.update(chunk)
                size += len(chunk)
        stem = f"{election.slug}-{group.slug}" if group else election.slug
        name = f"{stem}-{created_at:%Y%m%d-%H%M%S}-{secrets.token_hex(8)}.zip"
        archive = ElectionArchive(
            election=election,
            group=group,
            sha256=sha.hexdigest(),
            size=size,
            manifest=json.loads(json.dumps(manifest, cls=DjangoJSONEncoder)),
            created_at=created_at,
            created_by=actor if actor is not None and actor.pk else None,
        )
        with open(tmp.name, "rb") as fh:
            archive.file.save(name, File(fh), save=False)
    finally:
        os.unlink(tmp.name)
    try:
        with transaction.atomic():
            _check_archivable(Election.objects.select_for_update().get(pk=election.pk), group)
            archive.full_clean()
            archive.save()
            audit_log(
                action="protocols.archive.built",
                actor=actor,
                obj=archive,
                election=election,
                data={
                    "group": group.pk if group else None,
                    "sha256": archive.sha256,
                    "size": archive.size,
                    "files": len(manifest["files"]),
                    "audit_head_seq": head_seq,
                },
            )
            publish_head(
                occasion=PublishedHead.Occasion.ARCHIVE_BUILT,
                election=election,
                seq=head_seq,
                head_hash=head_hash,
            )
    except Exception:
        archive.file.storage.delete(archive.file.name)
        raise
    return archive


# --- retention ------------------------------------------------------------------------------


def _delete_files(queryset, *fields) -> int:
    """Delete the stored files of ``fields`` on every row once the transaction commits (a purge
    that fails leaves the files); the columns are emptied by the caller."""
    found = []
    for obj in queryset.only("pk", *fields).iterator(chunk_size=500):
        for field in fields:
            f = getattr(obj, field)
            if f and f.name:
                found.append((f.storage, f.name))

    def delete():
        for storage, name in found:
            try:
                storage.delete(name)
            except OSError:
                continue

    transaction.on_commit(delete)
    return len(found)


def personal_data_purge(*, election: Election, actor, now: dt.datetime | None = None) -> dict:
    """Remove the personal data no longer needed after the election is archived and
    ``PERSONAL_DATA_RETENTION_DAYS`` have passed (seed 000 item 23; docs/retention.md lists what
    goes and what stays, and why). Rows are kept, so every count, protocol, the bulletin board and
    the audit chain stay as they were; one audit entry ``protocols.personal_data.purged`` records
    the numbers. Refused while the election is not archived, not fully covered by archives,
    inside the retention period, or already purged."""

    if actor is not None:
        require(actor, "archive.manage", election)
    now = now or timezone.now()
    with transaction.atomic():
        election = Election.objects.select_for_update().get(pk=election.pk)
        blockers = sel.purge_blockers(election, now)
        if blockers:
            raise ValidationError(blockers, code="not_due")
        done: dict[str, int] = {}

        # voters registered in groups (seed 000): contacts and tokens; the name, kind,
        # organisation, region, status and the consent as given stay
        regs = VoterRegistration.objects.filter(election=election)
        done["voter_registrations"] = regs.update(
            email=Concat(Value("purged-r"), Cast("pk", output_field=CharField()), Value("@invalid")),
            phone="",
            representative_name="",
            confirm_token_hash="",
        )
        # voting credentials: the token's hash and the e-mail; times stay (turnout, reminders)
        done["voting_credentials"] = VotingCredential.objects.filter(election=election).update(
            token_hash="", email=""
        )
        # the voter register (seed 003): personal number, date of birth, address, e-mail
        done["register_entries"] = RegisterEntry.objects.filter(election=election).update(
            personal_number=Concat(Value("x"), LPad(Cast("pk", output_field=CharField()), 13, Value("0"))),
            birth_date=PURGED_BIRTH_DATE,
            address="",
            email="",
        )
        changes = 0
        for change in RegisterEntryChange.objects.filter(entry__election=election).iterator(chunk_size=500):
            cleaned = {
                f: (["", ""] if f in ("birth_date", "address") else v)
                for f, v in (change.changes or {}).items()
            }
            if cleaned != change.changes:
                RegisterEntryChange.objects.filter(pk=change.pk).update(changes=cleaned)
                changes += 1
        done["register_entry_changes"] = changes
        corrections = CorrectionRequest.objects.filter(election=election)
        done["correction_documents"] = _delete_files(corrections, "document")
        corrections.update(contact_email="", document="")
        done["correction_values"] = corrections.filter(field__in=["birth_date", "address"]).update(
            current_value="", requested_value=""
        )
        imports = RegisterImport.objects.filter(election=election)
        done["register_import_files"] = _delete_files(imports, "file", "error_report")
        batch_ids = list(imports.values_list("pk", flat=True))
        imports.update(file="", error_report="", problems_preview=[])
        RegisterImportRow.objects.filter(batch__in=batch_ids).delete()
        RegisterImportProblem.objects.filter(batch__in=batch_ids).delete()

        # candidates: contacts and the signed form (it is in the archive; its SHA-256 stays);
        # what the public list shows of registered candidates stays
        apps = Application.objects.filter(election=election)
        registered = apps.filter(admitted_at__isnull=False)
        never = apps.filter(admitted_at__isnull=True)
        done["candidate_documents"] = _delete_files(apps, "document") + _delete_files(never, "photo")
        done["candidate_applications"] = apps.update(
            email=Concat(Value("purged-a"), Cast("pk", output_field=CharField()), Value("@invalid")),
            phone="",
            document="",
        )
        for a in (
            registered.filter(birth_date__isnull=False).only("pk", "birth_date").iterator(chunk_size=500)
        ):
            Application.objects.filter(pk=a.pk).update(birth_date=dt.date(a.birth_date.year, 1, 1))
        never.update(birth_date=None, photo="", programme="", occupation="", region="")

        # observers: contacts and the supporting document; name, organisation, status stay
        observers = ObserverApplication.objects.filter(election=election)
        done["observer_documents"] = _delete_files(observers, "document")
        done["observers"] = observers.update(contact_email="", phone="", document="")

        # complaints: the e-mail for the answer; name, text and decision stay with the protocol
        done["complaints"] = Complaint.objects.filter(election=election).update(complainant_email="")

        # the outbox: recipients (and the text of mails still waiting, which may hold links)
        done["outbox_mails"] = OutboxMail.objects.filter(election=election).delete()[0]

        ElectionArchive.objects.filter(election=election).update(purged_at=now)
        audit_log(
            action="protocols.personal_data.purged",
            actor=actor,
            obj=election,
            election=election,
            data={"counts": done, "retention_days": sel.retention_days()},
        )
    return done


def purge_due(*, actor=None, now: dt.datetime | None = None) -> list[tuple[Election, dict | str]]:
    """Purge every election that is due; one transaction each, so one failure stops no other."""
    results = []
    for election in sel.elections_due_for_purge(now):
        try:
            results.append((election, personal_data_purge(election=election, actor=actor, now=now)))
        except (ValidationError, PermissionDenied) as exc:
            results.append((election, "; ".join(getattr(exc, "messages", [str(exc)]))))
    return results
