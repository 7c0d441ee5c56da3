"""Sealing a waiting ballot's content (``PendingBallot.sealed``) until it is mixed.

AES-256-GCM under a key derived from ``SECRET_KEY`` for this purpose only (HMAC-SHA256 of a fixed
label), with a random 96-bit nonce, and the row's id and contest as associated data (a sealed
content only opens in its own row). Reading the database without the key shows that a ballot of
the contest waits to be mixed, nothing of its content. Opening tries ``SECRET_KEY`` and then
``SECRET_KEY_FALLBACKS``, so rotating the secret during voting loses nothing as long as the old
one stays among the fallbacks until the ballots are mixed (at the latest when voting closes).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import uuid

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

LABEL = b"electionportal.ballots.pending-ballot.v1"
NONCE_BYTES = 12

_CIPHERS: dict[str, AESGCM] = {}


class SealBroken(Exception):
    """The content cannot be opened with the current secret key or any fallback."""


def _cipher(secret: str) -> AESGCM:
    cipher = _CIPHERS.get(secret)
    if cipher is None:
        if len(_CIPHERS) > 8:
            _CIPHERS.clear()
        key = hmac.new(secret.encode(), LABEL, hashlib.sha256).digest()
        cipher = _CIPHERS[secret] = AESGCM(key)
    return cipher


def _associated(pending_id: uuid.UUID, contest_id: int) -> bytes:
    return pending_id.bytes + str(contest_id).encode()


def seal(
    *, pending_id: uuid.UUID, contest_id: int, choices: list[str], receipt: str, nonce: bytes | None = None
) -> bytes:
    """The sealed content of a waiting ballot: nonce, then ciphertext with its tag. ``nonce`` (12
    random bytes) may come from the caller's own draw from the operating system."""
    nonce = os.urandom(NONCE_BYTES) if nonce is None else nonce
    if len(nonce) != NONCE_BYTES:
        raise ValueError("a nonce is 12 random bytes")
    plain = json.dumps([choices, receipt], separators=(",", ":")).encode()
    return nonce + _cipher(settings.SECRET_KEY).encrypt(nonce, plain, _associated(pending_id, contest_id))


def unseal(*, pending_id: uuid.UUID, contest_id: int, sealed: bytes) -> tuple[list[str], str]:
    """(choices, receipt) of a waiting ballot; ``SealBroken`` when no configured key opens it."""
    sealed = bytes(sealed)
    nonce, body = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
    for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]:
        try:
            plain = _cipher(secret).decrypt(nonce, body, _associated(pending_id, contest_id))
        except InvalidTag:
            continue
        choices, receipt = json.loads(plain)
        return list(choices), receipt
    raise SealBroken(str(pending_id))
