"""Settings come from the environment: embedded defaults, PostgreSQL and Redis when configured."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json
from django.conf import settings
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "name": str(settings.DATABASES["default"]["NAME"]),
    "cache": settings.CACHES["default"]["BACKEND"],
    "broker": settings.CELERY_BROKER_URL,
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "propagates": settings.CELERY_TASK_EAGER_PROPAGATES,
    "email": settings.EMAIL_BACKEND,
    "debug": settings.DEBUG,
    "use_tz": settings.USE_TZ,
    "tz": settings.TIME_ZONE,
    "language": settings.LANGUAGE_CODE,
    "site_url": settings.SITE_URL,
}))
"""


def _settings(**env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "REDIS_URL",
            "DEBUG",
            "DJANGO_SECRET_KEY",
            "CELERY_TASK_ALWAYS_EAGER",
            "EMAIL_BACKEND",
            "SITE_URL",
            "RUN_SITE_URL",
        }
    }
    clean.update({"DJANGO_SETTINGS_MODULE": "electionportal.settings", "ENV_FILE": ""}, **env)
    proc = subprocess.run(
        [sys.executable, "-c", "import django; django.setup();" + PROBE],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return proc


def test_embedded_defaults():
    proc = _settings(DEBUG="true")
    assert proc.returncode == 0, proc.stderr
    s = json.loads(proc.stdout)
    assert s["engine"] == "django.db.backends.sqlite3"
    assert s["name"].endswith("var/db.sqlite3")
    assert s["cache"].endswith("LocMemCache")
    assert s["eager"] is True and s["propagates"] is True
    assert s["email"].endswith("console.EmailBackend")
    assert s["use_tz"] is True and s["tz"] == "UTC" and s["language"] == "ru"


def test_database_and_redis_urls_switch_to_real_services():
    proc = _settings(
        DEBUG="true",
        DATABASE_URL="postgres://portal:secret@db.example:5432/portal",
        REDIS_URL="redis://cache.example:6379/0",
    )
    assert proc.returncode == 0, proc.stderr
    s = json.loads(proc.stdout)
    assert s["engine"] == "django.db.backends.postgresql"
    assert s["name"] == "portal"
    assert s["cache"].endswith("RedisCache")
    assert s["broker"] == "redis://cache.example:6379/0"
    assert s["eager"] is False


def test_secret_key_required_without_debug():
    proc = _settings(DEBUG="false")
    assert proc.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in proc.stderr
    ok = _settings(DEBUG="false", DJANGO_SECRET_KEY="x" * 60)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["debug"] is False


@pytest.mark.parametrize("value", ["0", "false", "no"])
def test_debug_is_off_unless_asked(value):
    proc = _settings(DEBUG=value, DJANGO_SECRET_KEY="y" * 60)
    assert json.loads(proc.stdout)["debug"] is False


def test_mail_links_follow_the_port_make_run_serves_on_unless_site_url_is_set():
    """`make run PORT=8100` passes RUN_SITE_URL: the mails' links point at the port that serves;
    an explicit SITE_URL (environment or .env) always wins (issue 15)."""
    assert json.loads(_settings(DEBUG="true").stdout)["site_url"] == "http://127.0.0.1:8000"
    proc = _settings(DEBUG="true", RUN_SITE_URL="http://127.0.0.1:8100")
    assert json.loads(proc.stdout)["site_url"] == "http://127.0.0.1:8100"
    proc = _settings(
        DEBUG="true", RUN_SITE_URL="http://127.0.0.1:8100", SITE_URL="https://portal.example.org/"
    )
    assert json.loads(proc.stdout)["site_url"] == "https://portal.example.org"


def test_make_run_passes_the_host_and_port_to_the_mails_links():
    make = subprocess.run(
        ["make", "-n", "run", "HOST=127.0.0.1", "PORT=8100"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert make.returncode == 0, make.stderr
    assert "RUN_SITE_URL=http://127.0.0.1:8100" in make.stdout
    assert "runserver 127.0.0.1:8100" in make.stdout
