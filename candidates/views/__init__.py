"""Views of candidates, one module per audience; each declares what it needs."""

from .applicant import (
    ApplyView,
    CertificateView,
    MyApplicationsView,
    PartyListsView,
    PartyListView,
    PartyListWithdrawView,
    WithdrawView,
)
from .commission import (
    ApplicationsView,
    ApplicationView,
    CancelView,
    DecideView,
    DocumentView,
    PackageView,
    ReviewView,
)
from .manage import CriteriaView, CriterionDeleteView, PublishView, SettingsView
from .public import (
    AnnouncementView,
    ApplicationFormDownloadView,
    CandidateListView,
    OpenDataView,
    PhotoView,
    ProfileView,
    SignupView,
    VerifyView,
)

__all__ = [
    "AnnouncementView",
    "ApplicationFormDownloadView",
    "ApplicationView",
    "ApplicationsView",
    "ApplyView",
    "CancelView",
    "CandidateListView",
    "CertificateView",
    "CriteriaView",
    "CriterionDeleteView",
    "DecideView",
    "DocumentView",
    "MyApplicationsView",
    "OpenDataView",
    "PackageView",
    "PartyListView",
    "PartyListWithdrawView",
    "PartyListsView",
    "PhotoView",
    "ProfileView",
    "PublishView",
    "ReviewView",
    "SettingsView",
    "SignupView",
    "VerifyView",
    "WithdrawView",
]
