from .audit import (
    AuditCertificateView,
    AuditHeadsJsonView,
    AuditHeadView,
    AuditSignedHeadView,
)
from .election import (
    AuditLogView,
    ElectionContextMixin,
    ElectionCreateView,
    ElectionDetailView,
    ElectionTransitionView,
    ElectionUpdateView,
    HomeView,
)

__all__ = [
    "AuditCertificateView",
    "AuditHeadView",
    "AuditHeadsJsonView",
    "AuditSignedHeadView",
    "AuditLogView",
    "ElectionContextMixin",
    "ElectionCreateView",
    "ElectionDetailView",
    "ElectionTransitionView",
    "ElectionUpdateView",
    "HomeView",
]
