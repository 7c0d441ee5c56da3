from .election import (
    AuditHeadView,
    AuditLogView,
    ElectionContextMixin,
    ElectionCreateView,
    ElectionDetailView,
    ElectionTransitionView,
    ElectionUpdateView,
    HomeView,
)

__all__ = [
    "AuditHeadView",
    "AuditLogView",
    "ElectionContextMixin",
    "ElectionCreateView",
    "ElectionDetailView",
    "ElectionTransitionView",
    "ElectionUpdateView",
    "HomeView",
]
