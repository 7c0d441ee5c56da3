"""The old decision tables of the candidates go (their rows were moved to elections.Decision)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("candidates", "0002_decisions_on_elections_decision")]

    operations = [
        migrations.RemoveField(model_name="application", name="decision"),
        migrations.RemoveField(model_name="application", name="cancellation_decision"),
        migrations.RenameField(model_name="application", old_name="new_decision", new_name="decision"),
        migrations.RenameField(
            model_name="application", old_name="new_cancellation_decision", new_name="cancellation_decision"
        ),
        migrations.AlterField(
            model_name="application",
            name="decision",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="elections.decision",
                verbose_name="decision on admission",
            ),
        ),
        migrations.AlterField(
            model_name="application",
            name="cancellation_decision",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="elections.decision",
                verbose_name="decision on cancellation",
            ),
        ),
        migrations.DeleteModel(name="DecisionVote"),
        migrations.DeleteModel(name="CommissionDecision"),
    ]
