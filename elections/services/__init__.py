"""Everything that changes an election or its calendar (one transaction and an audit entry each)."""

from .election import (
    EDITABLE_FIELDS,
    FROZEN_ONCE_VOTING,
    TransitionRefused,
    election_create,
    election_transition,
    election_update,
)

__all__ = [
    "EDITABLE_FIELDS",
    "FROZEN_ONCE_VOTING",
    "TransitionRefused",
    "election_create",
    "election_transition",
    "election_update",
]
