"""Decision numbers under concurrency (PostgreSQL row locks): two members recording decisions
of the same commission at the same moment get numbers 1 and 2, never the same one."""

import threading

import pytest
from django.db import connection, connections, transaction

from candidates import services

from .factories import ApplicationFactory, all_vote


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (row locks and concurrent transactions)"
)
def test_concurrent_decisions_get_consecutive_numbers(transactional_db, cand):
    applications = [ApplicationFactory(election=cand["election"], group=cand["group_a"]) for _ in range(2)]
    actor = cand["users"]["commission_a"]
    votes = all_vote(cand["voters_a"])
    barrier = threading.Barrier(2)
    numbers, errors = [], []

    def decide(application):
        try:
            with transaction.atomic():
                barrier.wait()
                numbers.append(
                    services.application_decide(
                        application=application, actor=actor, decision="admit", votes=votes
                    ).number
                )
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide, args=(a,)) for a in applications]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(numbers) == [1, 2]
