"""A small cache-based rate limit per client address (fixed one-minute windows).

Used on the public forms: the lookup of one's own entry (so the list cannot be enumerated)
and the registration and Form 3 forms (so they cannot be used to flood mailboxes). The limits
come from the settings ``VOTER_LOOKUP_RATE`` (default 20 per minute) and
``VOTER_FORM_RATE`` (default 10 per minute). The address is ``REMOTE_ADDR``: behind a reverse
proxy, make the proxy pass the client's address there (e.g. gunicorn ``--forwarded-allow-ips``
with a proxy that sets it), or every visitor shares one budget.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

DEFAULTS = {"lookup": 20, "form": 10}
SETTINGS = {"lookup": "VOTER_LOOKUP_RATE", "form": "VOTER_FORM_RATE"}


def limit_for(bucket: str) -> int:
    return int(getattr(settings, SETTINGS[bucket], DEFAULTS[bucket]))


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def hit(request, bucket: str) -> bool:
    """Count one request; True while the client stays within the limit of this minute."""
    window = int(time.time() // 60)
    key = f"voters:rate:{bucket}:{client_address(request)}:{window}"
    if cache.add(key, 1, timeout=120):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=120)
            count = 1
    return count <= limit_for(bucket)
