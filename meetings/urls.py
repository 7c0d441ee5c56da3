"""Mounted at /elections/<slug>/meetings/ (see electionportal/urls.py)."""

from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.MeetingListView.as_view(), name="list"),
    path("new/", views.MeetingCreateView.as_view(), name="create"),
    path("<int:pk>/", views.MeetingDetailView.as_view(), name="detail"),
    path("<int:pk>/meeting.ics", views.MeetingIcsView.as_view(), name="ics"),
]
