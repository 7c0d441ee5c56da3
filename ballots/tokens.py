"""The cast token: what the ballot page gives the browser so that casting needs no session read.

The ballot page (read through the voter's session) embeds a signed, expiring token in its forms:
the election, the credential, the contest, the ballot order seed and a tag of the session cookie
it was issued to (a hash, so the page never shows the session key). The casting POST verifies
the signature — CPU only — instead of loading the session from the database.

It is also the synchronizer token against cross-site request forgery for the ballot's POSTs:
another site cannot read it (same-origin policy), it is bound to the voter's session cookie and
expires after ``CAST_TOKEN_MAX_AGE``, and it can only cast the ballot of the credential it names,
which can be used once. A POST without a valid token goes through Django's CSRF check and the
session as before; every other view keeps Django's CSRF protection. See docs/secrecy.md.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from django.core import signing

CAST_SALT = "ballots.cast"
CAST_TOKEN_MAX_AGE = 2 * 60 * 60  # seconds: a ballot page older than this must be reloaded


@dataclass(frozen=True)
class CastToken:
    election: int
    credential: int
    contest: int
    order_seed: str


def _session_tag(session_key: str) -> str:
    return hashlib.sha256(f"{CAST_SALT}:{session_key}".encode()).hexdigest()[:24]


def issue(*, election_id: int, credential_id: int, contest_id: int, order_seed: str, session_key: str) -> str:
    """A token for the ballot page of ``credential_id`` shown to the session ``session_key``."""
    return signing.dumps(
        [election_id, credential_id, contest_id, order_seed, _session_tag(session_key)], salt=CAST_SALT
    )


def verify(value: str, *, session_key: str | None) -> CastToken | None:
    """The token's content if it is signed by this server, not older than the limit and issued to
    this session cookie; None otherwise."""
    if not value or not session_key:
        return None
    try:
        data = signing.loads(value, salt=CAST_SALT, max_age=CAST_TOKEN_MAX_AGE)
        election_id, credential_id, contest_id, order_seed, tag = data
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if not hmac.compare_digest(str(tag), _session_tag(session_key)):
        return None
    if not all(isinstance(x, int) for x in (election_id, credential_id, contest_id)):
        return None
    return CastToken(election_id, credential_id, contest_id, str(order_seed))
