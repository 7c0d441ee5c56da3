"""The cast token and the receipt cookie: what the voter's browser carries so that casting needs
no session read and no session write.

The ballot page (read through the voter's session) embeds a cast token in its forms: the election,
the credential, the contest, the ballot order seed and the time it was issued, with an HMAC-SHA256
over them *and the session cookie it was issued to* (so the session key is never shown, and the
token fits no other browser). The casting POST checks the HMAC — CPU only — instead of loading the
session from the database.

It is also the synchronizer token against cross-site request forgery for the ballot's POSTs:
another site cannot read it (same-origin policy), it is bound to the voter's session cookie and
expires after ``CAST_TOKEN_MAX_AGE``, and it can only cast the ballot of the credential it names,
which can be used once. A POST without a valid token goes through Django's CSRF check and the
session as before; every other view keeps Django's CSRF protection. See docs/secrecy.md.

After casting, the receipt code goes to the browser only, in a cookie signed the same way (with its
own key) and read by the receipt page within ``RECEIPT_MAX_AGE``.

Why not ``django.core.signing``: it is the same HMAC-SHA256 with a key derived from ``SECRET_KEY``,
but it also JSON-encodes, base64-encodes and re-derives the key on every call, which was a tenth of
the casting request's CPU. Here the keys are derived once per secret, and ``SECRET_KEY_FALLBACKS``
are accepted as Django accepts them, so rotating the secret keeps open ballot pages working.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import time
from dataclasses import dataclass

from django.conf import settings

CAST_SALT = "ballots.cast"
RECEIPT_SALT = "ballots.receipt"
CAST_TOKEN_MAX_AGE = 2 * 60 * 60  # seconds: a ballot page older than this must be reloaded
RECEIPT_MAX_AGE = 60 * 60  # seconds: how long the receipt page can be reopened from the cookie
MAC_LENGTH = 32  # hex characters of the HMAC-SHA256 kept: 128 bits


@dataclass(frozen=True)
class CastToken:
    election: int
    credential: int
    contest: int
    order_seed: str


@functools.lru_cache(maxsize=16)
def _derived_key(salt: str, secret: str) -> bytes:
    # as django.utils.crypto.salted_hmac derives its key, once per (purpose, secret)
    return hashlib.sha256(f"{salt}signer{secret}".encode()).digest()


def _mac(salt: str, secret: str, message: str) -> str:
    return hmac.new(_derived_key(salt, secret), message.encode(), hashlib.sha256).hexdigest()[:MAC_LENGTH]


def _sign(salt: str, payload: str, bound_to: str = "") -> str:
    return f"{payload}.{_mac(salt, settings.SECRET_KEY, f'{payload}|{bound_to}')}"


def _unsign(salt: str, value: str, bound_to: str = "") -> list[str] | None:
    """The payload's fields if the MAC fits (with the current secret or a fallback), else None."""
    payload, _sep, mac = value.rpartition(".")
    if not payload or len(mac) != MAC_LENGTH:
        return None
    message = f"{payload}|{bound_to}"
    for secret in (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS):
        if hmac.compare_digest(mac, _mac(salt, secret, message)):
            return payload.split(".")
    return None


def _fresh(issued: str, max_age: int) -> bool:
    try:
        age = time.time() - int(issued)
    except ValueError:
        return False
    return -60 <= age <= max_age  # a minute of clock skew between the server's processes


def issue(*, election_id: int, credential_id: int, contest_id: int, order_seed: str, session_key: str) -> str:
    """A token for the ballot page of ``credential_id`` shown to the session ``session_key``."""
    if not order_seed.isalnum():
        raise ValueError("the order seed must be letters and digits")
    payload = f"{int(election_id)}.{int(credential_id)}.{int(contest_id)}.{order_seed}.{int(time.time())}"
    return _sign(CAST_SALT, payload, session_key)


def verify(value: str, *, session_key: str | None) -> CastToken | None:
    """The token's content if it is signed by this server, not older than the limit and issued to
    this session cookie; None otherwise."""
    if not value or not session_key:
        return None
    fields = _unsign(CAST_SALT, value, session_key)
    if fields is None or len(fields) != 5 or not _fresh(fields[4], CAST_TOKEN_MAX_AGE):
        return None
    election_id, credential_id, contest_id, order_seed, _issued = fields
    try:
        return CastToken(int(election_id), int(credential_id), int(contest_id), order_seed)
    except ValueError:
        return None


def receipt_cookie_value(*, election_id: int, receipt: str) -> str:
    """The receipt cookie's value: the election and the receipt code, signed and dated."""
    return _sign(RECEIPT_SALT, f"{int(election_id)}.{receipt}.{int(time.time())}")


def receipt_from_cookie(value: str, *, election_id: int) -> str | None:
    """The receipt code if the cookie is signed by this server, fresh and for this election."""
    fields = _unsign(RECEIPT_SALT, value or "")
    if fields is None or len(fields) != 3 or not _fresh(fields[2], RECEIPT_MAX_AGE):
        return None
    cookie_election, receipt, _issued = fields
    if cookie_election != str(election_id) or not receipt:
        return None
    return receipt
