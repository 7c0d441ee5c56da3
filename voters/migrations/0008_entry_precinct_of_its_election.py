"""One foreign key (precinct, election) on the voter list instead of two (PostgreSQL).

The list's election and precinct foreign keys become one: (precinct_id, election_id) references
(id, election_id) of the territorial units. It is stronger (an entry's precinct must be a unit of
the entry's own election, which two separate keys never checked) and cheaper: a million-row import
pays one check per row instead of two (issue 23; ``make bench``: voters.register_write_vs_copy_ratio).
Deferred, like Django's own keys. SQLite keeps no key here (Django's on_delete rules apply as
before on both databases)."""

import django.db.models.deletion
from django.db import migrations, models


TABLE = "voters_registerentry"
NAME = "voters_registerentry_precinct_of_its_election"


def add_key(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT e.id FROM {TABLE} e
                LEFT JOIN groups_territorialunit u ON u.id = e.precinct_id AND u.election_id = e.election_id
                WHERE u.id IS NULL ORDER BY e.id LIMIT 20"""
        )
        wrong = [row[0] for row in cursor.fetchall()]
    if wrong:  # the key would be refused with PostgreSQL's bare error: say what to correct
        raise RuntimeError(
            "Voter list entries whose precinct is not a precinct of their own election (ids, at most "
            f"20 shown): {wrong}. Move each to a precinct of its election (or remove it) and migrate again."
        )
    schema_editor.execute(
        f"ALTER TABLE {TABLE} ADD CONSTRAINT {NAME} FOREIGN KEY (precinct_id, election_id) "
        "REFERENCES groups_territorialunit (id, election_id) DEFERRABLE INITIALLY DEFERRED"
    )


def drop_key(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {TABLE} DROP CONSTRAINT {NAME}")


class Migration(migrations.Migration):
    dependencies = [
        ("elections", "0010_state_languages"),
        ("groups", "0010_unit_of_its_election"),
        ("voters", "0007_state_languages"),
    ]

    operations = [
        migrations.AlterField(
            model_name="registerentry",
            name="election",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="register_entries",
                to="elections.election",
                verbose_name="election",
            ),
        ),
        migrations.AlterField(
            model_name="registerentry",
            name="precinct",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="register_entries",
                to="groups.territorialunit",
                verbose_name="precinct",
            ),
        ),
        migrations.RunPython(add_key, drop_key),
    ]
