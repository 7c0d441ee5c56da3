"""The tamper-evident audit log: appending entries and verifying the hash chain.

Each entry's ``hash`` is ``sha256(prev_hash + canonical_json(entry))`` where the canonical JSON
holds the entry's number, time (UTC, microseconds), actor, role, dotted action, object reference,
election and data, with sorted keys and no insignificant white space. The first entry's
``prev_hash`` is ``GENESIS``. Appending locks the single ``AuditHead`` row, so entries are
numbered 1, 2, 3, … without gaps even under concurrent writers.

``verify_chain()`` recomputes every hash, checks the numbering and the head: a changed row, a
deleted row (also the last one) and an inserted row are all reported with the first bad entry.
The head hash is published on a public page, so a rewrite of the whole chain is visible to anyone
who noted an earlier head.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import AuditEntry, AuditHead

GENESIS = "0" * 64


def _normalise(data) -> dict:
    """The data exactly as the JSON column will give it back."""
    return json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder))


def canonical_json(entry: AuditEntry) -> str:
    payload = {
        "seq": entry.seq,
        "created_at": entry.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": entry.actor_id,
        "actor": entry.actor_label,
        "role": entry.role,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "election_id": entry.election_id,
        "data": entry.data,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def compute_hash(prev_hash: str, entry: AuditEntry) -> str:
    return hashlib.sha256((prev_hash + canonical_json(entry)).encode("utf-8")).hexdigest()


def _object_ref(obj) -> tuple[str, str]:
    if obj is None:
        return "", ""
    meta = getattr(obj, "_meta", None)
    if meta is None:
        return type(obj).__name__.lower(), str(getattr(obj, "pk", ""))
    return meta.label_lower, str(obj.pk)


def _locked_head() -> AuditHead:
    try:
        return AuditHead.objects.select_for_update().get(pk=1)
    except AuditHead.DoesNotExist:
        try:
            with transaction.atomic():
                AuditHead.objects.create(pk=1, seq=0, hash=GENESIS)
        except IntegrityError:
            pass  # created by a concurrent writer
        return AuditHead.objects.select_for_update().get(pk=1)


def audit_log(*, action: str, actor=None, role: str = "", obj=None, election=None, data=None) -> AuditEntry:
    """Append one entry. Call it inside the service's transaction, after the change itself.

    ``data`` must not hold ballot contents or secrets; ``role`` defaults to the actor's role for
    ``obj`` as ``accounts.permissions.primary_role`` sees it.
    """
    from accounts.permissions import primary_role

    if election is None and obj is not None:
        election = obj if obj._meta.label_lower == "elections.election" else getattr(obj, "election", None)
    object_type, object_id = _object_ref(obj)
    # No savepoint when the caller's transaction is open: the service's transaction is the unit.
    with transaction.atomic(savepoint=False):
        head = _locked_head()
        entry = AuditEntry(
            seq=head.seq + 1,
            created_at=timezone.now(),
            actor=actor if actor is not None and actor.pk else None,
            actor_label=(actor.email if actor is not None and getattr(actor, "pk", None) else ""),
            role=role or primary_role(actor, election),
            action=action,
            object_type=object_type,
            object_id=object_id,
            election=election,
            data=_normalise(data),
            prev_hash=head.hash,
        )
        # field validation only: the numbering is guaranteed by the locked head, so the unique
        # checks of full_clean() would only add queries to every write of the portal
        entry.clean_fields(exclude=["hash", "actor", "election"])
        entry.hash = compute_hash(head.hash, entry)
        entry.save()
        head.seq = entry.seq
        head.hash = entry.hash
        head.updated_at = entry.created_at
        head.save(update_fields=["seq", "hash", "updated_at"])
    return entry


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    count: int
    head_hash: str
    bad_seq: int | None = None
    bad_id: int | None = None
    reason: str = ""


def verify_chain() -> ChainReport:
    """Walk the whole chain in order; stop at the first entry that does not fit."""
    expected_seq = 1
    prev_hash = GENESIS
    count = 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        if entry.seq != expected_seq:
            return ChainReport(
                False,
                count,
                prev_hash,
                bad_seq=expected_seq,
                bad_id=None,
                reason=f"entry #{expected_seq} is missing (next present is #{entry.seq}, id {entry.pk})",
            )
        if entry.prev_hash != prev_hash:
            return ChainReport(
                False,
                count,
                prev_hash,
                bad_seq=entry.seq,
                bad_id=entry.pk,
                reason="its previous-hash does not match the entry before it (row inserted or changed)",
            )
        if compute_hash(prev_hash, entry) != entry.hash:
            return ChainReport(
                False,
                count,
                prev_hash,
                bad_seq=entry.seq,
                bad_id=entry.pk,
                reason="its content does not match its hash (row changed)",
            )
        prev_hash = entry.hash
        expected_seq += 1
        count += 1
    head = AuditHead.objects.filter(pk=1).first()
    head_seq = head.seq if head else 0
    head_hash = head.hash if head else GENESIS
    if head_seq > count:
        return ChainReport(
            False,
            count,
            prev_hash,
            bad_seq=count + 1,
            reason=f"entry #{count + 1} is missing: the chain ends at #{count} but the head records #{head_seq}",
        )
    if head_seq < count:
        return ChainReport(
            False,
            count,
            prev_hash,
            bad_seq=head_seq + 1,
            reason=f"entry #{head_seq + 1} was inserted after the recorded head #{head_seq}",
        )
    if head_hash != prev_hash:
        return ChainReport(
            False, count, prev_hash, bad_seq=count, reason="the head hash does not match the last entry"
        )
    return ChainReport(True, count, prev_hash)


def current_head() -> tuple[int, str, object]:
    head = AuditHead.objects.filter(pk=1).first()
    if head is None:
        return 0, GENESIS, None
    return head.seq, head.hash, head.updated_at if head.seq else None
