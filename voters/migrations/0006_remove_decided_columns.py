"""The decision columns of voter registrations and Form 3 requests go (moved to elections.Decision)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("voters", "0005_decisions_on_elections_decision")]

    operations = [
        migrations.RemoveField(model_name=model, name=field)
        for model in ("correctionrequest", "voterregistration")
        for field in ("decided_at", "decided_by", "reason")
    ]
