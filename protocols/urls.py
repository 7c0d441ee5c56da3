from django.urls import path

from . import views

app_name = "protocols"

urlpatterns = [
    path("", views.ResultsView.as_view(), name="results"),
]
