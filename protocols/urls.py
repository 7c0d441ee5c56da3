"""Protocols and results, under /elections/<slug>/results/: each area's view module lists its own
``urlpatterns`` (public results, protocols and signatures, PDFs, aggregation, archives)."""

from django.urls import path

from .views import (
    acts,
    aggregation,
    archive,
    ballot_stock,
    pdf,
    preliminary_public,
    protocol,
    publication,
    ties,
)

app_name = "protocols"

urlpatterns = [
    path("", publication.ResultsView.as_view(), name="results"),
    *publication.urlpatterns,
    *protocol.urlpatterns,
    *ties.urlpatterns,
    *pdf.urlpatterns,
    *aggregation.urlpatterns,
    *acts.urlpatterns,
    *ballot_stock.urlpatterns,
    *preliminary_public.urlpatterns,
    *archive.urlpatterns,
]
