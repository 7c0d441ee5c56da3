"""The demo is loaded once for the tests of this package (``demo``): ``load_demo`` runs inside a transaction
that is rolled back after the package's last test, with the portal's signing pair and private storage in a
temporary directory and the on-commit callbacks executed, so the protocols' signed PDFs are made
as in ``make run`` (Celery eager). Each test runs in a savepoint of that transaction."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase, override_settings

from elections import signing


def load_demo_capturing() -> str:
    """Run ``load_demo`` and execute what it queued on commit (the PDF tasks); return its output."""
    out = io.StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    from electionportal.celery import app

    root = tmp_path_factory.mktemp("demo")
    key_pem, cert_pem = signing.generate_self_signed()
    (root / "key.pem").write_bytes(key_pem)
    (root / "cert.pem").write_bytes(cert_pem)
    overrides = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        PROTOCOL_SIGNING_KEY_FILE=str(root / "key.pem"),
        PROTOCOL_SIGNING_CERT_FILE=str(root / "cert.pem"),
        PROTOCOL_SIGNING_KEY_PASSPHRASE="",
        PRIVATE_MEDIA_ROOT=str(root / "private"),
        MEDIA_ROOT=str(root / "media"),
    )
    eager = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    overrides.enable()
    atomic = transaction.atomic()
    try:
        with django_db_blocker.unblock():
            atomic.__enter__()
            try:
                out = load_demo_capturing()
            except BaseException:
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)
                raise
        yield {"out": out, "root": root}
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
    finally:
        overrides.disable()
        app.conf.task_always_eager, app.conf.task_eager_propagates = eager
