"""The decision columns of observers' applications and nominations go (moved to elections.Decision)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("groups", "0004_decisions_on_elections_decision")]

    operations = [
        migrations.RemoveField(model_name=model, name=field)
        for model in ("observerapplication", "orgcommitteenomination")
        for field in ("decided_at", "decided_by", "reason")
    ]
