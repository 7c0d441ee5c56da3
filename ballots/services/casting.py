"""Casting online ballots, and the mix's callers. Every write is one transaction.

Secrecy (docs/secrecy.md): the audit log records *that* a voter took part (participation), never
what a ballot holds; a ballot row is written without a timestamp or any reference to the voter;
e-mails confirm participation and never carry the choices or the receipt.
"""

from __future__ import annotations

import contextlib
import logging
import os
import uuid

# the configured Celery app: electionportal's, which the Celery Django fixup makes the default app
# in every thread; domain apps do not import electionportal (issue 17)
from celery import current_app as celery_app
from django.db import DEFAULT_DB_ALIAS, DatabaseError, IntegrityError, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from elections.models import Election
from voters.services import credential_mark_used
from voters.services.credentials import CredentialAlreadyUsed, credential_use_sql, elector_key

from .. import selectors
from ..models import (
    RECEIPT_BYTES,
    Ballot,
    Channel,
    Contest,
    LateAttempt,
    Participation,
    PendingBallot,
    new_receipt_code,
)
from ..sealing import NONCE_BYTES, seal
from ._common import VotingRefused, _refuse
from .contests import validate_choices

logger = logging.getLogger(__name__)


def ballots_settle(*, election: Election) -> int:
    """After the close, mix whatever still waits (``ballots.mixing.ballots_settle``)."""
    from ..mixing import ballots_settle as settle

    return settle(election=election)


# --- casting online -------------------------------------------------------------------------


def ballot_cast(*, credential, choices: list[str], now=None) -> Ballot:
    """Cast an online ballot with a voting credential; returns the ballot with its receipt.

    Rules: the election is at the voting stage and the server clock is inside the voting window
    (otherwise the attempt is logged as late and refused); the credential is used once; the voter
    has not voted in any channel (unique participation, in the same transaction as the ballot).

    On PostgreSQL an accepted ballot is one statement (``_cast_in_one_statement``); when it
    writes nothing (window, used or revoked link) the ORM path below finds out why and refuses
    exactly as it always did. SQLite takes the ORM path for everything.
    """
    now = now or timezone.now()
    contest = selectors.voting_contest(credential)
    if contest is None:
        _refuse(_("There is no ballot for you in this election."), "no_contest")
    if connection.vendor == "postgresql":
        ballot = _try_one_statement(
            credential_id=credential.pk,
            election_id=credential.election_id,
            contest=contest,
            choices=choices,
            now=now,
        )
        if ballot is not None:
            credential.used_at = now
            return ballot
    return _ballot_cast_orm(credential=credential, contest=contest, choices=choices, now=now)


def ballot_cast_by_ids(
    *, election_id: int, credential_id: int, contest_id: int, choices: list[str], now=None
):
    """Cast an online ballot for the credential and contest named by a verified cast token
    (``ballots.tokens``), reading nothing before the statement: on PostgreSQL an accepted ballot
    is the one statement alone (the contest comes from the process cache). When the statement
    writes nothing, or on SQLite, the credential is read and ``ballot_cast``'s ORM path decides
    and explains, with the same rules."""
    now = now or timezone.now()
    if connection.vendor == "postgresql":
        contest = selectors.locked_contest(contest_id)
        if contest is not None and contest.election_id == election_id:
            ballot = _try_one_statement(
                credential_id=credential_id,
                election_id=election_id,
                contest=contest,
                choices=choices,
                now=now,
            )
            if ballot is not None:
                return ballot
    credential = selectors.voter_credential(election_id, credential_id)
    if credential is None:
        _refuse(_("This voting link is no longer valid."), "revoked")
    contest = selectors.voting_contest(credential)
    if contest is None:
        _refuse(_("There is no ballot for you in this election."), "no_contest")
    return _ballot_cast_orm(credential=credential, contest=contest, choices=choices, now=now)


def _try_one_statement(*, credential_id, election_id, contest, choices, now) -> Ballot | None:
    try:
        valid = validate_choices(contest, choices)
    except VotingRefused:
        return None  # refused by the ORM path, after the window check, as before
    return _cast_in_one_statement(
        credential_id=credential_id, election_id=election_id, contest=contest, choices=valid, now=now
    )


def _ballot_cast_orm(*, credential, contest: Contest, choices: list[str], now) -> Ballot:

    election = Election.objects.get(pk=credential.election_id)  # the current stage, not a cached one
    window = selectors.voting_window(election, now)
    if window.status != "open":
        if window.status == "closed":
            LateAttempt.objects.create(contest=contest)  # outside the ballot transaction: it must stay
            logger.info("late online ballot refused for contest %s", contest.pk)
            _refuse(
                _("Voting closed at %(time)s; your ballot was not accepted.")
                % {"time": timezone.localtime(window.closes_at, election.tz).strftime("%d.%m.%Y %H:%M")},
                "closed",
            )
        _refuse(_("Voting has not opened yet."), "not_open")
    choices = validate_choices(contest, choices)
    try:
        with transaction.atomic():
            if credential.revoked_at is not None:
                _refuse(_("This voting link is no longer valid."), "revoked")
            try:
                credential_mark_used(credential)
            except CredentialAlreadyUsed:
                _refuse(_("This voting link has already been used: you have voted."), "already_voted")
            Participation.objects.create(
                election=election,
                contest=contest,
                elector=elector_key(credential),
                channel=Channel.ONLINE,
                recorded_at=now,
            )
            random = os.urandom(16 + RECEIPT_BYTES + NONCE_BYTES)
            pending_id, receipt = uuid.UUID(bytes=random[:16], version=4), new_receipt_code(random[16:28])
            PendingBallot.objects.create(
                id=pending_id,
                contest=contest,
                sealed=seal(
                    pending_id=pending_id,
                    contest_id=contest.pk,
                    choices=choices,
                    receipt=receipt,
                    nonce=random[28:],
                ),
            )
            # Closing voting locks the waiting ballots' table and mixes them (ballots.mixing): a
            # close that committed while this transaction waited for that lock is seen here, and
            # the ballot is refused instead of waiting after the close.
            if not Election.objects.filter(
                pk=election.pk,
                state=Election.State.VOTING,
                voting_starts_at__lte=now,
                voting_ends_at__gt=now,
            ).exists():
                _refuse(_("Voting has closed; your ballot was not accepted."), "closed")
            # The audit entry for online votes is a digest of the participations, appended every
            # minute and when voting closes (participation_audit): one chained entry per vote would
            # serialise every ballot on the audit head lock.
            _after_commit(credential.pk, contest.pk)
    except IntegrityError:
        _refuse(_("You have already voted in this election."), "already_voted")
    return _as_cast(contest.pk, choices, receipt)


CAST_STATEMENT = "ballots_cast_online_v2"  # the name of the prepared statement on each connection


def _cast_statement_sql() -> str:
    """The casting statement with positional parameters: $1 now, $2 credential, $3 election,
    $4 the voting stage, $5 contest, $6 the online channel, $7 the waiting ballot's id, $8 its
    sealed content. The ballot waits in ``PendingBallot`` until it is mixed (ballots.mixing). The
    credential's use is voters' own SQL (``credential_use_sql``), on condition that the election
    is at the voting stage inside its window."""
    open_election = f"""AND EXISTS (
                SELECT 1 FROM {Election._meta.db_table}
                WHERE id = $3 AND state = $4 AND voting_starts_at <= $1 AND voting_ends_at > $1)"""  # noqa: S608
    return f"""
        WITH used AS (
            {credential_use_sql(now="$1", credential="$2", election="$3", also=open_election)}
        ), took_part AS (
            INSERT INTO {Participation._meta.db_table}
                (election_id, contest_id, elector, channel, recorded_at, recorded_by_id, audited_in)
            SELECT $3, $5, used.elector, $6, $1, NULL, NULL FROM used
            RETURNING id
        )
        INSERT INTO {PendingBallot._meta.db_table} (id, contest_id, sealed)
        SELECT $7, $5, $8 FROM took_part
    """  # noqa: S608 - table names from the models, values as parameters


def _execute_cast(db, cursor, params: list) -> int:
    """Run the casting statement on the connection ``db``, prepared once per database connection
    (PREPARE ... EXECUTE: PostgreSQL parses and plans it once instead of with every vote).
    Returns the rows written."""
    raw = db.connection
    if getattr(db, "_ballots_cast_prepared_on", None) is not raw:
        cursor.execute(
            f"PREPARE {CAST_STATEMENT} (timestamptz, bigint, bigint, text, bigint, text, uuid, bytea)"
            f" AS {_cast_statement_sql()}"
        )
        db._ballots_cast_prepared_on = raw
    cursor.execute(f"EXECUTE {CAST_STATEMENT} (%s, %s, %s, %s, %s, %s, %s, %s)", params)
    return cursor.rowcount


def _cast_in_one_statement(*, credential_id, election_id, contest: Contest, choices: list[str], now):
    """PostgreSQL: use the credential, record the participation and put the sealed ballot in the
    waiting table (mixed into ``Ballot`` later) in one statement, so one transaction with one
    round trip. The credential is used only where it is
    unused and unrevoked *and* the election is at the voting stage inside its window by ``now``
    (the server clock, as ``selectors.voting_window``); the participation (its elector key taken
    from the credential row) and the ballot are inserted only when it was. The unique
    participation refuses a second vote in any channel (IntegrityError: the whole statement rolls
    back). Returns None when nothing was written, else the ballot as cast (not stored yet)."""
    # one system call for the waiting row's id, the receipt and the seal's nonce
    random = os.urandom(16 + RECEIPT_BYTES + NONCE_BYTES)
    pending_id, receipt = uuid.UUID(bytes=random[:16], version=4), new_receipt_code(random[16:28])
    sealed = seal(
        pending_id=pending_id, contest_id=contest.pk, choices=choices, receipt=receipt, nonce=random[28:]
    )
    params = [
        now,
        credential_id,
        election_id,
        Election.State.VOTING,
        contest.pk,
        Channel.ONLINE,
        pending_id,
        sealed,
    ]
    # In autocommit mode the statement is its own transaction (PostgreSQL rolls all of it back on
    # an error), so no BEGIN/COMMIT round trips; inside a caller's transaction a savepoint keeps
    # that transaction usable after a refusal.
    db = connections[DEFAULT_DB_ALIAS]  # the thread's connection, looked up once
    for attempt in (1, 2):
        atomic = transaction.atomic() if not db.get_autocommit() else contextlib.nullcontext()
        try:
            with atomic, db.cursor() as cursor:
                written = _execute_cast(db, cursor, params)
            break
        except IntegrityError:
            _refuse(_("You have already voted in this election."), "already_voted")
        except DatabaseError as exc:
            # the prepared statement was dropped behind our back (DISCARD ALL, a pooler): again
            if attempt == 2 or getattr(exc.__cause__, "pgcode", None) != "26000":
                raise
            db._ballots_cast_prepared_on = None
    if written != 1:
        return None
    _after_commit(credential_id, contest.pk)
    return _as_cast(contest.pk, choices, receipt)


def _as_cast(contest_id: int, choices: list[str], receipt: str) -> Ballot:
    """The ballot as the voter cast it, for the receipt: not a stored row (``pk`` is None) — it
    waits to be mixed, and its row gets a fresh random id then."""
    # from_db: the model's fast positional path (Model.__init__ costs more on the busiest request)
    ballot = Ballot.from_db(
        DEFAULT_DB_ALIAS,
        _BALLOT_FIELDS,
        (None, contest_id, choices, Ballot.Status.VALID, "", Channel.ONLINE, receipt),
    )
    ballot._state.adding = True  # not a stored row
    return ballot


_BALLOT_FIELDS = ["id", "contest_id", "choices", "status", "invalid_reason", "channel", "receipt"]


def _after_commit(credential_id: int, contest_id: int) -> None:
    """The confirmation mail and the mix. With a broker (production) nothing is queued per vote:
    the ``ballots.send_pending_vote_confirmations`` beat task sends every minute what is due, once
    (``VotingCredential.confirmation_sent_at``), and ``ballots.mix_ballots`` mixes the waiting
    ballots. Without one (the embedded default, eager Celery and no beat) both happen right after
    the commit, in the request: never inside the cast's own transaction."""
    if celery_app.conf.task_always_eager:
        transaction.on_commit(lambda: _send_now(credential_id))
        transaction.on_commit(lambda: _mix_now(contest_id))


def _mix_now(contest_id: int) -> None:
    from ..mixing import ballots_mix

    try:
        ballots_mix(contest_id=contest_id)
    except Exception:  # the vote is recorded and waits; the next cast or the close mixes it
        logger.exception("mixing the waiting ballots of contest %s failed", contest_id)


def _send_now(credential_id: int) -> None:
    from ..tasks import send_vote_confirmation

    try:
        send_vote_confirmation(credential_id)
    except Exception:  # the vote is recorded; a failed mail must not turn it into an error page
        logger.exception("vote confirmation for credential %s not sent", credential_id)
