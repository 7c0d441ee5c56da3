"""Helpers for tests (and benchmarks) that start another process on the same database."""

from django.db import connection


def database_url(settings_dict=None) -> str:
    """A DATABASE_URL pointing another process at the database this process uses (its test
    database during tests)."""
    db = settings_dict or connection.settings_dict
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{user}{password}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"
    )


def shared_database_url() -> str:
    """Like ``database_url``, but skips the test on SQLite, whose test database another process
    cannot share."""
    import pytest

    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs a shared database server (PostgreSQL)")
    return database_url()
