"""Complaints are decided on the one decision workflow (``elections.Decision``): each decided
complaint becomes a numbered decision of the commission that decided it, with its date, author and
text. The old columns go in the next migration (a separate transaction)."""

import django.db.models.deletion
from django.db import migrations, models

from elections.migrations._decisions import add_decision

OUTCOMES = {"upheld": "granted", "partly": "partly", "rejected": "refused", "not_considered": "not_considered"}


def forward(apps, schema_editor):
    Complaint = apps.get_model("protocols", "Complaint")
    for complaint in (
        Complaint.objects.filter(decided_at__isnull=False, status__in=OUTCOMES)
        .select_related("election", "commission")
        .order_by("decided_at", "pk")
    ):
        complaint.decision = add_decision(
            apps,
            election=complaint.election,
            kind="complaint",
            outcome=OUTCOMES[complaint.status],
            body=complaint.commission,
            subject=complaint,
            subject_label=f"Жалоба № {complaint.number}",
            decided_at=complaint.decided_at,
            reasons=complaint.decision_text,
            recorded_by_id=complaint.decided_by_id,
        )
        complaint.save(update_fields=["decision"])


class Migration(migrations.Migration):
    dependencies = [
        ("protocols", "0006_tie_decisions"),
        ("elections", "0007_decision_outcomes_of_complaints"),
        ("voters", "0006_remove_decided_columns"),
        ("candidates", "0003_remove_commissiondecision"),
        ("groups", "0006_roleassignment_from_accounts"),
    ]

    operations = [
        migrations.AddField(
            model_name="complaint",
            name="decision",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="elections.decision",
                verbose_name="decision",
            ),
        ),
        migrations.RunPython(forward, migrations.RunPython.noop, elidable=False),
    ]
