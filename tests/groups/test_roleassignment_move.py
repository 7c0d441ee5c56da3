"""Role assignments moved from accounts to groups (issue 17, "no cycles") without touching the
database: migrating from the previous state keeps the rows, the content type (and the permissions
pointing at it) follows the model, and the table still has the constraint and index names the
model would create. The suite's own test database is the forward run on a fresh database."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import Role
from groups.models import RoleAssignment

BEFORE = [("accounts", "0003_party_representative_role"), ("groups", "0005_remove_decided_columns")]
AFTER = [("accounts", "0004_roleassignment_moved_out"), ("groups", "0006_roleassignment_from_accounts")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_migrating_from_accounts_keeps_the_rows_and_the_content_type():
    content_type = ContentType.objects.get_for_model(RoleAssignment)
    permissions = set(Permission.objects.filter(content_type=content_type).values_list("pk", "codename"))
    assert (content_type.app_label, len(permissions)) == ("groups", 4)
    try:
        old_apps = _migrate(BEFORE)
        assert not old_apps.get_app_config("groups").models.get("roleassignment")
        OldAssignment = old_apps.get_model("accounts", "RoleAssignment")
        OldUser = old_apps.get_model("accounts", "User")
        OldContentType = old_apps.get_model("contenttypes", "ContentType")
        # the previous state: the content type is labelled accounts again
        assert OldContentType.objects.get(pk=content_type.pk).app_label == "accounts"
        user = OldUser.objects.create(email="kept@example.org")
        OldAssignment.objects.create(user=user, role=Role.SECRETARIAT)
        OldAssignment.objects.create(user=user, role=Role.OBSERVER)
        rows = set(OldAssignment.objects.values_list("pk", "user_id", "role", "election_id"))

        new_apps = _migrate(AFTER)
        NewAssignment = new_apps.get_model("groups", "RoleAssignment")
        assert set(NewAssignment.objects.values_list("pk", "user_id", "role", "election_id")) == rows
        assert "roleassignment" not in new_apps.get_app_config("accounts").models
    finally:
        _migrate(_latest())
    ContentType.objects.clear_cache()
    moved = ContentType.objects.get(model="roleassignment")
    assert (moved.pk, moved.app_label) == (content_type.pk, "groups")
    assert set(Permission.objects.filter(content_type=moved).values_list("pk", "codename")) == permissions
    assert RoleAssignment.objects.filter(user__email="kept@example.org").count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_content_type_step_is_skipped_when_there_is_nothing_to_move():
    """A fresh database has no content types while migrating; a database that already holds the
    target label keeps both rows as they are (no unique clash)."""
    ContentType.objects.filter(model="roleassignment").delete()
    try:
        _migrate(BEFORE)
        assert not ContentType.objects.filter(model="roleassignment").exists()
        _migrate(AFTER)
        assert not ContentType.objects.filter(model="roleassignment").exists()
        _migrate(BEFORE)
        ContentType.objects.create(app_label="accounts", model="roleassignment")
        ContentType.objects.create(app_label="groups", model="roleassignment")
        _migrate(AFTER)
        assert set(
            ContentType.objects.filter(model="roleassignment").values_list("app_label", flat=True)
        ) == {
            "accounts",
            "groups",
        }
    finally:
        _migrate(_latest())
        ContentType.objects.filter(app_label="accounts", model="roleassignment").delete()
        ContentType.objects.clear_cache()


@pytest.mark.django_db
def test_the_table_has_the_names_the_model_would_create():
    """No table rename: the table, its unique constraint and the index of every foreign key carry
    the names Django derives for the model now, so later schema changes find them."""
    assert RoleAssignment._meta.db_table == "accounts_roleassignment"
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "accounts_roleassignment")
    if connection.features.supports_nulls_distinct_unique_constraints:  # PostgreSQL; SQLite has none
        assert constraints["unique_role_assignment"]["unique"]
        assert constraints["unique_role_assignment"]["columns"] == [
            "user_id",
            "role",
            "election_id",
            "group_id",
            "commission_id",
        ]
    editor = connection.SchemaEditorClass(connection)  # only for its naming, never entered
    for name in ("user", "election", "group", "commission"):
        column = RoleAssignment._meta.get_field(name).column
        index = editor._create_index_name(RoleAssignment._meta.db_table, [column], suffix="")
        assert index in constraints, (name, index, sorted(constraints))
        assert constraints[index]["columns"] == [column]
