"""Candidates: settings and checklist, applications and party lists, reviews and decisions."""

from .applications import Application, PartyList
from .decisions import DecisionReminder, Review, ReviewCheck
from .settings import (
    CONFIGURABLE_FIELDS,
    FIELD_DEFAULTS,
    FIELD_NAMES,
    TEMPLATE_DEFAULTS,
    CandidacySettings,
    Criterion,
    FieldMode,
)

__all__ = [
    "CONFIGURABLE_FIELDS",
    "FIELD_DEFAULTS",
    "FIELD_NAMES",
    "TEMPLATE_DEFAULTS",
    "Application",
    "CandidacySettings",
    "Criterion",
    "DecisionReminder",
    "FieldMode",
    "PartyList",
    "Review",
    "ReviewCheck",
]
