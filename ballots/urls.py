from django.urls import path

from . import views

app_name = "ballots"

urlpatterns = [
    path("ballot/", views.BallotView.as_view(), name="ballot"),  # first: casting is the busiest URL
    path("", views.VotingInfoView.as_view(), name="info"),
    path("link/<str:token>/", views.LinkView.as_view(), name="link"),
    path("account/", views.AccountVoteView.as_view(), name="account"),
    path("receipt/", views.ReceiptView.as_view(), name="receipt"),
    path("board/", views.BoardView.as_view(), name="board"),
    path("turnout/", views.TurnoutView.as_view(), name="turnout"),
    path("settings/", views.VotingSettingsView.as_view(), name="settings"),
    path("contests/new/", views.ContestEditView.as_view(), name="contest_new"),
    path("contests/<int:pk>/", views.ContestEditView.as_view(), name="contest_edit"),
    path("contests/<int:pk>/text/", views.BallotTextView.as_view(), name="text"),
    path(
        "contests/<int:pk>/text/proof-<str:language>.pdf", views.BallotProofView.as_view(), name="text_proof"
    ),
    path("contests/<int:pk>/paper/", views.PaperEntryView.as_view(), name="paper"),
]
