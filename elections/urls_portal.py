"""Portal-wide pages of the elections app (not inside one election)."""

from django.urls import path

from .views import calendar as cal

app_name = "portal"

urlpatterns = [
    path("calendar-templates/", cal.TemplateListView.as_view(), name="plan_templates"),
    path("calendar-templates/new/", cal.TemplateEditView.as_view(), name="plan_template_new"),
    path("calendar-templates/<slug:slug>/", cal.TemplateDetailView.as_view(), name="plan_template"),
    path("calendar-templates/<slug:slug>/edit/", cal.TemplateEditView.as_view(), name="plan_template_edit"),
    path("calendar-feed/<str:token>.ics", cal.PersonalFeedView.as_view(), name="calendar_feed"),
    path("calendar-feed/renew/", cal.FeedTokenView.as_view(), name="calendar_feed_renew"),
    path("notifications/", cal.NotificationListView.as_view(), name="notifications"),
]
