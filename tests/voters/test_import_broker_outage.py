"""A register check queued while the broker is down is not lost: the upload completes at once,
the import waits in its state, and the sweep queues it again (issue 16, deliverable 3, item 4)."""

import datetime as dt

import pytest
from django.utils import timezone
from freezegun import freeze_time

from elections.services import election_transition
from voters import tasks
from voters.models import RegisterImport
from voters.services.imports import register_import_upload, register_imports_requeue_stalled

from .factories import register_csv, register_row, upload

pytestmark = pytest.mark.django_db


def test_a_check_lost_to_a_broker_outage_is_queued_again_by_the_sweep(
    kg, monkeypatch, django_capture_on_commit_callbacks
):
    election = election_transition(election=kg["election"], transition="open_registration", actor=None)
    real = tasks.validate_register_import.apply_async

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.validate_register_import, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):  # the upload commits; its message is lost
        register_import = register_import_upload(
            election=election, file=upload(register_csv([register_row(0), register_row(1)])), actor=None
        )
    assert RegisterImport.objects.get(pk=register_import.pk).status == RegisterImport.Status.QUEUED
    monkeypatch.setattr(tasks.validate_register_import, "apply_async", real)  # the broker is back
    assert register_imports_requeue_stalled() == 0  # too recent: its message may still be on its way
    with freeze_time(timezone.now() + dt.timedelta(minutes=11)):
        assert register_imports_requeue_stalled() == 1
    register_import.refresh_from_db()
    assert register_import.status == RegisterImport.Status.VALIDATED and register_import.rows_total == 2
    assert register_imports_requeue_stalled() == 0  # checked: never queued again


def test_the_sweep_runs_every_few_minutes(settings):
    entry = next(
        e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "voters.requeue_stalled_imports"
    )
    assert entry["schedule"] <= 10 * 60
