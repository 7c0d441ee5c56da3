"""Mounted at /elections/<slug>/campaign/ (see electionportal/urls.py)."""

from django.urls import path

from . import views

app_name = "campaign"

urlpatterns = [
    path("representatives/", views.RepresentativeListView.as_view(), name="representatives"),
    path("representatives/<int:pk>/", views.RepresentativeView.as_view(), name="representative"),
    path("representatives/<int:pk>/credential.pdf", views.CredentialPdfView.as_view(), name="credential"),
    path("verify/<str:code>/", views.VerifyView.as_view(), name="verify"),
    path("funds/", views.FundListView.as_view(), name="funds"),
    path("events/", views.EventsView.as_view(), name="events"),
    path("media/", views.MediaView.as_view(), name="media"),
    path("media/<int:pk>/rates", views.MediaDocumentView.as_view(), name="media_document"),
    path("notices/", views.NoticesView.as_view(), name="notices"),
    path("notices/<int:pk>/notice.pdf", views.NoticePdfView.as_view(), name="notice_pdf"),
    path("where/", views.WhereView.as_view(), name="where"),
    path("funds/<int:pk>/", views.FundView.as_view(), name="fund"),
]
