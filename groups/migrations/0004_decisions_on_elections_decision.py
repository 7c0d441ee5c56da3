"""Observers' accreditations and organising-committee nominations are decided on the one decision
workflow (``elections.Decision``, issue 17): each decided row becomes a numbered decision — of the
responsible commission for an observer, of the secretariat for a nomination — with its date, author
and reason. The old columns go in the next migration (a separate transaction)."""

import django.db.models.deletion
from django.db import migrations, models

from elections.migrations._decisions import add_decision

OBSERVER = {"accredited": "granted", "refused": "refused", "revoked": "revoked"}
NOMINATION = {"approved": "granted", "rejected": "refused", "withdrawn": "revoked"}


def forward(apps, schema_editor):
    Observer = apps.get_model("groups", "ObserverApplication")
    Nomination = apps.get_model("groups", "OrgCommitteeNomination")
    rows = [
        ("observer_application", OBSERVER[a.status], a.election, a.commission, a, a.name)
        for a in Observer.objects.filter(decided_at__isnull=False, status__in=OBSERVER).select_related(
            "election", "commission"
        )
    ] + [
        ("org_committee_nomination", NOMINATION[n.status], n.commission.election, None, n, n.full_name)
        for n in Nomination.objects.filter(decided_at__isnull=False, status__in=NOMINATION).select_related(
            "commission__election"
        )
    ]
    for kind, outcome, election, body, row, label in sorted(rows, key=lambda r: (r[4].decided_at, r[0], r[4].pk)):
        row.decision = add_decision(
            apps,
            election=election,
            kind=kind,
            outcome=outcome,
            body=body,
            subject=row,
            subject_label=label,
            decided_at=row.decided_at,
            reasons=row.reason,
            recorded_by_id=row.decided_by_id,
        )
        row.save(update_fields=["decision"])


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0003_file_imports"),
        ("elections", "0006_decisions"),
    ]

    operations = [
        migrations.AddField(model_name="observerapplication", name="decision", field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="elections.decision",
                verbose_name="decision",
            )),
        migrations.AddField(model_name="orgcommitteenomination", name="decision", field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="elections.decision",
                verbose_name="decision",
            )),
        migrations.RunPython(forward, migrations.RunPython.noop, elidable=False),
    ]
