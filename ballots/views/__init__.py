"""Voting pages, by concern: the voter's ballot (``voting``), the bulletin board and turnout
(``board``), the secretariat's contests (``contests``), the commission's paper entries
(``offline``). The views are re-exported here for ``ballots.urls``."""

from .approval import BallotProofView, BallotTextView
from .board import BoardView, TurnoutView
from .contests import ContestEditView, VotingSettingsView
from .offline import PaperEntryView
from .voting import (
    RECEIPT_COOKIE,
    SESSION_KEY,
    AccountVoteView,
    BallotView,
    LinkView,
    ReceiptView,
    VotingInfoView,
    ballot_form,
    start_session,
)

__all__ = [
    "RECEIPT_COOKIE",
    "SESSION_KEY",
    "AccountVoteView",
    "BallotProofView",
    "BallotTextView",
    "BallotView",
    "BoardView",
    "ContestEditView",
    "LinkView",
    "PaperEntryView",
    "ReceiptView",
    "TurnoutView",
    "VotingInfoView",
    "VotingSettingsView",
    "ballot_form",
    "start_session",
]
