"""The rate limits of the public forms, per client address (fixed one-minute windows).

Used on the public forms: the lookup of one's own entry (so the list cannot be enumerated)
and the registration and Form 3 forms (so they cannot be used to flood mailboxes). The limits
come from the settings ``VOTER_LOOKUP_RATE`` (default 20 per minute) and
``VOTER_FORM_RATE`` (default 10 per minute). The address is ``REMOTE_ADDR``: behind a reverse
proxy, make the proxy pass the client's address there (e.g. gunicorn ``--forwarded-allow-ips``
with a proxy that sets it), or every visitor shares one budget.

The counter itself is ``accounts.ratelimit`` (moved down there so that the password-reset view of
``accounts`` can use it without importing from ``voters``); when the cache is down it counts in
the process instead of failing the request.
"""

from __future__ import annotations

from django.conf import settings

from accounts.ratelimit import client_address
from accounts.ratelimit import hit as _hit

__all__ = ["client_address", "hit", "limit_for"]

DEFAULTS = {"lookup": 20, "form": 10}
SETTINGS = {"lookup": "VOTER_LOOKUP_RATE", "form": "VOTER_FORM_RATE"}


def limit_for(bucket: str) -> int:
    return int(getattr(settings, SETTINGS[bucket], DEFAULTS[bucket]))


def hit(request, bucket: str) -> bool:
    """Count one request; True while the client stays within the limit of this minute."""
    return _hit(f"voters:{bucket}", client_address(request), limit=limit_for(bucket), window=60)
