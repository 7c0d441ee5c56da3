# The role assignments moved beside what they scope (issue 17, "no cycles"): this app names the
# roles and points at no domain model. The table stays as it is (``accounts_roleassignment``);
# the model leaves this app's state only and is taken up by the next migration of the app of
# electoral groups and commissions, which also moves the content type.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_party_representative_role"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="RoleAssignment")],
            database_operations=[],
        ),
    ]
