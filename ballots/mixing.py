"""The mix: waiting online ballots move into ``Ballot`` in a random order, many per transaction.

A cast writes the participation and a sealed ``PendingBallot`` in one transaction, so the two
share that transaction's id (``xmin``) and were written at the same moment. The mix moves the
waiting ballots of a contest into ``Ballot`` in another transaction, in an order drawn from the
operating system's generator, and deletes them from the waiting table: every ballot of a batch
then has the same ``xmin``, the rows lie in the drawn order, no sequence is involved (random ids),
and no row has a time. See docs/secrecy.md for what remains (the batch a ballot belongs to).

* ``ballots_mix`` — a contest's waiting ballots once at least ``BALLOT_MIX_BATCH`` wait (the beat
  task every minute, and after each cast on the embedded eager path).
* ``ballots_mix_final`` — when voting closes: the rest, whatever their number, and every online
  ballot of the election rewritten in one random order in one transaction, so that after the
  close all of them share one ``xmin`` and the batches of the voting day no longer show.
* ``ballots_settle`` / ``ballots_before_count`` — anything still waiting after the close (a cast
  that raced the close, an election closed outside the lifecycle) is mixed before the bulletin
  board or a count reads the ballots; a count while voting is open is refused.
"""

from __future__ import annotations

import logging
import secrets
import uuid
from collections import Counter

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from elections.audit import audit_log
from elections.models import Election

from .models import Ballot, Channel, Contest, PendingBallot
from .sealing import SealBroken, unseal

logger = logging.getLogger(__name__)

MIXED_AT_CLOSE = "ballots.ballots.mixed_at_close"


class MixRefused(ValidationError):
    """Waiting ballots cannot be mixed; the message says why in plain words."""


def batch_size() -> int:
    """How many ballots of a contest must wait before a mix during voting (``BALLOT_MIX_BATCH``)."""
    return settings.BALLOT_MIX_BATCH


def _lock_waiting(mode: str) -> None:
    """PostgreSQL: a table lock on the waiting ballots, always taken first, so that a mix during
    voting and the final mix never wait on each other's row locks. ``SHARE ROW EXCLUSIVE`` (the
    final mix) also waits for the casts in progress and holds new ones until the close commits;
    a cast statement that waited sees the closed election and writes nothing. SQLite serialises
    writers itself."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {PendingBallot._meta.db_table} IN {mode} MODE")


def _opened(rows) -> list[Ballot]:
    ballots = []
    for pending_id, contest_id, sealed in rows:
        try:
            choices, receipt = unseal(pending_id=pending_id, contest_id=contest_id, sealed=sealed)
        except SealBroken:
            raise MixRefused(
                _(
                    "Some online ballots waiting to be stored cannot be read: the server's secret key "
                    "has changed since they were cast. Ask the server administrator to add the previous "
                    "key to the fallback keys; the ballots are kept and will be stored then."
                )
            ) from None
        ballots.append(
            Ballot(
                id=uuid.uuid4(),
                contest_id=contest_id,
                choices=choices,
                status=Ballot.Status.VALID,
                channel=Channel.ONLINE,
                receipt=receipt,
            )
        )
    return ballots


def _take(pending_filter: dict, rows: list) -> bool:
    """Delete the waiting rows that are being mixed; False (and nothing changes) when another mix
    took some of them first (SQLite has no row locks)."""
    ids = [r[0] for r in rows]
    deleted, _by_model = PendingBallot.objects.filter(pk__in=ids, **pending_filter).delete()
    return deleted == len(ids)


def ballots_mix(*, contest_id: int) -> int:
    """Mix the contest's waiting ballots into ``Ballot`` once at least ``BALLOT_MIX_BATCH`` of
    them wait: one transaction, a random order, then they leave the waiting table. Returns the
    number mixed (0 when too few wait, or another mix has them)."""
    with transaction.atomic():
        _lock_waiting("ROW EXCLUSIVE")
        rows = list(
            PendingBallot.objects.select_for_update(skip_locked=True)
            .filter(contest_id=contest_id)
            .values_list("id", "contest_id", "sealed")
        )
        if len(rows) < batch_size():
            return 0
        ballots = _opened(rows)
        if not _take({"contest_id": contest_id}, rows):
            transaction.set_rollback(True)
            return 0
        secrets.SystemRandom().shuffle(ballots)
        Ballot.objects.bulk_create(ballots)
    logger.info("mixed %s online ballots of contest %s", len(ballots), contest_id)
    return len(ballots)


def ballots_mix_final(*, election: Election, actor=None) -> int:
    """Voting closed: mix every ballot still waiting, however few, and rewrite all the election's
    online ballots in one random order in this transaction (the batches of the voting day no
    longer show in the table: one ``xmin``, one drawn order). Lifecycle on-enter action of
    "close voting" (it runs in the transition's transaction). Returns the ballots now stored."""

    with transaction.atomic():
        _lock_waiting("SHARE ROW EXCLUSIVE")
        rows = list(
            PendingBallot.objects.filter(contest__election=election).values_list("id", "contest_id", "sealed")
        )
        waiting = _opened(rows)
        if rows and not _take({}, rows):
            raise MixRefused(_("The ballots are being stored by another process; try again in a minute."))
        stored = Ballot.objects.filter(contest__election=election, channel=Channel.ONLINE)
        ballots = [
            Ballot(
                id=pk,
                contest_id=contest_id,
                choices=choices,
                status=status,
                invalid_reason=reason,
                channel=Channel.ONLINE,
                receipt=receipt,
            )
            for pk, contest_id, choices, status, reason, receipt in stored.values_list(
                "id", "contest_id", "choices", "status", "invalid_reason", "receipt"
            )
        ]
        if ballots:
            stored.delete()
        ballots += waiting
        secrets.SystemRandom().shuffle(ballots)
        Ballot.objects.bulk_create(ballots, batch_size=5000)
        if not ballots:
            return 0
        by_contest = Counter(str(b.contest_id) for b in ballots)
        audit_log(
            action=MIXED_AT_CLOSE,
            actor=actor,
            role="system",
            election=election,
            data={"waiting": len(waiting), "online_ballots": dict(sorted(by_contest.items()))},
        )
    logger.info(
        "final mix of election %s: %s waiting, %s online ballots", election.pk, len(waiting), len(ballots)
    )
    return len(ballots)


def waiting_count(*, election: Election | None = None, contest: Contest | None = None) -> int:
    qs = PendingBallot.objects.all()
    if election is not None:
        qs = qs.filter(contest__election=election)
    if contest is not None:
        qs = qs.filter(contest=contest)
    return qs.count()


def ballots_settle(*, election: Election) -> int:
    """After the close (by the stage or the clock), mix whatever still waits (a cast that raced
    the close, an election closed outside the lifecycle): the bulletin board and the counts read
    ``Ballot`` only. Does nothing while voting is open or when nothing waits."""
    from .selectors import is_after_close

    if not is_after_close(election) or not PendingBallot.objects.filter(contest__election=election).exists():
        return 0
    return ballots_mix_final(election=election)


def ballots_before_count(*, contest: Contest) -> None:
    """Before a count reads the contest's ballots: none may be left waiting. After the close the
    waiting ones are mixed in now; while voting is open the count is refused, in plain words."""
    from .selectors import is_after_close

    if not PendingBallot.objects.filter(contest=contest).exists():
        return
    if not is_after_close(contest.election):
        from .services import VotingRefused

        raise VotingRefused(
            _("Voting is still open: online ballots are still arriving and cannot be counted yet."),
            code="voting_open",
        )
    ballots_mix_final(election=contest.election)


def mix_due() -> int:
    """Every minute (beat): mix each contest where at least ``BALLOT_MIX_BATCH`` ballots wait,
    and everything left waiting in elections whose voting has closed. Returns ballots mixed."""
    mixed = 0
    waiting = {
        row["contest_id"]: row["n"]
        for row in PendingBallot.objects.values("contest_id").annotate(n=Count("pk")).order_by()
    }
    if not waiting:
        return 0
    closed_done = set()
    for contest in Contest.objects.filter(pk__in=waiting).select_related("election"):
        election = contest.election
        try:
            if election.pk in closed_done:
                continue
            from .selectors import is_after_close

            if is_after_close(election):
                closed_done.add(election.pk)
                mixed += ballots_settle(election=election)
            elif waiting[contest.pk] >= batch_size():
                mixed += ballots_mix(contest_id=contest.pk)
        except MixRefused:
            logger.exception("waiting ballots of contest %s not mixed", contest.pk)
    return mixed
