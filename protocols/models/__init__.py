"""Counts, protocols with their signatures and complaints, preliminary figures, publication and
archives. One module per area; import models from ``protocols.models``."""

from .acts import HandoverAct
from .archive import ElectionArchive
from .counts import ContestCount
from .protocol import (
    Complaint,
    PreliminaryResult,
    Protocol,
    ProtocolDocument,
    ProtocolSignature,
)
from .publication import ResultMailing, ResultSubscription
from .ties import TieDecision

__all__ = [
    "Complaint",
    "ContestCount",
    "ElectionArchive",
    "HandoverAct",
    "PreliminaryResult",
    "Protocol",
    "ProtocolDocument",
    "ProtocolSignature",
    "ResultMailing",
    "ResultSubscription",
    "TieDecision",
]
