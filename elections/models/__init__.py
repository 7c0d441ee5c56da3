from .audit import PublishedHead
from .calendar import (
    CalendarActivity,
    CalendarFeedToken,
    CalendarReminder,
    ElectionCalendar,
    Notification,
    PlanTemplate,
)
from .decisions import DecidedRequest, Decision, DecisionVote
from .election import AuditEntry, AuditHead, Election, Translated, action_validator, validate_time_zone
from .outbox import OutboxMail, OutboxStatus, OutboxTask

__all__ = [
    "AuditEntry",
    "AuditHead",
    "CalendarActivity",
    "CalendarFeedToken",
    "CalendarReminder",
    "DecidedRequest",
    "Decision",
    "DecisionVote",
    "Election",
    "ElectionCalendar",
    "Notification",
    "OutboxMail",
    "OutboxStatus",
    "OutboxTask",
    "PlanTemplate",
    "PublishedHead",
    "Translated",
    "action_validator",
    "validate_time_zone",
]
