"""Casting and entering ballots, contests and their options, by concern: ``contests``, ``casting``
(online, and the mix's callers), ``offline`` (paper entry and the assembly), ``participation``
(its audit digest). Every write is one transaction. The public names are re-exported here, so
``from ballots import services`` / ``services.ballot_cast`` keep working."""

from ._common import VotingRefused
from .approval import ballot_text_approve, ballot_text_reopen
from .casting import (
    CAST_STATEMENT,
    ballot_cast,
    ballot_cast_by_ids,
    ballots_settle,
    elector_key,
)
from .contests import (
    contest_save,
    contest_sync_options,
    contests_follow_group,
    lock_contests,
    validate_choices,
    voting_settings_save,
)
from .offline import (
    RECOUNT_GUARDS,
    RECOUNT_POSITIONS,
    paper_ballot_enter,
    paper_batch_recount_order,
    paper_tally_enter,
    participation_record_offline,
)
from .participation import DIGEST_ACTION, participation_audit, seal_participations

__all__ = [
    "CAST_STATEMENT",
    "DIGEST_ACTION",
    "RECOUNT_GUARDS",
    "RECOUNT_POSITIONS",
    "VotingRefused",
    "ballot_cast",
    "ballot_text_approve",
    "ballot_text_reopen",
    "ballot_cast_by_ids",
    "ballots_settle",
    "contest_save",
    "contest_sync_options",
    "contests_follow_group",
    "elector_key",
    "lock_contests",
    "paper_ballot_enter",
    "paper_batch_recount_order",
    "paper_tally_enter",
    "participation_audit",
    "participation_record_offline",
    "seal_participations",
    "validate_choices",
    "voting_settings_save",
]
