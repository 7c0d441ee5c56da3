"""Who takes part, where and with what powers (pretix style: one module per area)."""

from .imports import FileImport
from .members import CommissionMember, OrgCommitteeNomination
from .observers import ObserverApplication, ObserverInvitation
from .roles import RoleAssignment
from .structure import Commission, DecisionRule, ElectoralGroup, TerritorialUnit
from .work import Article, BudgetLine, Spending, TrainingAttendance, TrainingSession

__all__ = [
    "Article",
    "BudgetLine",
    "Spending",
    "TrainingAttendance",
    "TrainingSession",
    "Commission",
    "CommissionMember",
    "DecisionRule",
    "ElectoralGroup",
    "FileImport",
    "ObserverApplication",
    "ObserverInvitation",
    "OrgCommitteeNomination",
    "RoleAssignment",
    "TerritorialUnit",
]
