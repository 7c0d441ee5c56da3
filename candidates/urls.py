"""Mounted at /elections/<slug>/candidates/ (see electionportal/urls.py). Contests are named
``g-<group slug>`` or ``d-<district number>``."""

from django.urls import path

from . import views

app_name = "candidates"

urlpatterns = [
    # public
    path("", views.CandidateListView.as_view(), name="list"),
    path("announcement/", views.AnnouncementView.as_view(), name="announcement"),
    path("announcement/form/", views.ApplicationFormDownloadView.as_view(), name="application_form"),
    path("c/<int:pk>/", views.ProfileView.as_view(), name="profile"),
    path("c/<int:pk>/photo/", views.PhotoView.as_view(), name="photo"),
    path("open-data/candidates.csv", views.OpenDataView.as_view(fmt="csv"), name="open_data_csv"),
    path("open-data/candidates.json", views.OpenDataView.as_view(fmt="json"), name="open_data_json"),
    path("verify/<str:code>/", views.VerifyView.as_view(), name="verify"),
    path("account/", views.SignupView.as_view(), name="signup"),
    # applicants and parties
    path("apply/", views.ApplyView.as_view(), name="apply"),
    path("my/", views.MyApplicationsView.as_view(), name="mine"),
    path("applications/<int:pk>/withdraw/", views.WithdrawView.as_view(), name="withdraw"),
    path("applications/<int:pk>/certificate.pdf", views.CertificateView.as_view(), name="certificate"),
    path("party-lists/", views.PartyListsView.as_view(), name="party_lists"),
    path("party-lists/<int:pk>/", views.PartyListView.as_view(), name="party_list"),
    path("party-lists/<int:pk>/withdraw/", views.PartyListWithdrawView.as_view(), name="party_list_withdraw"),
    # the commission
    path("applications/", views.ApplicationsView.as_view(), name="applications"),
    path("applications/<int:pk>/", views.ApplicationView.as_view(), name="application"),
    path("applications/<int:pk>/document/", views.DocumentView.as_view(), name="document"),
    path("applications/<int:pk>/review/", views.ReviewView.as_view(), name="review"),
    path("applications/<int:pk>/decide/", views.DecideView.as_view(), name="decide"),
    path("applications/<int:pk>/cancel/", views.CancelView.as_view(), name="cancel"),
    path("package/<str:contest>/", views.PackageView.as_view(), name="package"),
    path("package/<str:contest>/csv/", views.PackageView.as_view(fmt="csv"), name="package_csv"),
    path("package/<str:contest>/pdf/", views.PackageView.as_view(fmt="pdf"), name="package_pdf"),
    # the secretariat
    path("settings/", views.SettingsView.as_view(), name="settings"),
    path("settings/publish/", views.PublishView.as_view(), name="publish"),
    path("settings/criteria/", views.CriteriaView.as_view(), name="criteria"),
    path("settings/criteria/<int:pk>/delete/", views.CriterionDeleteView.as_view(), name="criterion_delete"),
]
