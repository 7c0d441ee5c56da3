from django.urls import path

from . import views

app_name = "ballots"

urlpatterns = [
    path("", views.VotingInfoView.as_view(), name="info"),
]
