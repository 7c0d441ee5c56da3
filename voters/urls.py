"""Mounted at /elections/<slug>/voters/ (see electionportal/urls.py)."""

from django.urls import path

from . import views

app_name = "voters"

urlpatterns = [
    path("", views.VotersIndexView.as_view(), name="index"),
    path("settings/", views.SettingsView.as_view(), name="settings"),
    # registration in groups (seed 000 items 13–16)
    path("register/", views.RegisterIndexView.as_view(), name="register"),
    path("confirm/<str:token>/", views.RegistrationConfirmView.as_view(), name="registration_confirm"),
    path("register/<slug:group_slug>/<slug:kind>/", views.RegisterFormView.as_view(), name="register_form"),
    path("groups/<slug:group_slug>/", views.RegisteredListView.as_view(), name="registered_list"),
    path(
        "groups/<slug:group_slug>/export.<str:fmt>",
        views.RegisteredExportView.as_view(),
        name="registered_export",
    ),
    path("registrations/<int:pk>/", views.RegistrationDetailView.as_view(), name="registration_detail"),
    # the voter register and precinct lists (seed 003 items 8–14)
    path("check/", views.CheckView.as_view(), name="check"),
    path("check/correction/", views.CorrectionNewView.as_view(), name="correction_new"),
    path("lists/", views.ListOverviewView.as_view(), name="lists"),
    path("lists/import/", views.ImportUploadView.as_view(), name="import_upload"),
    path("lists/import/<int:pk>/", views.ImportDetailView.as_view(), name="import_detail"),
    path("lists/import/<int:pk>/report.csv", views.ImportReportView.as_view(), name="import_report"),
    path("lists/freeze/", views.FreezeView.as_view(), name="freeze"),
    path("lists/precinct/<int:number>/", views.PrecinctListView.as_view(), name="precinct_list"),
    path("lists/precinct/<int:number>/list.pdf", views.PrecinctPdfView.as_view(), name="precinct_pdf"),
    path("lists/entries/<int:pk>/change/", views.EntryChangeView.as_view(), name="entry_change"),
    path("lists/corrections/", views.CorrectionsView.as_view(), name="corrections"),
    path("lists/corrections/<int:pk>/", views.CorrectionDecideView.as_view(), name="correction_decide"),
    path(
        "lists/corrections/<int:pk>/document/",
        views.CorrectionDocumentView.as_view(),
        name="correction_document",
    ),
    # voting credentials
    path("credentials/", views.CredentialsView.as_view(), name="credentials"),
    path("credentials/<int:pk>/resend/", views.CredentialResendView.as_view(), name="credential_resend"),
    path("invitation/<str:token>/", views.InvitationView.as_view(), name="invitation"),
]
