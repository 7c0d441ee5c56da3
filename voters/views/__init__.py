"""Views of the voters area, one module per part; each declares what it needs."""

from .manage import CredentialResendView, CredentialsView, SettingsView
from .public import CheckView, CorrectionNewView, InvitationView, VotersIndexView
from .register import (
    CorrectionDecideView,
    CorrectionDocumentView,
    CorrectionsView,
    EntryChangeView,
    FreezeView,
    ImportDetailView,
    ImportReportView,
    ImportUploadView,
    ListOverviewView,
    PrecinctListView,
    PrecinctPdfView,
)
from .registration import (
    RegisteredExportView,
    RegisteredListView,
    RegisterFormView,
    RegisterIndexView,
    RegistrationConfirmView,
    RegistrationDetailView,
)

__all__ = [
    "CheckView",
    "CorrectionDecideView",
    "CorrectionDocumentView",
    "CorrectionNewView",
    "CorrectionsView",
    "CredentialResendView",
    "CredentialsView",
    "EntryChangeView",
    "FreezeView",
    "ImportDetailView",
    "ImportReportView",
    "ImportUploadView",
    "InvitationView",
    "ListOverviewView",
    "PrecinctListView",
    "PrecinctPdfView",
    "RegisterFormView",
    "RegisterIndexView",
    "RegisteredExportView",
    "RegisteredListView",
    "RegistrationConfirmView",
    "RegistrationDetailView",
    "SettingsView",
    "VotersIndexView",
]
