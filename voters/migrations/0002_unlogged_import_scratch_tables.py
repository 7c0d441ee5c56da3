"""On PostgreSQL the scratch tables of register imports are UNLOGGED: they hold rows only while
an import runs (and are emptied afterwards), so writing a million rows skips the WAL. After a
crash PostgreSQL empties them, which only means an interrupted import is checked again."""

from django.db import migrations

TABLES = ("voters_registerimportrow", "voters_registerimportproblem")


def set_unlogged(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"ALTER TABLE {table} SET UNLOGGED")


def set_logged(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"ALTER TABLE {table} SET LOGGED")


class Migration(migrations.Migration):
    dependencies = [("voters", "0001_registration_register_credentials")]

    operations = [migrations.RunPython(set_unlogged, set_logged)]
