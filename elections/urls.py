from django.urls import path

from . import views

app_name = "elections"

urlpatterns = [
    path("new/", views.ElectionCreateView.as_view(), name="create"),
    path("<slug:slug>/", views.ElectionDetailView.as_view(), name="detail"),
    path("<slug:slug>/edit/", views.ElectionUpdateView.as_view(), name="edit"),
    path("<slug:slug>/step/<slug:transition>/", views.ElectionTransitionView.as_view(), name="transition"),
    path("<slug:slug>/audit/", views.AuditLogView.as_view(), name="audit_log"),
]
