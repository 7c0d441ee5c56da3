"""Mounted at /elections/<slug>/polling/ (see electionportal/urls.py)."""

from django.urls import path

from . import views

app_name = "polling"

urlpatterns = [
    path("print-run/", views.PrintRunView.as_view(), name="print_run"),
    path("print-run/order.csv", views.PrintRunCsvView.as_view(), name="print_run_csv"),
    path("print-run/order.pdf", views.PrintRunPdfView.as_view(), name="print_run_pdf"),
    path("precincts/", views.DayListView.as_view(), name="days"),
    path("precincts/<int:unit>/", views.DayView.as_view(), name="day"),
    path("turnout/", views.TurnoutView.as_view(), name="turnout"),
]
