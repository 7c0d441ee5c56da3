"""Archive ZIPs of an election or of one electoral group (seed 000 item 23; docs/retention.md).

``archive_build`` writes the ZIP member by member into a temporary file (every member is hashed
while it is written, files are copied in 1 MiB chunks, rows are streamed from the database), so
no member is held in memory; then it stores the file and, in one short transaction, the
``ElectionArchive`` row with the manifest and the ZIP's SHA-256, and the audit entry. The ZIP is
built outside that transaction on purpose: on SQLite an open write transaction would lock every
other writer of the portal for as long as the ZIP takes.

The ZIP writing itself is ``protocols.zipstream``; the purge of personal data after the archive is
``protocols.services.retention`` (docs/retention.md lists every field).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import tempfile

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.permissions import require
from ballots.selectors import ballot_set_fingerprint, paper_batches
from candidates.package import csv_cell
from elections.audit import audit_log, canonical_json, current_head
from elections.audit_anchors import publish_head
from elections.models import Election, PublishedHead
from elections.spreadsheets import csv_writer

from .. import archive_selectors as sel
from ..models import ElectionArchive
from ..zipstream import CHUNK, ZipWriter

ARCHIVE_FORMAT = "election-portal-archive/1"
#: stands for a removed date of birth on the voter list, whose column cannot be empty


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
