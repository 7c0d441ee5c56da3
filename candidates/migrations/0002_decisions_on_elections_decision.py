"""The commission's decisions on applications move to the one decision workflow
(``elections.Decision``, issue 17): each CommissionDecision with its votes becomes a Decision of the
same commission, with the same number, date, votes and reasons; the applications point at them.
The old tables go in the next migration (a separate transaction: PostgreSQL does not alter a table
with pending foreign-key checks)."""

import django.db.models.deletion
from django.db import migrations, models

from elections.migrations._decisions import add_decision

KINDS = {
    "admit": ("candidate_application", "granted"),
    "refuse": ("candidate_application", "refused"),
    "cancel": ("candidate_cancellation", "granted"),
}


def forward(apps, schema_editor):
    Old = apps.get_model("candidates", "CommissionDecision")
    OldVote = apps.get_model("candidates", "DecisionVote")
    Application = apps.get_model("candidates", "Application")
    new_ids = {}
    for old in Old.objects.select_related("election", "commission", "application").order_by("pk"):
        kind, outcome = KINDS[old.kind]
        application = old.application
        votes = [
            (v.member.user_id, v.member.position, v.vote)
            for v in OldVote.objects.filter(decision=old).select_related("member").order_by("pk")
        ]
        new_ids[old.pk] = add_decision(
            apps,
            election=old.election,
            kind=kind,
            outcome=outcome,
            body=old.commission,
            subject=application,
            subject_label=application.full_name,
            decided_at=old.decided_at,
            reasons=old.reasons,
            recorded_by_id=old.recorded_by_id,
            number=old.number,
            due_at=application.decision_due_at if kind == "candidate_application" else None,
            votes=votes,
            members_total=old.members_total,
            is_adopted=old.is_adopted,
            recorded_at=old.recorded_at,
        ).pk
    for application in Application.objects.exclude(decision=None, cancellation_decision=None):
        application.new_decision_id = new_ids.get(application.decision_id)
        application.new_cancellation_decision_id = new_ids.get(application.cancellation_decision_id)
        application.save(update_fields=["new_decision", "new_cancellation_decision"])


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0001_applications_decisions_settings"),
        ("elections", "0006_decisions"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="new_decision",
            field=models.ForeignKey(
                null=True,
                blank=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="elections.decision",
            ),
        ),
        migrations.AddField(
            model_name="application",
            name="new_cancellation_decision",
            field=models.ForeignKey(
                null=True,
                blank=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="elections.decision",
            ),
        ),
        migrations.RunPython(forward, migrations.RunPython.noop, elidable=False),
    ]
