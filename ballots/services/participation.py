"""The audit of participations: a chained digest of who took part, never of what they chose."""

from __future__ import annotations

import json

from django.db import transaction

from elections.audit import GENESIS, audit_log
from elections.models import AuditEntry, Election

from ..models import Participation

DIGEST_ACTION = "ballots.participation.digest"


def participation_audit(*, election: Election, actor=None) -> int:
    """Seal the online participations not yet audited into one audit entry: their count, the id
    range and a SHA-256 over their canonical lines (id, contest, elector, channel, time), chained to
    the previous digest. Runs every minute (Celery beat) and when voting closes. Returns the number
    of participations sealed."""
    import hashlib

    with transaction.atomic():
        Election.objects.select_for_update().get(pk=election.pk)  # one digest at a time per election
        rows = list(
            Participation.objects.filter(election=election, audited_in__isnull=True)
            .order_by("pk")
            .values_list("pk", "contest_id", "elector", "channel", "recorded_at")
        )
        if not rows:
            return 0
        last = AuditEntry.objects.filter(election=election, action=DIGEST_ACTION).order_by("-seq").first()
        previous = last.data["sha256"] if last else GENESIS
        digest = hashlib.sha256(previous.encode())
        for pk, contest_id, elector, channel, recorded_at in rows:
            line = json.dumps(
                [pk, contest_id, elector, channel, recorded_at.isoformat()], separators=(",", ":")
            )
            digest.update(b"\n" + line.encode())
        entry = audit_log(
            action=DIGEST_ACTION,
            actor=actor,
            role="system",
            election=election,
            data={
                "count": len(rows),
                "first_id": rows[0][0],
                "last_id": rows[-1][0],
                "sha256": digest.hexdigest(),
                "previous": previous,
                "channels": {ch: sum(1 for r in rows if r[3] == ch) for ch in sorted({r[3] for r in rows})},
            },
        )
        Participation.objects.filter(pk__in=[r[0] for r in rows]).update(audited_in=entry.seq)
    return len(rows)


def seal_participations(*, election: Election, actor=None) -> None:
    """Lifecycle on-enter action of "close voting": the last participations are audited."""
    participation_audit(election=election, actor=actor)
