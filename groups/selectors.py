"""Reads of the electoral structure that respect who may see what.

Public: groups, units, commissions with their members' names and positions, accredited
observers. Private (``group.view_private`` on the group or commission): members' e-mails,
invitations and declarations. The organising committee's contact list: the secretariat and the
committee. Observer applications: only those the user may decide (the responsible body, the
group's organising-committee member, the secretariat).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, OuterRef, Prefetch, Q, QuerySet, Subquery, When
from django.db.models.functions import Coalesce
from django.http import Http404

from accounts.models import Role
from accounts.permissions import can, require, roles_in
from elections.models import Decision

from .models import (
    Commission,
    CommissionMember,
    ElectoralGroup,
    ObserverApplication,
    OrgCommitteeNomination,
    TerritorialUnit,
)
from .voter_lists import listed_voters

_active_members = Prefetch(
    "members",
    queryset=CommissionMember.objects.filter(is_active=True).select_related("user").order_by("position"),
    to_attr="active_members",
)


def groups_of(election) -> QuerySet[ElectoralGroup]:
    return ElectoralGroup.objects.filter(election=election).order_by("order", "name_ru")


def _count_of(qs: QuerySet) -> Coalesce:
    """``qs`` (rows of one commission, ``OuterRef("pk")``) counted in a subquery, 0 when none."""
    return Coalesce(Subquery(qs.values("commission").annotate(n=Count("pk")).values("n")), 0)


def commissions_of(election) -> QuerySet[Commission]:
    """The election's commissions with ``member_count``: the active members, or for the organising
    committee its approved representatives (its members hold the role for their group, not a seat
    in the commission; ``committee_members``)."""
    members = CommissionMember.objects.filter(commission=OuterRef("pk"), is_active=True)
    representatives_ = OrgCommitteeNomination.objects.filter(
        commission=OuterRef("pk"), status=OrgCommitteeNomination.Status.APPROVED
    )
    return (
        Commission.objects.filter(election=election)
        .select_related("group", "parent", "unit")
        .annotate(
            member_count=Case(
                When(kind=Commission.Kind.ORG_COMMITTEE, then=_count_of(representatives_)),
                default=_count_of(members),
            )
        )
        .order_by("kind", "name_ru")
    )


def units_of(election) -> list[TerritorialUnit]:
    """Districts, each with its precincts (``district.precincts``), ordered by number, with the
    voters on each precinct's list (``precinct.voters``): the count of its list in the portal where
    there is one, else the number recorded with the precinct, marked ``precinct.is_estimate``. A
    district's ``voters`` is the sum of its precincts' and ``has_estimates`` says whether one of
    them is an estimate."""
    precincts = TerritorialUnit.objects.filter(kind=TerritorialUnit.Kind.PRECINCT).order_by("number")
    districts = list(
        TerritorialUnit.objects.filter(election=election, kind=TerritorialUnit.Kind.DISTRICT)
        .prefetch_related(Prefetch("children", queryset=precincts, to_attr="precincts"))
        .order_by("number")
    )
    listed = listed_voters(election, [p for d in districts for p in d.precincts])
    for district in districts:
        for precinct in district.precincts:
            precinct.is_estimate = precinct.pk not in listed
            precinct.voters = listed.get(precinct.pk, precinct.voters_on_list or 0)
        district.voters = sum(p.voters for p in district.precincts)
        district.has_estimates = any(p.is_estimate for p in district.precincts)
    return districts


def _get_or_404(qs, **lookup):
    try:
        return qs.get(**lookup)
    except (qs.model.DoesNotExist, ValueError):
        raise Http404 from None


def group_for(election, slug: str) -> ElectoralGroup:
    return _get_or_404(ElectoralGroup.objects.filter(election=election), slug=slug)


def commission_for(election, pk: int) -> Commission:
    return _get_or_404(
        Commission.objects.filter(election=election).select_related("group", "parent", "unit", "election"),
        pk=pk,
    )


def unit_for(election, pk: int) -> TerritorialUnit:
    return _get_or_404(TerritorialUnit.objects.filter(election=election).select_related("parent"), pk=pk)


def member_for(election, pk: int) -> CommissionMember:
    return _get_or_404(
        CommissionMember.objects.filter(commission__election=election).select_related("user", "commission"),
        pk=pk,
    )


def public_members(commission: Commission) -> QuerySet[CommissionMember]:
    """Names and positions of the active members (published)."""
    return (
        commission.members.filter(is_active=True)
        .select_related("user")
        .order_by("position", "user__full_name")
    )


def committee_members(commission: Commission) -> QuerySet[OrgCommitteeNomination]:
    """The organising committee's members: its approved representatives, one per electoral group,
    the people of its contact list (names and groups published, contacts not)."""
    return (
        OrgCommitteeNomination.objects.filter(
            commission=commission, status=OrgCommitteeNomination.Status.APPROVED
        )
        .select_related("group")
        .order_by("group__order", "group__name_ru")
    )


def private_members(user, commission: Commission) -> QuerySet[CommissionMember]:
    """All memberships with e-mails, invitation and declaration state, for those who may see them."""
    require(user, "group.view_private", commission)
    return commission.members.select_related("user").order_by("-is_active", "position", "user__full_name")


def group_commissions_with_members(user, group: ElectoralGroup) -> list[Commission]:
    """The group's commissions with active members, if ``user`` may see the group's private data."""
    if not can(user, "group.view_private", group):
        return []
    return list(Commission.objects.filter(group=group).prefetch_related(_active_members).order_by("kind"))


def memberships_of(user, election) -> QuerySet[CommissionMember]:
    if not user.is_authenticated:
        return CommissionMember.objects.none()
    return (
        CommissionMember.objects.filter(user=user, commission__election=election, is_active=True)
        .select_related("commission", "user")
        .order_by("commission__kind", "commission__name_ru")
    )


def own_membership(user, election, pk: int) -> CommissionMember:
    return _get_or_404(memberships_of(user, election), pk=pk)


def representatives(election) -> QuerySet[OrgCommitteeNomination]:
    """The approved representatives (names published, contacts not)."""
    return OrgCommitteeNomination.objects.filter(
        commission__election=election, status=OrgCommitteeNomination.Status.APPROVED
    ).select_related("group", "user")


def org_committee_contacts(user, election) -> QuerySet[OrgCommitteeNomination]:
    """The committee's contact list (seed 000 item 5): the secretariat and the committee."""
    require(user, "orgcommittee.view_contacts", election)
    return representatives(election).select_related("decision").order_by("group__order", "group__name_ru")


def nominations_to_decide(user, election) -> QuerySet[OrgCommitteeNomination]:
    """Every nomination but the approved ones, for the secretariat; nothing for anyone else."""
    committee = Commission.objects.filter(election=election, kind=Commission.Kind.ORG_COMMITTEE).first()
    if committee is None or not can(user, "commission.manage", committee):
        return OrgCommitteeNomination.objects.none()
    return (
        committee.nominations.exclude(status=OrgCommitteeNomination.Status.APPROVED)
        .select_related("group", "decision__recorded_by")
        .order_by("status", "-submitted_at")
    )


def nomination_for(election, pk: int) -> OrgCommitteeNomination:
    return _get_or_404(
        OrgCommitteeNomination.objects.filter(commission__election=election).select_related(
            "commission", "group"
        ),
        pk=pk,
    )


def observer_applications_for(user, election, status: str | None = None) -> list[ObserverApplication]:
    """The applications ``user`` may decide, newest first."""
    qs = ObserverApplication.objects.filter(election=election).select_related(
        "group", "commission", "decision__recorded_by"
    )
    if status:
        qs = qs.filter(status=status)
    return [a for a in qs.order_by("-submitted_at") if can(user, "observer.decide", a)]


def observer_application(election, pk: int) -> ObserverApplication:
    """One application; views check ``observer.decide`` on it before showing anything."""
    return _get_or_404(
        ObserverApplication.objects.filter(election=election).select_related(
            "group", "commission", "user", "decision__recorded_by"
        ),
        pk=pk,
    )


def credential_for(user, election, code: str) -> ObserverApplication:
    """The credential of an accredited (or revoked) observer, for the observer and the deciders."""
    application = _get_or_404(
        ObserverApplication.objects.filter(
            election=election,
            status__in=[ObserverApplication.Status.ACCREDITED, ObserverApplication.Status.REVOKED],
        ).select_related("election", "group", "commission"),
        credential_code=code,
    )
    is_own = user.is_authenticated and application.user_id == user.pk
    if not (is_own or can(user, "observer.decide", application)):
        raise PermissionDenied
    return _with_accreditation(application)


def _with_accreditation(application: ObserverApplication) -> ObserverApplication:
    """Sets ``application.accreditation``: the adopted decision that accredited the observer. After
    a revocation ``application.decision`` is the revocation, which a credential must not show as
    the accreditation."""
    application.accreditation = (
        application.decisions.filter(is_adopted=True, outcome=Decision.Outcome.GRANTED)
        .order_by("-decided_at", "-pk")
        .first()
    )
    return application


def verification(election, code: str) -> ObserverApplication:
    """Public: an accredited or revoked credential by its code (nothing private is shown)."""
    application = _get_or_404(
        ObserverApplication.objects.filter(
            election=election,
            status__in=[ObserverApplication.Status.ACCREDITED, ObserverApplication.Status.REVOKED],
        ).select_related("group", "decision"),
        credential_code=code,
    )
    return _with_accreditation(application)


def accredited_observers(election) -> QuerySet[ObserverApplication]:
    return (
        ObserverApplication.objects.filter(election=election, status=ObserverApplication.Status.ACCREDITED)
        .select_related("group")
        .order_by("kind", "name")
    )


def own_credentials(user, election) -> QuerySet[ObserverApplication]:
    if not user.is_authenticated:
        return ObserverApplication.objects.none()
    return ObserverApplication.objects.filter(
        election=election, user=user, status=ObserverApplication.Status.ACCREDITED
    )


def structure_counts(election) -> dict:
    """Aggregates only (no personal data), for the observer dashboard."""
    units = TerritorialUnit.objects.filter(election=election).aggregate(
        districts=Count("pk", filter=Q(kind=TerritorialUnit.Kind.DISTRICT)),
        precincts=Count("pk", filter=Q(kind=TerritorialUnit.Kind.PRECINCT)),
    )
    members = CommissionMember.objects.filter(commission__election=election, is_active=True).aggregate(
        total=Count("pk"), declared=Count("pk", filter=Q(coi_declared_at__isnull=False))
    )
    observers = ObserverApplication.objects.filter(election=election).aggregate(
        accredited=Count("pk", filter=Q(status=ObserverApplication.Status.ACCREDITED)),
        submitted=Count("pk", filter=Q(status=ObserverApplication.Status.SUBMITTED)),
        refused=Count("pk", filter=Q(status=ObserverApplication.Status.REFUSED)),
        revoked=Count("pk", filter=Q(status=ObserverApplication.Status.REVOKED)),
    )
    by_kind = {
        row["kind"]: row["n"]
        for row in Commission.objects.filter(election=election).values("kind").annotate(n=Count("pk"))
    }
    return {
        "groups": ElectoralGroup.objects.filter(election=election).count(),
        "commissions": [
            (label, by_kind[value]) for value, label in Commission.Kind.choices if value in by_kind
        ],
        "units": units,
        "members": members,
        "observers": observers,
    }


def file_import_of(election, kind: str, import_id):
    """The CSV import ``import_id`` of this election and kind (its page shows the outcome), or None."""
    from .models import FileImport

    try:
        return FileImport.objects.filter(election=election, kind=kind, pk=int(import_id)).first()
    except (TypeError, ValueError):
        return None


def is_cec_or_secretariat(user, election) -> bool:
    """Whether ``user`` acts for the central commission of ``election`` (an active member) or is
    the secretariat: the services of the print run, the campaign's media rates, training, the
    budget and the API tokens narrow their capability to it."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or Role.SECRETARIAT in roles_in(user, election):
        return True
    return CommissionMember.objects.filter(
        commission__election=election, commission__kind=Commission.Kind.CEC, user=user, is_active=True
    ).exists()
