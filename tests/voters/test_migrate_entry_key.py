"""Migration voters 0008 (issue 23): the voter list's one foreign key (precinct, election). On a
database holding an entry whose precinct is of another election it stops, names the entry and
changes nothing; once the entry is corrected it applies."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.migrating import make_row, migrated_back_to

BEFORE = [("voters", "0007_state_languages")]
AFTER = [("voters", "0008_entry_precinct_of_its_election")]


@pytest.fixture
def migrated_back(transactional_db):
    with migrated_back_to(BEFORE) as executor:
        yield executor


def test_an_entry_in_a_precinct_of_another_election_is_named_and_nothing_changes(migrated_back):
    if connection.vendor != "postgresql":
        pytest.skip("the key is PostgreSQL's")
    graph = migrated_back.loader.graph  # every other app at its latest state, voters before 0008
    old = migrated_back.loader.project_state(
        [leaf for leaf in graph.leaf_nodes() if leaf[0] != "voters"] + BEFORE
    ).apps
    Election = old.get_model("elections", "Election")
    Unit = old.get_model("groups", "TerritorialUnit")
    Entry = old.get_model("voters", "RegisterEntry")
    ours, theirs = make_row(Election, slug="ours"), make_row(Election, slug="theirs")
    our_precinct = make_row(Unit, election=ours, kind="precinct", number=1001)
    their_precinct = make_row(Unit, election=theirs, kind="precinct", number=1001)
    wrong = make_row(Entry, election=ours, precinct=their_precinct, personal_number="12345678901234")

    executor = MigrationExecutor(connection)
    with pytest.raises(RuntimeError, match=rf"not a precinct of their own election.*\[{wrong.pk}\]"):
        executor.migrate(AFTER)
    executor = MigrationExecutor(connection)
    assert executor.loader.applied_migrations.keys().isdisjoint(AFTER)  # nothing changed
    Entry.objects.filter(pk=wrong.pk).update(precinct=our_precinct)
    executor.migrate(AFTER)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_constraint WHERE conname = 'voters_registerentry_precinct_of_its_election'"
        )
        assert cursor.fetchone() == (1,)
