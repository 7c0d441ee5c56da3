"""The decision columns of complaints go (moved to elections.Decision)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("protocols", "0007_complaints_on_elections_decision")]

    operations = [
        migrations.RemoveField(model_name="complaint", name=field)
        for field in ("decided_at", "decided_by", "decision_text")
    ]
