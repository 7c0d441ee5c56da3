from django.urls import path

from . import views
from .views import calendar as cal
from .views.decisions import DecisionListView

app_name = "elections"

urlpatterns = [
    path("new/", views.ElectionCreateView.as_view(), name="create"),
    path("<slug:slug>/", views.ElectionDetailView.as_view(), name="detail"),
    path("<slug:slug>/edit/", views.ElectionUpdateView.as_view(), name="edit"),
    path("<slug:slug>/step/<slug:transition>/", views.ElectionTransitionView.as_view(), name="transition"),
    path("<slug:slug>/audit/", views.AuditLogView.as_view(), name="audit_log"),
    path("<slug:slug>/decisions/", DecisionListView.as_view(), name="decisions"),
    path("<slug:slug>/calendar/", cal.CalendarView.as_view(), name="calendar"),
    path("<slug:slug>/calendar/timeline/", cal.TimelineView.as_view(), name="calendar_timeline"),
    path("<slug:slug>/calendar/mine/", cal.MyDeadlinesView.as_view(), name="calendar_mine"),
    path("<slug:slug>/calendar/start/", cal.CalendarStartView.as_view(), name="calendar_start"),
    path(
        "<slug:slug>/calendar/follow-voting-day/",
        cal.CalendarFollowVotingDayView.as_view(),
        name="calendar_follow_voting_day",
    ),
    path("<slug:slug>/calendar/export.<str:fmt>", cal.CalendarExportView.as_view(), name="calendar_export"),
    path(
        "<slug:slug>/calendar/<int:number>/done/",
        cal.ActivityCompleteView.as_view(),
        name="activity_complete",
    ),
    path(
        "<slug:slug>/calendar/<int:number>/not-applicable/",
        cal.ActivityNotApplicableView.as_view(),
        name="activity_not_applicable",
    ),
    path(
        "<slug:slug>/calendar/<int:number>/reopen/", cal.ActivityReopenView.as_view(), name="activity_reopen"
    ),
]
