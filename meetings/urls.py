"""Mounted at /elections/<slug>/meetings/ (see electionportal/urls.py)."""

from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.MeetingListView.as_view(), name="list"),
    path("new/", views.MeetingCreateView.as_view(), name="create"),
    path("minutes/", views.PublicMinutesView.as_view(), name="public_minutes"),
    path("<int:pk>/", views.MeetingDetailView.as_view(), name="detail"),
    path("<int:pk>/meeting.ics", views.MeetingIcsView.as_view(), name="ics"),
    path("<int:pk>/minutes-draft.pdf", views.MinutesDraftView.as_view(), name="minutes_draft"),
    path("<int:pk>/minutes-<str:language>.pdf", views.MinutesDocumentView.as_view(), name="minutes"),
]
