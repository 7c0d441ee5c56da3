"""Voter registrations and Form 3 requests are decided on the one decision workflow
(``elections.Decision``, issue 17): each decided row becomes a numbered decision — of the group's
commission for a registration, of the precinct's PEC for a Form 3 request (the secretariat where
there is none) — with its date, author and reason. The old columns go in the next migration (a
separate transaction)."""

import django.db.models.deletion
from django.db import migrations, models

from elections.migrations._decisions import add_decision

REGISTRATION = {"accepted": "granted", "rejected": "refused"}
CORRECTION = {"accepted": "granted", "rejected": "refused"}


def forward(apps, schema_editor):
    Registration = apps.get_model("voters", "VoterRegistration")
    Correction = apps.get_model("voters", "CorrectionRequest")
    Commission = apps.get_model("groups", "Commission")
    group_body, pec = {}, {}

    def body_of_group(group_id):
        if group_id not in group_body:
            group_body[group_id] = Commission.objects.filter(group_id=group_id).order_by("kind", "pk").first()
        return group_body[group_id]

    def pec_of(precinct_id):
        if precinct_id not in pec:
            pec[precinct_id] = Commission.objects.filter(kind="pec", unit_id=precinct_id).first()
        return pec[precinct_id]

    rows = [
        ("voter_registration", REGISTRATION[r.status], r.election, body_of_group(r.group_id), r, r.name)
        for r in Registration.objects.filter(decided_at__isnull=False, status__in=REGISTRATION).select_related(
            "election"
        )
    ] + [
        ("voter_correction_request", CORRECTION[c.status], c.election, pec_of(c.precinct_id), c, f"Form 3 #{c.pk}")
        for c in Correction.objects.filter(decided_at__isnull=False, status__in=CORRECTION).select_related(
            "election"
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
        ("voters", "0004_credential_updates_in_place"),
        ("groups", "0004_decisions_on_elections_decision"),
        ("elections", "0006_decisions"),
    ]

    operations = [
        migrations.AddField(model_name="correctionrequest", name="decision", field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="elections.decision",
                verbose_name="decision",
            )),
        migrations.AddField(model_name="voterregistration", name="decision", field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="elections.decision",
                verbose_name="decision",
            )),
        migrations.RunPython(forward, migrations.RunPython.noop, elidable=False),
    ]
