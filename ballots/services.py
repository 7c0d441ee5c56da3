"""Casting and entering ballots, contests and their options. Every write is one transaction.

Secrecy (docs/secrecy.md): the audit log records *that* a voter took part (participation), never
what a ballot holds; a ballot row is written without a timestamp or any reference to the voter;
e-mails confirm participation and never carry the choices or the receipt.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, IntegrityError, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import require
from electionportal.celery import app as celery_app
from elections.audit import audit_log
from elections.models import Election

from . import selectors
from .models import (
    RECEIPT_BYTES,
    Ballot,
    Channel,
    Contest,
    ContestOption,
    LateAttempt,
    Method,
    PaperTally,
    Participation,
    PendingBallot,
    TieRule,
    VotingSettings,
    new_receipt_code,
)
from .sealing import NONCE_BYTES, seal

logger = logging.getLogger(__name__)


class VotingRefused(ValidationError):
    """A ballot or an entry was refused; ``code`` says why (closed, already_voted, …)."""


def _refuse(message, code):
    raise VotingRefused(message, code=code)


def ballots_settle(*, election: Election) -> int:
    """After the close, mix whatever still waits (``ballots.mixing.ballots_settle``)."""
    from .mixing import ballots_settle as settle

    return settle(election=election)


def _readonly_observer(actor, election) -> None:
    from groups.services._common import is_read_only_observer

    if actor is not None and is_read_only_observer(actor, election):
        raise PermissionDenied(_("Observers can change nothing."))


# --- contests -------------------------------------------------------------------------------


def _require_unlocked(contest: Contest) -> None:
    if contest.is_locked:
        _refuse(_("Voting has opened: the ballot is locked and cannot change."), "locked")


@transaction.atomic
def contest_save(*, election: Election, actor, contest: Contest | None = None, **fields) -> Contest:
    """Create or change a contest (secretariat), refused once its ballot is locked."""
    if actor is not None:
        require(actor, "contest.manage", election)
    created = contest is None
    if created:
        contest = Contest(election=election)
        if "tie_rule" not in fields and fields.get("unit") is not None:
            # a council: a lot drawn by the commission unless the contest names the law's rule
            contest.tie_rule = TieRule.LOT
    else:
        contest = Contest.objects.select_for_update().get(pk=contest.pk)
        _require_unlocked(contest)
    for name, value in fields.items():
        setattr(contest, name, value)
    contest.follow_group()  # a group's ballot: the group's rule and seats, never its own
    contest.full_clean()
    _refuse_more_seats_than_candidates(contest)
    contest.save()
    audit_log(
        action="ballots.contest.created" if created else "ballots.contest.updated",
        actor=actor,
        obj=contest,
        election=election,
        data={
            "title": contest.title_ru,
            "method": contest.method,
            "seats": contest.seats,
            "alternates": contest.alternates,
            "group_id": contest.group_id,
            "unit_id": contest.unit_id,
        },
    )
    return contest


def _refuse_more_seats_than_candidates(contest: Contest) -> None:
    """Seats no more than the candidates on the ballot, once it lists them (party lists share their
    seats among the lists' candidates, so any number of seats is possible there)."""
    if contest.pk is None or contest.is_list:
        return
    candidates = contest.options.exclude(kind=ContestOption.Kind.AGAINST_ALL).count()
    if candidates and contest.seats > candidates:
        raise ValidationError(
            {
                "seats": _("The ballot lists %(candidates)s candidate(s): it cannot fill %(seats)s seats.")
                % {"candidates": candidates, "seats": contest.seats}
            }
        )


@transaction.atomic
def contests_follow_group(*, group, actor) -> list[Contest]:
    """The group's decision rule or seats changed: its ballot follows (issue 15: the two can never
    disagree). Refused, with the group's change, once the ballot is locked. Registered with
    ``groups.services.structure.follow_group_rules`` so that groups need not know ballots."""
    changed = []
    for contest in Contest.objects.select_for_update().filter(group=group):
        before = (contest.method, contest.seats, contest.alternates)
        contest.group = group
        contest.follow_group()
        if (contest.method, contest.seats, contest.alternates) == before:
            continue
        if contest.is_locked:
            raise ValidationError(
                _(
                    "The ballot “%(title)s” is locked (voting has opened): the group's rule and seats can no longer change."
                )
                % {"title": contest.title}
            )
        contest.full_clean()
        contest.save(update_fields=["method", "seats", "alternates"])
        audit_log(
            action="ballots.contest.followed_group",
            actor=actor,
            obj=contest,
            election=contest.election,
            data={
                "group_id": group.pk,
                "method": contest.method,
                "seats": contest.seats,
                "alternates": contest.alternates,
            },
        )
        changed.append(contest)
    return changed


def _candidate_label(application) -> tuple[str, str, str, str]:
    name = application.full_name
    detail = ", ".join(
        x for x in [getattr(application, "organisation", ""), getattr(application, "region", "")] if x
    )
    return name, name, detail, detail


@transaction.atomic
def contest_sync_options(*, contest: Contest, actor) -> list[ContestOption]:
    """Put the admitted candidates (or party lists) on the ballot, plus "against all" when used.

    Before the ballot is locked it follows the candidate list; candidates who left the race after
    the ballot was approved stay on it, marked (seed 003 items 25–26)."""
    from candidates.selectors import ballot_candidates

    if actor is not None:
        require(actor, "contest.manage", contest.election)
    contest = Contest.objects.select_for_update().get(pk=contest.pk)
    _require_unlocked(contest)
    target = contest.group or contest.unit
    wanted: list[dict] = []
    candidates = ballot_candidates(contest.election, target)
    if contest.is_list:
        lists = {}
        for app in candidates:
            if app.party_list_id:
                lists.setdefault(app.party_list_id, app.party_list)
        for party in lists.values():
            wanted.append(
                {
                    "kind": ContestOption.Kind.PARTY_LIST,
                    "party_list": party,
                    "application": None,
                    "label_ru": party.party_name,
                    "label_en": party.party_name,
                    "detail_ru": "",
                    "detail_en": "",
                    "left_race": False,
                }
            )
    else:
        for app in candidates:
            label_ru, label_en, detail_ru, detail_en = _candidate_label(app)
            wanted.append(
                {
                    "kind": ContestOption.Kind.CANDIDATE,
                    "application": app,
                    "party_list": None,
                    "label_ru": label_ru,
                    "label_en": label_en,
                    "detail_ru": detail_ru,
                    "detail_en": detail_en,
                    "left_race": bool(getattr(app, "left_after_ballot_approval", False)),
                }
            )
    wanted.sort(key=lambda w: w["label_ru"].casefold())
    if contest.has_against_all:
        wanted.append(
            {
                "kind": ContestOption.Kind.AGAINST_ALL,
                "application": None,
                "party_list": None,
                "label_ru": "Против всех",
                "label_en": "Against all",
                "detail_ru": "",
                "detail_en": "",
                "left_race": False,
            }
        )
    existing = {(o.kind, o.application_id, o.party_list_id): o for o in contest.options.all()}
    keep = []
    for position, w in enumerate(wanted):
        key = (
            w["kind"],
            w["application"].pk if w["application"] else None,
            w["party_list"].pk if w["party_list"] else None,
        )
        option = existing.pop(key, None) or ContestOption(contest=contest, kind=w["kind"])
        for name in (
            "application",
            "party_list",
            "label_ru",
            "label_en",
            "detail_ru",
            "detail_en",
            "left_race",
        ):
            setattr(option, name, w[name])
        option.position = position
        option.save()
        keep.append(option)
    for stale in existing.values():
        stale.delete()
    audit_log(
        action="ballots.contest.options_synced",
        actor=actor,
        obj=contest,
        election=contest.election,
        data={"options": [o.label_ru for o in keep]},
    )
    return keep


def lock_contests(*, election: Election, actor=None) -> None:
    """Lock every ballot of the election when voting opens (a lifecycle on-enter action)."""
    now = timezone.now()
    locked = Contest.objects.filter(election=election, locked_at__isnull=True).update(locked_at=now)
    if locked:
        audit_log(action="ballots.contest.locked", actor=actor, election=election, data={"contests": locked})


# --- choices --------------------------------------------------------------------------------


def validate_choices(contest: Contest, choices: list[str]) -> list[str]:
    """Check a ballot's choices against the contest's rules; returns them normalised."""
    codes = getattr(contest, "option_by_code", None) or {o.code: o for o in contest.options.all()}
    choices = [c for c in choices if c]
    if len(set(choices)) != len(choices):
        _refuse(_("An option is marked twice."), "duplicate")
    unknown = [c for c in choices if c not in codes]
    if unknown:
        _refuse(_("The ballot holds an option that is not on it."), "unknown_option")
    if not choices:
        if not contest.allows_blank:
            _refuse(_("Mark at least one option."), "blank")
        return []
    against = [c for c in choices if codes[c].kind == ContestOption.Kind.AGAINST_ALL]
    if against and len(choices) > 1:
        _refuse(_("“Against all” cannot be combined with other marks."), "against_all_mixed")
    if contest.method == Method.PLURALITY and len(choices) > contest.max_choices:
        _refuse(_("Mark at most %(n)s option(s).") % {"n": contest.max_choices}, "too_many")
    if contest.is_list and len(choices) > 1:
        _refuse(_("Mark one list."), "too_many")
    return choices


# --- casting online -------------------------------------------------------------------------


def elector_key(credential) -> str:
    return (
        f"registration:{credential.registration_id}"
        if credential.registration_id
        else f"entry:{credential.entry_id}"
    )


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
    from voters.services import credential_mark_used
    from voters.services.credentials import CredentialAlreadyUsed

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
    sealed content. The ballot waits in ``PendingBallot`` until it is mixed (ballots.mixing)."""
    from voters.models import VotingCredential

    return f"""
        WITH used AS (
            UPDATE {VotingCredential._meta.db_table} SET used_at = $1
            WHERE id = $2 AND election_id = $3 AND used_at IS NULL AND revoked_at IS NULL
              AND EXISTS (
                SELECT 1 FROM {Election._meta.db_table}
                WHERE id = $3 AND state = $4 AND voting_starts_at <= $1 AND voting_ends_at > $1)
            RETURNING CASE WHEN registration_id IS NOT NULL THEN 'registration:' || registration_id
                           ELSE 'entry:' || entry_id END AS elector
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
    from .mixing import ballots_mix

    try:
        ballots_mix(contest_id=contest_id)
    except Exception:  # the vote is recorded and waits; the next cast or the close mixes it
        logger.exception("mixing the waiting ballots of contest %s failed", contest_id)


def _send_now(credential_id: int) -> None:
    from .tasks import send_vote_confirmation

    try:
        send_vote_confirmation(credential_id)
    except Exception:  # the vote is recorded; a failed mail must not turn it into an error page
        logger.exception("vote confirmation for credential %s not sent", credential_id)


# --- offline channels ----------------------------------------------------------------------


def _require_counting_member(actor, contest: Contest) -> None:
    require(actor, "ballot.enter_paper", contest.group or contest.election)
    _readonly_observer(actor, contest.election)
    commission = selectors.counting_commission(actor, contest)
    if commission is None and not actor.is_superuser:
        raise PermissionDenied(
            _("Only members of the commission that counts this contest may enter ballots.")
        )
    if commission is not None:
        from groups.services import require_coi_declared

        require_coi_declared(actor, commission)


@transaction.atomic
def participation_record_offline(*, contest: Contest, voter, channel: str, actor) -> Participation:
    """Mark a voter as having voted at the assembly, on paper or by e-mail (seed 000 item 20).

    The same unique constraint as online voting refuses a second vote in any channel."""
    if channel == Channel.ONLINE:
        raise ValueError("online participation is recorded by ballot_cast")
    if actor is not None:
        _require_counting_member(actor, contest)
    key = f"registration:{voter.pk}" if voter._meta.model_name == "voterregistration" else f"entry:{voter.pk}"
    try:
        with transaction.atomic():
            participation = Participation.objects.create(
                election=contest.election, contest=contest, elector=key, channel=channel, recorded_by=actor
            )
    except IntegrityError:
        existing = Participation.objects.get(election=contest.election, elector=key)
        _refuse(
            _("This voter has already voted (%(channel)s).") % {"channel": existing.get_channel_display()},
            "already_voted",
        )
    credential = getattr(voter, "credential", None)
    if credential is not None and credential.revoked_at is None:
        type(credential).objects.filter(pk=credential.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    audit_log(
        action="ballots.participation.recorded",
        actor=actor,
        election=contest.election,
        data={"contest": contest.pk, "elector": key, "channel": channel},
    )
    return participation


@transaction.atomic
def paper_ballot_enter(
    *,
    contest: Contest,
    actor,
    choices: list[str],
    status: str = Ballot.Status.VALID,
    invalid_reason: str = "",
    channel: str = Channel.PAPER,
) -> Ballot:
    """Enter one paper/assembly/e-mailed ballot as read by the commission: valid, invalid (with a
    reason) or late (received after close). Needed for ranked contests."""
    if actor is not None:
        _require_counting_member(actor, contest)
    if status == Ballot.Status.VALID:
        choices = validate_choices(contest, choices)
    elif status == Ballot.Status.INVALID:
        if not invalid_reason.strip():
            _refuse(_("Say why the ballot is invalid."), "reason")
        choices = []
    ballot = Ballot.objects.create(
        contest=contest, choices=list(choices), status=status, invalid_reason=invalid_reason, channel=channel
    )
    audit_log(
        action="ballots.paper_ballot.entered",
        actor=actor,
        election=contest.election,
        data={"contest": contest.pk, "channel": channel, "status": status},
    )
    return ballot


@transaction.atomic
def paper_tally_enter(
    *,
    contest: Contest,
    actor,
    batch: str,
    counts: dict[str, int],
    blank: int = 0,
    invalid: int = 0,
    invalid_reasons: str = "",
    late: int = 0,
    channel: str = Channel.PAPER,
) -> PaperTally:
    """Enter the totals of one batch of paper ballots. With double entry the batch counts once two
    members' entries match (``selectors.paper_batches``)."""
    if actor is None:
        raise ValueError("paper tallies are entered by a commission member")
    _require_counting_member(actor, contest)
    codes = {o.code for o in contest.options.all()}
    unknown = set(counts) - codes
    if unknown:
        _refuse(_("The entry holds an option that is not on the ballot."), "unknown_option")
    if any(int(v) < 0 for v in counts.values()) or min(blank, invalid, late) < 0:
        _refuse(_("Numbers of ballots cannot be negative."), "negative")
    if invalid and not invalid_reasons.strip():
        _refuse(_("Say why the invalid ballots are invalid."), "reason")
    if not batch.strip():
        _refuse(_("Name the batch (e.g. the box number)."), "batch")
    Contest.objects.select_for_update().filter(pk=contest.pk).first()  # one entry at a time per contest
    current = list(
        PaperTally.objects.filter(
            contest=contest, batch=batch.strip(), superseded_at__isnull=True
        ).select_related("entered_by")
    )
    if any(e.entered_by_id == actor.pk for e in current):
        _refuse(
            _("You have already entered this batch; the second entry must come from another member."),
            "duplicate_entry",
        )
    double = selectors.voting_settings(contest.election).double_entry
    if len(current) >= (2 if double else 1):
        _refuse(
            _(
                "This batch is already entered (by %(names)s). If the figures are wrong or the two "
                "entries differ, the chair of the commission orders a recount of the batch; then it is "
                "entered again."
            )
            % {"names": ", ".join(e.entered_by.full_name or e.entered_by.email for e in current)},
            "batch_complete",
        )
    tally = PaperTally(
        contest=contest,
        batch=batch.strip(),
        channel=channel,
        entered_by=actor,
        counts={k: int(v) for k, v in counts.items() if int(v)},
        blank=blank,
        invalid=invalid,
        invalid_reasons=invalid_reasons,
        late=late,
    )
    try:
        with transaction.atomic():
            tally.save()
    except IntegrityError:
        _refuse(
            _("You have already entered this batch; the second entry must come from another member."),
            "duplicate_entry",
        )
    audit_log(
        action="ballots.paper_tally.entered",
        actor=actor,
        election=contest.election,
        data={"contest": contest.pk, "batch": tally.batch, "totals": tally.totals()},
    )
    return tally


RECOUNT_POSITIONS = ("chair", "deputy")
#: functions ``guard(contest) -> str | None`` that may refuse a recount with a reason; ``protocols``
#: registers one (a protocol being signed), so that ballots need not know protocols
RECOUNT_GUARDS: list = []


@transaction.atomic
def paper_batch_recount_order(*, contest: Contest, batch: str, actor, reason: str) -> int:
    """The chair (or deputy chair) of the counting commission orders a recount of a batch whose
    entries differ — or whose single entry is wrong (issue 15: a double entry always ends).

    The paper ballots of the batch are counted again and entered anew: by two members with double
    entry (the same two or others), by one without. The current entries are kept for the record,
    marked superseded with the chair's reason and time, and no longer count. Refused once the
    contest's protocol is being signed (a correction is needed then). Returns the number of
    entries superseded."""
    from groups.models import CommissionMember

    _require_counting_member(actor, contest)
    commission = selectors.counting_commission(actor, contest)
    position = (
        CommissionMember.objects.filter(commission=commission, user=actor, is_active=True)
        .values_list("position", flat=True)
        .first()
        if commission is not None
        else None
    )
    if position not in RECOUNT_POSITIONS:
        raise PermissionDenied(_("Only the chair or the deputy chair of the commission orders a recount."))
    if not reason.strip():
        _refuse(
            _("Say why the batch is counted again (e.g. the two entries differ in the votes for A)."),
            "reason",
        )
    for guard in RECOUNT_GUARDS:
        refusal = guard(contest)
        if refusal:
            _refuse(refusal, "recount_refused")
    Contest.objects.select_for_update().filter(pk=contest.pk).first()
    current = list(
        PaperTally.objects.select_for_update().filter(
            contest=contest, batch=batch, superseded_at__isnull=True
        )
    )
    if not current:
        _refuse(_("This batch has no entries to count again."), "no_entries")
    now = timezone.now()
    PaperTally.objects.filter(pk__in=[e.pk for e in current]).update(
        superseded_at=now, superseded_by=actor, superseded_reason=reason.strip()
    )
    audit_log(
        action="ballots.paper_tally.recount_ordered",
        actor=actor,
        election=contest.election,
        data={
            "contest": contest.pk,
            "batch": batch,
            "reason": reason.strip(),
            "superseded": [{"entry": e.pk, "member": e.entered_by_id, "totals": e.totals()} for e in current],
        },
    )
    return len(current)


DIGEST_ACTION = "ballots.participation.digest"


def participation_audit(*, election: Election, actor=None) -> int:
    """Seal the online participations not yet audited into one audit entry: their count, the id
    range and a SHA-256 over their canonical lines (id, contest, elector, channel, time), chained to
    the previous digest. Runs every minute (Celery beat) and when voting closes. Returns the number
    of participations sealed."""
    import hashlib

    from elections.audit import GENESIS
    from elections.models import AuditEntry

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


@transaction.atomic
def voting_settings_save(
    *, election: Election, actor, double_entry: bool, reminder_times: list
) -> VotingSettings:
    if actor is not None:
        require(actor, "contest.manage", election)
    settings_row, _created = VotingSettings.objects.get_or_create(election=election)
    settings_row.double_entry = double_entry
    settings_row.reminder_times = [
        t.isoformat() if hasattr(t, "isoformat") else str(t) for t in reminder_times
    ]
    settings_row.full_clean()
    settings_row.save()
    audit_log(
        action="ballots.settings.updated",
        actor=actor,
        election=election,
        data={"double_entry": double_entry, "reminder_times": settings_row.reminder_times},
    )
    return settings_row
