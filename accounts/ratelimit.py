"""A small fixed-window rate limit kept in the cache, with a fallback when the cache is down.

``hit(scope, key, limit=…, window=…)`` counts one event for ``key`` in the current window of
``window`` seconds and says whether the count stays within ``limit``. The counts live in the
default cache (Redis when ``REDIS_URL`` is set), so that every process of the portal shares them.

When the cache cannot be reached (Redis down or refusing), a request must not fail with a server
error because of its rate limit: the count falls back to a per-process in-memory counter (each
process then enforces the limit on its own share of the traffic, so the effective limit is at most
``limit × processes``), a warning is logged (at most once a minute per process), and the cache is
left alone for ``CACHE_RETRY_SECONDS`` so that a down Redis costs one slow call, not one per
request.

Here in ``accounts`` (the bottom of the dependency chain, next to ``access.py``) because the
password-reset view throttles with it; ``voters.ratelimit`` keeps the public forms' buckets and
settings on top of it.
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)

#: after the cache failed, use the in-memory counter for this long before trying the cache again
CACHE_RETRY_SECONDS = 30
#: at most one warning per process in this many seconds while the cache is down
WARN_EVERY_SECONDS = 60


class _MemoryCounter:
    """Fixed-window counters of this process (a thread-safe dict, pruned as windows end)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._counts: dict[str, tuple[int, float]] = {}

    def incr(self, key: str, expires_at: float) -> int:
        now = time.time()
        with self._lock:
            if len(self._counts) > 10_000:
                self._counts = {k: v for k, v in self._counts.items() if v[1] > now}
            count, until = self._counts.get(key, (0, expires_at))
            if until <= now:
                count = 0
            count += 1
            self._counts[key] = (count, expires_at)
            return count

    def clear(self) -> None:
        with self._lock:
            self._counts.clear()


memory = _MemoryCounter()
_state = {"down_until": 0.0, "warned_at": 0.0}


def client_address(request) -> str:
    """The client's address (``REMOTE_ADDR``; behind a proxy, make the proxy pass it there)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def window_start(window: int, now: float | None = None) -> int:
    now = time.time() if now is None else now
    return int(now // window) * window


def seconds_left(window: int, now: float | None = None) -> int:
    """Seconds until the current window ends (when a refused client may try again)."""
    now = time.time() if now is None else now
    return max(1, int(window_start(window, now) + window - now))


def _cache_incr(key: str, timeout: int) -> int:
    if cache.add(key, 1, timeout=timeout):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=timeout)
        return 1


def count(scope: str, key: str, *, window: int = 60) -> int:
    """Count one event of ``key`` in this window and return the count so far."""
    start = window_start(window)
    cache_key = f"rate:{scope}:{key}:{window}:{start}"
    now = time.time()
    if now >= _state["down_until"]:
        try:
            return _cache_incr(cache_key, timeout=window * 2)
        except Exception as exc:  # the cache is down: any error of its client
            _state["down_until"] = now + CACHE_RETRY_SECONDS
            if now - _state["warned_at"] >= WARN_EVERY_SECONDS:
                _state["warned_at"] = now
                logger.warning(
                    "rate limit: the cache is unreachable (%s: %s); counting in this process for %ss",
                    type(exc).__name__,
                    exc,
                    CACHE_RETRY_SECONDS,
                )
    return memory.incr(cache_key, expires_at=start + window)


def hit(scope: str, key: str, *, limit: int, window: int = 60) -> bool:
    """Count one event; True while ``key`` stays within ``limit`` events in this window."""
    return count(scope, key, window=window) <= limit


def reset_fallback() -> None:
    """Forget the in-memory counts and the cache's failure (tests)."""
    memory.clear()
    _state["down_until"] = 0.0
    _state["warned_at"] = 0.0
