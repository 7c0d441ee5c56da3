"""Voters: registration in groups (seed 000), the voter register and precinct lists (seed 003),
voting credentials (one module per area, pretix style)."""

from .credentials import CredentialMail, VotingCredential
from .register import (
    CorrectionRequest,
    RegisterEntry,
    RegisterEntryChange,
    RegisterImport,
    RegisterImportProblem,
    RegisterImportRow,
    personal_number_validator,
)
from .registration import VoterRegistration
from .settings import DEFAULT_ACTIVITIES, VoterSettings

__all__ = [
    "DEFAULT_ACTIVITIES",
    "CorrectionRequest",
    "CredentialMail",
    "RegisterEntry",
    "RegisterEntryChange",
    "RegisterImport",
    "RegisterImportProblem",
    "RegisterImportRow",
    "VoterRegistration",
    "VoterSettings",
    "VotingCredential",
    "personal_number_validator",
]
