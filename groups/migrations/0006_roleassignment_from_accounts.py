# The role assignments move here from accounts (issue 17, "no cycles"). Nothing changes in the
# database: the table keeps its name (``accounts_roleassignment``), its columns, indexes and the
# constraint ``unique_role_assignment``. Only the migration state moves, and the content type row
# is relabelled so that the auth permissions and admin log entries pointing at it keep pointing
# at the same model.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def _relabel(apps, schema_editor, source, target):
    """Move the content type of RoleAssignment from ``source`` to ``target`` app label. Nothing to
    do on a fresh database (content types are created after migrating) or when ``target`` already
    has one (it would collide with the unique (app_label, model))."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    rows = ContentType.objects.using(db).filter(model="roleassignment")
    if rows.filter(app_label=target).exists():
        return
    if rows.filter(app_label=source).update(app_label=target):
        # the cache of this process may hold the old label (the same pk under ``source``)
        from django.contrib.contenttypes.models import ContentType as CurrentContentType

        CurrentContentType.objects.clear_cache()


def to_groups(apps, schema_editor):
    _relabel(apps, schema_editor, "accounts", "groups")


def to_accounts(apps, schema_editor):
    _relabel(apps, schema_editor, "groups", "accounts")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_roleassignment_moved_out"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("elections", "0005_outbox_mail_being_sent"),
        ("groups", "0005_remove_decided_columns"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="RoleAssignment",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "role",
                            models.CharField(
                                choices=[
                                    ("secretariat", "Secretariat"),
                                    ("org_committee", "Organising-committee member"),
                                    ("commission_member", "Commission member"),
                                    ("candidate", "Candidate"),
                                    ("voter", "Voter"),
                                    ("observer", "Observer"),
                                    ("party_representative", "Authorised representative of a party"),
                                ],
                                max_length=32,
                                verbose_name="role",
                            ),
                        ),
                        (
                            "position",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("chair", "Chair"),
                                    ("deputy", "Deputy chair"),
                                    ("secretary", "Secretary"),
                                    ("member", "Member"),
                                ],
                                max_length=16,
                                verbose_name="position",
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(default=django.utils.timezone.now, verbose_name="assigned at"),
                        ),
                        (
                            "commission",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="role_assignments",
                                to="groups.commission",
                                verbose_name="commission",
                            ),
                        ),
                        (
                            "election",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="role_assignments",
                                to="elections.election",
                                verbose_name="election",
                            ),
                        ),
                        (
                            "group",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="role_assignments",
                                to="groups.electoralgroup",
                                verbose_name="electoral group",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="role_assignments",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="user",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "role assignment",
                        "verbose_name_plural": "role assignments",
                        "db_table": "accounts_roleassignment",
                        "ordering": ["user__email", "role"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("user", "role", "election", "group", "commission"),
                                name="unique_role_assignment",
                                nulls_distinct=False,
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(to_groups, to_accounts),
    ]
