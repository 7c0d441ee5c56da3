"""Unlinkable ballots (issue 16): the cast writes the participation and a sealed waiting ballot in
one transaction; the mix moves waiting ballots into the ballot table in random order, many per
transaction. Neither transaction ids (xmin), physical order (ctid), nor any column of the ballot
table links a ballot to its voter better than chance; nothing waiting is ever lost to the board or
a count.

The statistical bound (``_chance_bound``): when ballots are mixed in batches, an attacker knows
each ballot's batch (its xmin) and the batch's voters (the participations between two mixes);
pairing them inside a batch by any order independent of the cast order is a uniformly random
permutation, whose number of right pairs (fixed points) has mean 1 and is close to Poisson(1).
Over ``b`` independent batches the right pairs are about Poisson(b). We allow
``b + 6·sqrt(b) + 3``: the chance that a random pairing exceeds it is below one in a million per
ordering tried, while the old design (one transaction per vote) named every voter.
"""

import datetime as dt
import math
import random
import threading

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from freezegun import freeze_time

from ballots import mixing, services
from ballots.models import Ballot, ContestOption, Participation, PendingBallot
from ballots.sealing import seal
from elections.models import Election
from elections.services import election_transition
from tests.ballots.fixtures import AFTER, OPEN, _credential, _registration, cast_ballots
from tests.factories import ElectionFactory, GroupFactory

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="xmin and ctid are PostgreSQL's")

VOTERS = 300
BATCH = 25  # BALLOT_MIX_BATCH here: 12 batches during voting
DURING = dt.datetime(2030, 8, 17, 5, 0, tzinfo=dt.UTC)


def _chance_bound(batches: int) -> int:
    return math.floor(batches + 6 * math.sqrt(batches) + 3)


def _election(n_voters: int, slug: str):
    election = ElectionFactory(slug=slug)
    group = GroupFactory(election=election, slug="g")
    contest = services.contest_save(
        election=election,
        actor=None,
        group=group,
        title_ru="Бюллетень",
        method="plurality",
        seats=1,
        alternates=0,
        max_choices=1,
        has_against_all=True,
    )
    options = [
        ContestOption.objects.create(contest=contest, kind="candidate", label_ru=f"Кандидат {i}", position=i)
        for i in range(3)
    ]
    options.append(
        ContestOption.objects.create(contest=contest, kind="against_all", label_ru="Против", position=9)
    )
    credentials = [_credential(_registration(election, group, n), f"{slug}-{n}") for n in range(n_voters)]
    for name in ("announce", "open_registration", "open_voting"):
        election = election_transition(election=election, transition=name, actor=None)
    return election, contest, options, credentials


def _ordered(sql: str) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [row[0] for row in cursor.fetchall()]


BALLOT_COLUMNS = ["id", "contest_id", "choices::text", "status", "invalid_reason", "channel", "receipt"]
XMIN = "xmin::text::bigint"


def _ballot_orders() -> dict[str, str]:
    """Every order an attacker could sort the ballot table by: transaction id, physical position,
    and each column — alone, within the transaction, and by position."""
    orders = {"xmin": f"{XMIN}, ctid", "ctid": "ctid"}
    for column in BALLOT_COLUMNS:
        orders[column] = f"{column}, ctid"
        orders[f"xmin+{column}"] = f"{XMIN}, {column}"
    return orders


PARTICIPATION_ORDERS = {"xmin": f"{XMIN}, id", "id": "id", "recorded_at": "recorded_at, id", "ctid": "ctid"}


def _right_pairs(truth: dict[str, str], contest) -> dict[str, int]:
    """For every pairing of a ballot order with a participation order: how many of the pairs put
    the right voter with the ballot (by its receipt)."""
    ballots, participations = Ballot._meta.db_table, Participation._meta.db_table
    found = {}
    for p_name, p_order in PARTICIPATION_ORDERS.items():
        electors = _ordered(
            f"SELECT elector FROM {participations} WHERE contest_id = {contest.pk} ORDER BY {p_order}"  # noqa: S608
        )
        for b_name, b_order in _ballot_orders().items():
            receipts = _ordered(
                f"SELECT receipt FROM {ballots} WHERE contest_id = {contest.pk} ORDER BY {b_order}"  # noqa: S608
            )
            assert len(receipts) == len(electors)
            found[f"{b_name} ~ {p_name}"] = sum(
                truth[e] == r for e, r in zip(electors, receipts, strict=True)
            )
    return found


def _joined_on(column: str, contest) -> int:
    ballots, participations = Ballot._meta.db_table, Participation._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT p.elector, b.receipt FROM {ballots} b JOIN {participations} p ON b.{column} = p.{column} "  # noqa: S608
            f"WHERE b.contest_id = %s AND p.contest_id = %s",
            [contest.pk, contest.pk],
        )
        return cursor.fetchall()


@pytest.mark.postgres
@on_postgresql
@pytest.mark.django_db(transaction=True)
@override_settings(BALLOT_MIX_BATCH=BATCH)
def test_no_column_order_or_transaction_id_links_ballots_to_voters():
    election, contest, options, credentials = _election(VOTERS, "unlinkable")
    rng = random.Random(16)  # noqa: S311 - the voters' choices, not a secret
    truth = {}  # elector -> receipt, as the voters know them
    control = None
    for n, credential in enumerate(credentials):
        ballot = services.ballot_cast_by_ids(
            election_id=election.pk,
            credential_id=credential.pk,
            contest_id=contest.pk,
            choices=[rng.choice(options).code] if rng.random() < 0.95 else [],
            now=DURING + dt.timedelta(seconds=n),
        )
        truth[f"registration:{credential.registration_id}"] = ballot.receipt
        if n + 2 == BATCH:
            # control: before a mix the waiting rows share the casts' transaction ids, as the
            # ballots did before issue 16 — the same attack names every voter
            waiting = _ordered(
                f"SELECT id FROM {PendingBallot._meta.db_table} ORDER BY {XMIN}"  # noqa: S608
            )
            electors = _ordered(f"SELECT elector FROM {Participation._meta.db_table} ORDER BY {XMIN}")  # noqa: S608
            assert len(waiting) == len(electors) == BATCH - 1
            control = _control_pairs(waiting, electors, truth)
        if (n + 1) % BATCH == 0:
            # a batch is due: mixed right after the cast committed (no broker), else by the beat
            mixing.mix_due()
            assert PendingBallot.objects.count() == 0
    assert control == BATCH - 1
    assert PendingBallot.objects.count() == 0 and Ballot.objects.filter(contest=contest).count() == VOTERS
    batches = VOTERS // BATCH
    assert len(set(_ordered(f"SELECT {XMIN} FROM {Ballot._meta.db_table}"))) == batches  # noqa: S608

    # during voting: only the batch shows
    assert _joined_on("xmin", contest) == []
    pairs = {**_right_pairs(truth, contest), "ctid = ctid": _right_join(truth, contest)}
    for name, right in pairs.items():
        assert right <= _chance_bound(batches), (name, right)

    # after the close every online ballot was rewritten in one random order by one transaction
    with freeze_time(AFTER):
        election_transition(election=election, transition="close_voting", actor=None)
    assert len(set(_ordered(f"SELECT {XMIN} FROM {Ballot._meta.db_table}"))) == 1  # noqa: S608
    assert sorted(Ballot.objects.values_list("receipt", flat=True)) == sorted(truth.values())
    pairs = {**_right_pairs(truth, contest), "ctid = ctid": _right_join(truth, contest)}
    for name, right in pairs.items():
        assert right <= _chance_bound(1), (name, right)
    # no sequence and no time in the ballot table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, data_type, column_default FROM information_schema.columns WHERE table_name = %s",
            [Ballot._meta.db_table],
        )
        columns = cursor.fetchall()
    assert sorted(c[0] for c in columns) == sorted(c.split("::")[0] for c in BALLOT_COLUMNS)
    assert not [c for c in columns if "nextval" in (c[2] or "") or "time" in c[1] or "date" in c[1]]


def _control_pairs(waiting_ids, electors, truth) -> int:
    from ballots.sealing import unseal

    rows = {p.pk: p for p in PendingBallot.objects.all()}
    receipts = [
        unseal(pending_id=i, contest_id=rows[i].contest_id, sealed=rows[i].sealed)[1] for i in waiting_ids
    ]
    return sum(truth[e] == r for e, r in zip(electors, receipts, strict=True))


def _right_join(truth, contest) -> int:
    return sum(truth[elector] == receipt for elector, receipt in _joined_on("ctid", contest))


# --- nothing waiting is lost -------------------------------------------------------------------


def test_closing_voting_stores_the_last_small_batch_and_the_count_has_them_all(vote):
    from protocols.services.counts import contest_count

    with freeze_time(OPEN):
        cast = [
            services.ballot_cast(credential=vote["credentials"][n], choices=[code])
            for n, code in enumerate([vote["alpha"].code, vote["alpha"].code, vote["beta"].code])
        ]
    assert PendingBallot.objects.count() == 3 and Ballot.objects.count() == 0  # fewer than a batch
    with pytest.raises(services.VotingRefused) as early:
        contest_count(contest=vote["contest"], actor=None)  # a count while voting is open
    assert early.value.code == "voting_open" and "Голосование ещё идёт" in early.value.messages[0]
    with freeze_time(AFTER):
        election_transition(election=vote["election"], transition="close_voting", actor=None)
        stored = contest_count(contest=vote["contest"], actor=None)
    assert PendingBallot.objects.count() == 0
    assert sorted(Ballot.objects.values_list("receipt", flat=True)) == sorted(b.receipt for b in cast)
    assert stored.tallies["votes"] == {vote["alpha"].code: 2, vote["beta"].code: 1}


def _stray(vote, choices, receipt):
    """A waiting ballot written after the close (a cast that raced it, as the database could
    have it), sealed as a cast seals it."""
    import uuid

    pending_id = uuid.uuid4()
    PendingBallot.objects.create(
        id=pending_id,
        contest=vote["contest"],
        sealed=seal(pending_id=pending_id, contest_id=vote["contest"].pk, choices=choices, receipt=receipt),
    )


def test_a_ballot_still_waiting_after_the_close_reaches_the_board_and_the_count(vote, client):
    from protocols.services.counts import contest_count

    with freeze_time(AFTER):
        election_transition(election=vote["election"], transition="close_voting", actor=None)
    _stray(vote, [vote["beta"].code], "ABCD-EFGH-JK23")
    page = client.get(
        reverse("ballots:board", args=[vote["election"].slug]), {"receipt": "ABCD-EFGH-JK23"}
    ).content.decode()
    assert 'id="receipt-found"' in page and "Борисов Бекзат" in page
    _stray(vote, [vote["alpha"].code], "ABCD-EFGH-JK24")
    assert contest_count(contest=vote["contest"], actor=None).tallies["votes"] == {
        vote["alpha"].code: 1,
        vote["beta"].code: 1,
    }
    assert PendingBallot.objects.count() == 0


def test_a_protocol_started_with_a_ballot_still_waiting_counts_it_in_its_figures(vote):
    from groups.models import CommissionMember
    from protocols.services.protocol import protocol_create
    from tests.ballots.fixtures import _counting_member

    with freeze_time(AFTER):
        election_transition(election=vote["election"], transition="close_voting", actor=None)
    _stray(vote, [vote["beta"].code], "ABCD-EFGH-JK25")
    chair = _counting_member(vote, "chair-prefill@example.org")
    CommissionMember.objects.filter(user=chair).update(position="chair")
    protocol = protocol_create(
        contest=vote["contest"], level="group", commission=vote["commission"], actor=chair
    )
    assert protocol.votes.get(vote["beta"].code) == 1 and PendingBallot.objects.count() == 0


def test_the_beat_task_mixes_a_contest_once_a_batch_waits(vote):
    from ballots.tasks import mix_ballots

    with override_settings(BALLOT_MIX_BATCH=3), freeze_time(OPEN):
        services.ballot_cast(credential=vote["credentials"][0], choices=[vote["alpha"].code])
        services.ballot_cast(credential=vote["credentials"][1], choices=[])
        assert mix_ballots() == 0 and PendingBallot.objects.count() == 2
        services.ballot_cast(credential=vote["credentials"][2], choices=[vote["beta"].code])
        assert mix_ballots() == 3
    assert PendingBallot.objects.count() == 0 and Ballot.objects.count() == 3
    assert len(cast_ballots()) == 3


def test_without_a_broker_the_mix_runs_after_the_cast_commits(vote, django_capture_on_commit_callbacks):
    with override_settings(BALLOT_MIX_BATCH=2), freeze_time(OPEN):
        with django_capture_on_commit_callbacks(execute=True):
            services.ballot_cast(credential=vote["credentials"][0], choices=[vote["alpha"].code])
        assert PendingBallot.objects.count() == 1 and Ballot.objects.count() == 0
        with django_capture_on_commit_callbacks(execute=True):
            services.ballot_cast(credential=vote["credentials"][1], choices=[vote["beta"].code])
    assert PendingBallot.objects.count() == 0 and Ballot.objects.count() == 2


def test_a_changed_secret_key_keeps_the_waiting_ballots_and_blocks_certification(vote, settings):
    from elections.lifecycle import BY_NAME, blockers

    with freeze_time(OPEN):
        services.ballot_cast(credential=vote["credentials"][0], choices=[vote["alpha"].code])
    old = settings.SECRET_KEY
    settings.SECRET_KEY = "another-" + "k" * 50
    with freeze_time(AFTER), pytest.raises(mixing.MixRefused) as refused:
        election_transition(election=vote["election"], transition="close_voting", actor=None)
    assert "секретный ключ сервера сменился" in refused.value.messages[0]
    assert Election.objects.get(pk=vote["election"].pk).state == "voting"  # the close rolled back
    assert PendingBallot.objects.count() == 1
    # the close goes through outside the lifecycle (an administrator): certification is blocked
    Election.objects.filter(pk=vote["election"].pk).update(state="counting")
    election = Election.objects.get(pk=vote["election"].pk)
    found = blockers(election, BY_NAME["certify"])
    assert [b.code for b in found if b.code == "ballots_waiting"] == ["ballots_waiting"]
    settings.SECRET_KEY_FALLBACKS = [old]  # the previous key among the fallbacks: stored
    assert services.ballots_settle(election=election) == 1
    assert PendingBallot.objects.count() == 0 and Ballot.objects.count() == 1
    assert not [b for b in blockers(election, BY_NAME["certify"]) if b.code == "ballots_waiting"]


def test_the_waiting_table_shows_no_content():
    import uuid

    pending_id = uuid.uuid4()
    sealed = seal(pending_id=pending_id, contest_id=7, choices=["a1b2c3d4"], receipt="ABCD-EFGH-JK23")
    assert b"a1b2c3d4" not in sealed and b"ABCD" not in sealed
    from ballots.sealing import SealBroken, unseal

    assert unseal(pending_id=pending_id, contest_id=7, sealed=sealed) == (["a1b2c3d4"], "ABCD-EFGH-JK23")
    with pytest.raises(SealBroken):  # a content only opens in its own row
        unseal(pending_id=uuid.uuid4(), contest_id=7, sealed=sealed)


# --- the close and a cast in flight (PostgreSQL) --------------------------------------------------


@pytest.mark.postgres
@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_cast_waiting_on_the_close_is_refused_and_nothing_is_left_waiting():
    """The close locks the waiting table and mixes; a cast statement that waited for the lock
    runs after the close committed, sees the closed election and writes nothing."""
    from django.db import transaction

    election, contest, options, credentials = _election(1, "race-close")
    outcome = []
    started = threading.Event()

    def cast():
        from django.db import connection as conn

        try:
            started.set()
            services.ballot_cast_by_ids(
                election_id=election.pk,
                credential_id=credentials[0].pk,
                contest_id=contest.pk,
                choices=[options[0].code],
                now=DURING,
            )
            outcome.append("ok")
        except services.VotingRefused as exc:
            outcome.append(exc.code)
        finally:
            conn.close()

    with transaction.atomic():
        mixing._lock_waiting("SHARE ROW EXCLUSIVE")  # what the close takes first …
        Election.objects.filter(pk=election.pk).update(state=Election.State.COUNTING)
        thread = threading.Thread(target=cast)
        thread.start()
        started.wait(10)
        thread.join(1.5)
        assert thread.is_alive()  # … so the cast waits for the close to commit
    thread.join(30)
    assert outcome == ["closed"]
    assert PendingBallot.objects.count() == 0 and Participation.objects.count() == 0
    credentials[0].refresh_from_db()
    assert credentials[0].used_at is None
