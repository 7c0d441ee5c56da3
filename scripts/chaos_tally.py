"""The chaos harness's arithmetic (``make chaos``, ``scripts/chaos.py``): from what the voters'
clients saw, what the database stored and what the SMTP sink received, the counts it prints.
Pure functions on plain data, tested in tests/test_chaos_tally.py.

Definitions (README, "Chaos run"):

* lost — a client was shown a receipt code that no stored ballot has; plus participations that
  have no ballot (participations − ballots, when positive); plus clients told "your vote is
  recorded" (after an error hid their receipt) for whom no participation exists.
* doubled — ballots without a participation (ballots − participations, when positive); plus
  every extra copy of a receipt among the ballots, of a voter among the participations, and of a
  receipt code shown to two clients.
* undelivered_invitations — voters who did not receive exactly one invitation; plus invitations
  to addresses that are not voters'.
* undelivered_confirmations — voters whose vote is recorded (credential used) who did not
  receive exactly one confirmation; plus confirmations to voters whose vote is not recorded.
* duplicate_mails — extra copies of either kind (already part of the undelivered counts).
* dead_links — invitations whose link the portal refused as unknown (the mail left, the link's
  token was not stored).
* worker_restarts — how often the Celery worker exited by itself and the harness started it
  again (as a supervisor would); reported, not a failure in itself.

Exit code (``exit_code``): 1 when anything is lost or doubled; otherwise 2 when a mail was not
delivered exactly once or a link was dead; otherwise 0.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

#: the keys of the summary line, in the order printed (stable: scripts parse it)
KEYS = (
    "voters",
    "voted_ok",
    "recorded_no_receipt",
    "not_voted",
    "ballots",
    "participations",
    "lost",
    "doubled",
    "undelivered_invitations",
    "undelivered_confirmations",
    "duplicate_mails",
    "dead_links",
    "gave_up",
    "errors_5xx",
    "connection_errors",
    "worker_restarts",
    "duration_s",
)

INVITATION_LINK = re.compile(r"https?://[^\s/]+(/\S*/voters/invitation/[^\s/]+/)")

# What became of one voter's client (``Outcome.result``)
RECEIPT = "receipt"  # saw the receipt page with a code
RECORDED = "recorded"  # after an error, the portal said the vote is already recorded (no code seen)
NO_INVITATION = "no_invitation"  # no invitation arrived in time
DEAD_LINK = "dead_link"  # the invitation's link was refused as unknown
GAVE_UP = "gave_up"  # errors on every try of a step, or an unexpected page
REFUSED = "refused"  # the ballot was refused for another reason (e.g. voting closed)


@dataclass
class Outcome:
    """What one voter's client ended with."""

    email: str
    result: str = GAVE_UP
    receipt: str | None = None
    responses_5xx: int = 0
    connection_errors: int = 0
    note: str = ""


def invitation_path(body: str) -> str | None:
    """The path of the voting link in an invitation mail's text (None when there is none)."""
    found = INVITATION_LINK.search(body or "")
    return found.group(1) if found else None


def mail_kind(body: str) -> str:
    """ "invitation" for a mail with a voting link, otherwise "confirmation" (the only other
    mail a voter gets in the run: "your vote is recorded", which has no link)."""
    return "invitation" if invitation_path(body) else "confirmation"


def _extra(counter: Counter) -> int:
    return sum(n - 1 for n in counter.values() if n > 1)


def _not_exactly_once(expected: set[str], received: Counter) -> int:
    missing_or_doubled = sum(1 for email in expected if received.get(email, 0) != 1)
    unexpected = sum(1 for email in received if email not in expected)
    return missing_or_doubled + unexpected


def tally(
    *,
    voters: list[str],
    outcomes: list[Outcome],
    ballot_receipts: list[str],
    participations: list[str],
    elector_of: dict[str, str],
    used: set[str],
    mails: list[tuple[str, str]],
    worker_restarts: int = 0,
    duration_s: float = 0.0,
) -> dict[str, int | float]:
    """The summary counts.

    ``voters``: the voters' e-mail addresses; ``outcomes``: one per client; ``ballot_receipts``:
    the receipt of every stored online ballot of the contest; ``participations``: the elector key
    of every online participation; ``elector_of``: e-mail → elector key; ``used``: e-mails whose
    credential is used (a confirmation is due); ``mails``: (recipient, kind) of every message the
    sink received; ``worker_restarts``: how often the Celery worker died and was started again."""
    stored = Counter(ballot_receipts)
    took_part = Counter(participations)
    shown = Counter(o.receipt for o in outcomes if o.result == RECEIPT and o.receipt)
    lost = (
        sum(n for code, n in shown.items() if code not in stored)
        + max(0, len(participations) - len(ballot_receipts))
        + sum(1 for o in outcomes if o.result == RECORDED and elector_of.get(o.email) not in took_part)
    )
    doubled = (
        max(0, len(ballot_receipts) - len(participations))
        + _extra(stored)
        + _extra(took_part)
        + _extra(shown)
    )
    invitations = Counter(to for to, kind in mails if kind == "invitation")
    confirmations = Counter(to for to, kind in mails if kind == "confirmation")
    results = Counter(o.result for o in outcomes)
    return {
        "voters": len(voters),
        "voted_ok": results[RECEIPT],
        "recorded_no_receipt": results[RECORDED],
        "not_voted": len(voters) - results[RECEIPT] - results[RECORDED],
        "ballots": len(ballot_receipts),
        "participations": len(participations),
        "lost": lost,
        "doubled": doubled,
        "undelivered_invitations": _not_exactly_once(set(voters), invitations),
        "undelivered_confirmations": _not_exactly_once(set(used), confirmations),
        "duplicate_mails": _extra(invitations) + _extra(confirmations),
        "dead_links": results[DEAD_LINK],
        "gave_up": results[GAVE_UP],
        "errors_5xx": sum(o.responses_5xx for o in outcomes),
        "connection_errors": sum(o.connection_errors for o in outcomes),
        "worker_restarts": worker_restarts,
        "duration_s": round(duration_s, 1),
    }


def summary_line(counts: dict) -> str:
    """``key=value`` pairs separated by spaces, in the order of ``KEYS``."""
    return " ".join(f"{key}={counts[key]}" for key in KEYS)


def exit_code(counts: dict) -> int:
    if counts["lost"] or counts["doubled"]:
        return 1
    if counts["undelivered_invitations"] or counts["undelivered_confirmations"] or counts["dead_links"]:
        return 2
    return 0
