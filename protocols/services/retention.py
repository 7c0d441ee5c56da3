"""Retention of personal data after an election is archived (seed 000 item 25: the archive is kept;
the personal data of voters, candidates, observers and mails are removed when the retention period
ends): ``personal_data_purge`` for one election, ``purge_due`` for every election whose time has
come (the daily beat task). One transaction and an audit entry each."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat, LPad
from django.utils import timezone

from accounts.permissions import require
from candidates.models import Application
from elections.audit import audit_log
from elections.models import Election, OutboxMail
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

PURGED_BIRTH_DATE = dt.date(1900, 1, 1)


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
