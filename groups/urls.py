"""Mounted at /elections/<slug>/groups/ (see electionportal/urls.py)."""

from django.urls import path

from . import views

app_name = "groups"

urlpatterns = [
    path("training/", views.TrainingView.as_view(), name="training"),
    path("budget/", views.BudgetView.as_view(), name="budget"),
    path("", views.GroupListView.as_view(), name="list"),
    # electoral groups
    path("new/", views.GroupCreateView.as_view(), name="group_create"),
    path("g/<slug:group_slug>/", views.GroupDetailView.as_view(), name="group_detail"),
    path("g/<slug:group_slug>/edit/", views.GroupEditView.as_view(), name="group_edit"),
    path("g/<slug:group_slug>/regulations/", views.GroupRegulationsView.as_view(), name="group_regulations"),
    # districts and precincts
    path("units/", views.UnitListView.as_view(), name="unit_list"),
    path("units/new/", views.UnitCreateView.as_view(), name="unit_create"),
    path("units/import/", views.UnitImportView.as_view(), name="unit_import"),
    path("units/<int:pk>/edit/", views.UnitEditView.as_view(), name="unit_edit"),
    # commissions and members
    path("commissions/new/", views.CommissionCreateView.as_view(), name="commission_create"),
    path("commissions/<int:pk>/", views.CommissionDetailView.as_view(), name="commission_detail"),
    path("commissions/<int:pk>/edit/", views.CommissionEditView.as_view(), name="commission_edit"),
    path("commissions/<int:pk>/members/", views.CommissionMembersView.as_view(), name="commission_members"),
    path("commissions/<int:pk>/members/invite/", views.MemberInviteView.as_view(), name="member_invite"),
    path("members/<int:pk>/edit/", views.MemberEditView.as_view(), name="member_edit"),
    path("members/<int:pk>/remove/", views.MemberRemoveView.as_view(), name="member_remove"),
    path("my-commissions/", views.MyMembershipsView.as_view(), name="my_memberships"),
    path("my-commissions/<int:pk>/declare/", views.MemberDeclareView.as_view(), name="member_declare"),
    # organising committee
    path("organising-committee/", views.OrgCommitteeView.as_view(), name="orgcom"),
    path("organising-committee/nominate/", views.NominateView.as_view(), name="orgcom_nominate"),
    path(
        "organising-committee/<int:pk>/decide/",
        views.NominationDecideView.as_view(),
        name="nomination_decide",
    ),
    path(
        "organising-committee/<int:pk>/document/",
        views.NominationDocumentView.as_view(),
        name="nomination_document",
    ),
    # observers
    path("observers/", views.ObserverListView.as_view(), name="observer_list"),
    path("observers/apply/", views.ObserverApplyView.as_view(), name="observer_apply"),
    path("observers/verify/<str:code>/", views.ObserverVerifyView.as_view(), name="observer_verify"),
    path(
        "observers/credential/<str:code>/", views.ObserverCredentialView.as_view(), name="observer_credential"
    ),
    path("observers/applications/", views.ObserverApplicationsView.as_view(), name="observer_applications"),
    path(
        "observers/applications/<int:pk>/",
        views.ObserverApplicationView.as_view(),
        name="observer_application",
    ),
    path(
        "observers/applications/<int:pk>/document/",
        views.ObserverDocumentView.as_view(),
        name="observer_document",
    ),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
]
