"""The tamper-evident audit log: appending entries and verifying the hash chain.

Each entry's ``hash`` is ``sha256(prev_hash + canonical_json(entry))`` where the canonical JSON
holds the entry's number, time (UTC, microseconds), actor, role, dotted action, object reference,
election and data, with sorted keys and no insignificant white space. The first entry's
``prev_hash`` is ``GENESIS``. Appending locks the single ``AuditHead`` row, so entries are
numbered 1, 2, 3, … without gaps even under concurrent writers.

``verify_chain()`` recomputes every hash, checks the numbering and the head: a changed row, a
deleted row (also the last one) and an inserted row are all reported with the first bad entry.

A rewrite that recomputes every hash with :func:`compute_hash`, a truncated tail with a reset head
and a wiped log all verify by themselves; they are caught by the heads the portal published before
(``verify_chain(anchors=...)``; ``elections.audit_anchors`` gathers them: the published-heads
table, signed protocols, archive manifests, heads kept by the operator), since the log must still
hold each of them at its position.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.permissions import primary_role

from .models import AuditEntry, AuditHead
from .public_cache import election_changed_on_commit

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
    if election is not None:
        election_changed_on_commit(election)  # its public pages are stale once this commits
    return entry


def audit_log_many(entries) -> list[AuditEntry]:
    """Append several entries with one lock of the head, one insert and one update: for a service
    that changes many objects at once (the TEC summary tables of a whole election). Each item is a
    dict of :func:`audit_log`'s keyword arguments; the entries are numbered and chained in order,
    exactly as the same calls of ``audit_log`` one by one would chain them."""

    entries = list(entries)
    if not entries:
        return []
    with transaction.atomic(savepoint=False):
        head = _locked_head()
        seq, prev_hash, now = head.seq, head.hash, timezone.now()
        made = []
        for item in entries:
            actor, obj, election = item.get("actor"), item.get("obj"), item.get("election")
            if election is None and obj is not None:
                election = (
                    obj if obj._meta.label_lower == "elections.election" else getattr(obj, "election", None)
                )
            object_type, object_id = _object_ref(obj)
            seq += 1
            entry = AuditEntry(
                seq=seq,
                created_at=now,
                actor=actor if actor is not None and actor.pk else None,
                actor_label=(actor.email if actor is not None and getattr(actor, "pk", None) else ""),
                role=item.get("role") or primary_role(actor, election),
                action=item["action"],
                object_type=object_type,
                object_id=object_id,
                election=election,
                data=_normalise(item.get("data")),
                prev_hash=prev_hash,
            )
            entry.clean_fields(exclude=["hash", "actor", "election"])
            entry.hash = prev_hash = compute_hash(prev_hash, entry)
            made.append(entry)
        AuditEntry.objects.bulk_create(made, batch_size=1000)
        head.seq, head.hash, head.updated_at = seq, prev_hash, now
        head.save(update_fields=["seq", "hash", "updated_at"])
    for election in {e.election for e in made if e.election is not None}:
        election_changed_on_commit(election)
    return made


@dataclass(frozen=True)
class Anchor:
    """A head the portal published earlier: the log must still hold it.

    ``seq`` is the entry count at that time (the log must hold entry ``seq`` with ``hash``);
    ``None`` when only the hash was recorded (then ``hash`` must be the hash of some entry). ``source``
    says where the head was published, for the operator's message.
    """

    hash: str
    seq: int | None
    source: str


@dataclass(frozen=True)
class AnchorProblem:
    """A published head the log no longer holds: ``kind`` is ``rewritten``, ``truncated`` or
    ``missing`` (a head without a position that is not in the log)."""

    kind: str
    message: str
    anchor: Anchor | None = None


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    count: int
    head_hash: str
    bad_seq: int | None = None
    bad_id: int | None = None
    reason: str = ""
    #: heads published earlier that the log contradicts (only with ``verify_chain(anchors=...)``)
    anchor_problems: tuple[AnchorProblem, ...] = ()
    anchors_checked: int = 0


def _cited_head(data) -> str | None:
    """The head an entry says it saw (``data["audit_head"]``, e.g. a frozen protocol's), if any."""
    if type(data) is dict:
        cited = data.get("audit_head")
        if type(cited) is str and len(cited) == 64:
            return cited
    return None


def verify_chain(anchors=None) -> ChainReport:
    """Walk the whole chain in order; stop at the first entry that does not fit.

    With ``anchors`` (an iterable of :class:`Anchor`), also check that the log still holds every
    head published earlier: the entry at each anchor's position has the anchor's hash, no anchor
    lies beyond the end (a truncated or wiped log, even with a reset head) and every anchor known
    only by its hash is an entry of the log. An entry that cites the head it saw
    (``data["audit_head"]``) must cite an entry of the log too: a rewrite that recomputed the hashes
    but kept the data is caught by it.
    """
    by_seq: dict[int, list[Anchor]] = {}
    by_hash: list[Anchor] = []
    for anchor in anchors or ():
        if anchor.seq is None:
            by_hash.append(anchor)
        else:
            by_seq.setdefault(anchor.seq, []).append(anchor)
    checking = anchors is not None
    problems: list[AnchorProblem] = []
    cited: list[tuple[int, str]] = []

    expected_seq = 1
    prev_hash = GENESIS
    count = 0
    broken = None
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        if entry.seq != expected_seq:
            broken = ChainReport(
                False,
                count,
                prev_hash,
                bad_seq=expected_seq,
                bad_id=None,
                reason=f"entry #{expected_seq} is missing (next present is #{entry.seq}, id {entry.pk})",
            )
            break
        if entry.prev_hash != prev_hash:
            broken = ChainReport(
                False,
                count,
                prev_hash,
                bad_seq=entry.seq,
                bad_id=entry.pk,
                reason="its previous-hash does not match the entry before it (row inserted or changed)",
            )
            break
        if compute_hash(prev_hash, entry) != entry.hash:
            broken = ChainReport(
                False,
                count,
                prev_hash,
                bad_seq=entry.seq,
                bad_id=entry.pk,
                reason="its content does not match its hash (row changed)",
            )
            break
        if checking:
            if entry.seq in by_seq:
                for anchor in by_seq[entry.seq]:
                    if anchor.hash != entry.hash:
                        problems.append(
                            AnchorProblem(
                                "rewritten",
                                f"entry #{entry.seq} has the hash {entry.hash}, but {anchor.source} recorded "
                                f"{anchor.hash} for it: the log was rewritten up to entry #{entry.seq}",
                                anchor,
                            )
                        )
            seen = _cited_head(entry.data)
            if seen is not None and seen != entry.prev_hash:
                cited.append((entry.seq, seen))
        prev_hash = entry.hash
        expected_seq += 1
        count += 1
    if broken is None:
        broken = _check_head(count, prev_hash)
    if checking:
        problems.extend(_check_positions(by_seq, by_hash, cited, count, prev_hash, intact=broken is None))
    checked = sum(len(v) for v in by_seq.values()) + len(by_hash) if checking else 0
    if broken is not None:
        return ChainReport(
            False,
            broken.count,
            broken.head_hash,
            bad_seq=broken.bad_seq,
            bad_id=broken.bad_id,
            reason=broken.reason,
            anchor_problems=tuple(problems),
            anchors_checked=checked,
        )
    return ChainReport(
        not problems, count, prev_hash, anchor_problems=tuple(problems), anchors_checked=checked
    )


def _check_head(count: int, last_hash: str) -> ChainReport | None:
    head = AuditHead.objects.filter(pk=1).first()
    head_seq = head.seq if head else 0
    head_hash = head.hash if head else GENESIS
    if head_seq > count:
        return ChainReport(
            False,
            count,
            last_hash,
            bad_seq=count + 1,
            reason=f"entry #{count + 1} is missing: the chain ends at #{count} but the head records #{head_seq}",
        )
    if head_seq < count:
        return ChainReport(
            False,
            count,
            last_hash,
            bad_seq=head_seq + 1,
            reason=f"entry #{head_seq + 1} was inserted after the recorded head #{head_seq}",
        )
    if head_hash != last_hash:
        return ChainReport(
            False, count, last_hash, bad_seq=count, reason="the head hash does not match the last entry"
        )
    return None


def _check_positions(by_seq, by_hash, cited, count, last_hash, *, intact) -> list[AnchorProblem]:
    """The anchors beyond the part of the log that was walked, and those known by hash only.

    ``count`` entries were verified; when the chain broke before its end (``intact`` False) nothing
    is said about later positions, the broken chain is reported already.
    """
    problems: list[AnchorProblem] = []
    if intact:
        for seq in sorted(s for s in by_seq if s > count):
            for anchor in by_seq[seq]:
                what = "the log is empty" if count == 0 else f"the log ends at entry #{count}"
                cause = "the log was wiped" if count == 0 else "entries were deleted from its end"
                problems.append(
                    AnchorProblem(
                        "truncated",
                        f"{what}, but {anchor.source} recorded {seq} entries (head {anchor.hash}): {cause}",
                        anchor,
                    )
                )
    for anchor in by_seq.get(0, ()):
        if anchor.hash != GENESIS:
            problems.append(
                AnchorProblem("rewritten", f"{anchor.source} recorded {anchor.hash} for an empty log", anchor)
            )
    wanted = {a.hash for a in by_hash if a.hash != GENESIS} | {h for _s, h in cited}
    found: dict[str, int] = {}
    if wanted:
        rows = AuditEntry.objects.filter(hash__in=wanted, seq__lte=count).values_list("hash", "seq")
        found = dict(rows)
    for anchor in by_hash:
        if anchor.hash != GENESIS and anchor.hash not in found:
            tail = "" if intact else f" among the {count} entries that verify"
            problems.append(
                AnchorProblem(
                    "missing",
                    f"the head {anchor.hash} ({anchor.source}) is not an entry of the log{tail}: "
                    "the log was rewritten or truncated",
                    anchor,
                )
            )
    for seq, seen in cited:
        if found.get(seen, seq) >= seq:
            problems.append(
                AnchorProblem(
                    "rewritten",
                    f"entry #{seq} records that the log's head was {seen}, but no earlier entry has that "
                    "hash: the log was rewritten before it",
                )
            )
    return problems


def current_head() -> tuple[int, str, object]:
    head = AuditHead.objects.filter(pk=1).first()
    if head is None:
        return 0, GENESIS, None
    return head.seq, head.hash, head.updated_at if head.seq else None
