"""Public reads from a PostgreSQL streaming replica (issue 23).

With ``DATABASE_REPLICA_URL`` set, the database alias ``replica`` is a hot standby of ``default``.
``ReplicaReadMiddleware`` sends the reads of a public page of an election (a ``PublicCached``
view) and of the read API (GET under ``/api/``) to it, through ``PublicReadRouter``; everything
else, and every write, goes to the primary.

Bounded staleness: when a change of an election commits, the primary's WAL position is kept in
the cache beside the election's page version (``mark_written``). A public read of that election
goes to the replica only when the replica has replayed at least that position, else to the
primary; and never when the replica is more than ``REPLICA_MAX_LAG`` seconds behind. So the
replica never shows an election older than its last recorded change: the pages' stated bound
(``PUBLIC_PAGE_REFRESH``) holds with the replica too. A replica that does not answer is skipped.
"""

from __future__ import annotations

import contextvars
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.utils import DatabaseError

from .public_cache import public_view_of

logger = logging.getLogger(__name__)

REPLICA = "replica"
_reading_from_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("replica_reads", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class PublicReadRouter:
    """Reads go to the replica while a public read is being served (``ReplicaReadMiddleware``);
    writes, migrations and everything else go to the primary."""

    def db_for_read(self, model, **hints):
        return REPLICA if _reading_from_replica.get() else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


def _lsn_key(slug: str) -> str:
    return f"public-lsn:{slug}"


def _lsn(text: str) -> int:
    high, _, low = text.partition("/")
    return (int(high, 16) << 32) + int(low, 16)


def mark_written(slug: str) -> None:
    """After a change of the election commits: the primary's WAL position, which the replica must
    have replayed before it serves the election's public pages."""
    if not replica_configured():
        return
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            position = cursor.fetchone()[0]
        cache.set(_lsn_key(slug), position, None)
    except Exception:  # then the pages read from the primary until the key is set again
        cache.delete(_lsn_key(slug))
        logger.warning("replica: the WAL position of %s was not kept", slug, exc_info=True)


def replica_is_current(slug: str | None) -> bool:
    """Has the replica replayed the election's last change (and is it within REPLICA_MAX_LAG)?"""
    wanted = cache.get(_lsn_key(slug)) if slug else None
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(
                "SELECT pg_last_wal_replay_lsn()::text, "
                "COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0), "
                "pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()"
            )
            replayed, lag, idle = cursor.fetchone()
    except DatabaseError:
        logger.warning("replica unavailable: public reads go to the primary", exc_info=True)
        return False
    if replayed is None:  # not a standby: a misconfiguration, read the primary
        return False
    if wanted is not None and _lsn(replayed) < _lsn(wanted):
        return False
    # an idle standby's last replayed transaction may be old: lag counts only while WAL waits
    return idle or lag <= settings.REPLICA_MAX_LAG


def _public_read(request) -> str | None | bool:
    """The election's slug when the request is a public read (True for the API without one)."""
    if request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False  # writes, and visitors with a session (they read their own changes), use the primary
    if request.path_info.startswith("/api/"):
        parts = request.path_info.split("/")
        return parts[4] if len(parts) > 4 and parts[3] == "elections" else True
    target = public_view_of(request.path_info)
    if target is None:
        return False
    return target[1] or True


class ReplicaReadMiddleware:
    """Serves the reads of a public page or of the read API from the replica when it is current."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        target = _public_read(request)
        if not target or not replica_is_current(target if isinstance(target, str) else None):
            return self.get_response(request)
        token = _reading_from_replica.set(True)
        try:  # Django renders a template response before it leaves the view: inside, from the replica
            return self.get_response(request)
        finally:
            _reading_from_replica.reset(token)
