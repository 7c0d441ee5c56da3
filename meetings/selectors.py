"""Reads of meetings: the members of a body, which meetings a user may see, the quorum of one."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.permissions import can, role_assignments, roles_in
from elections.models import Election
from groups.models import Commission, CommissionMember, OrgCommitteeNomination

from .models import Meeting, Participant


def members_of(commission: Commission | None) -> list[tuple[object, str]]:
    """The members of a body as (user, position): a commission's active members; for the
    organising committee, the groups' approved representatives (seed 000 item 5); none for the
    secretariat."""
    if commission is None:
        return []
    if commission.kind == Commission.Kind.ORG_COMMITTEE:
        nominations = OrgCommitteeNomination.objects.filter(
            commission=commission, status=OrgCommitteeNomination.Status.APPROVED, user__isnull=False
        ).select_related("user")
        return [(n.user, "") for n in nominations]
    members = CommissionMember.objects.filter(commission=commission, is_active=True).select_related("user")
    return [(m.user, m.position) for m in members]


@dataclass(frozen=True)
class Quorum:
    """The members present against the body's members; ``required`` is None for a meeting of the
    secretariat, which has no quorum rule."""

    members_total: int
    present: int
    required: int | None

    @property
    def met(self) -> bool:
        return self.required is None or self.present >= self.required


def quorum_of(meeting: Meeting) -> Quorum:
    """More than half of the body's members must be present (the rule of
    ``elections.services.decisions``)."""
    present = meeting.participants.filter(role=Participant.Role.MEMBER, present=True).count()
    if meeting.commission_id is None:
        return Quorum(members_total=0, present=present, required=None)
    total = len(members_of(meeting.commission))
    return Quorum(members_total=total, present=present, required=total // 2 + 1)


def may_see(user, meeting: Meeting) -> bool:
    """Those who may manage it, those invited, and — where observers may attend — the election's
    observers."""
    if user.is_authenticated and meeting.participants.filter(user=user).exists():
        return True  # invited: a representative in the organising committee is scoped to a group
    if not can(user, "meeting.view", meeting):
        return False
    if can(user, "meeting.manage", meeting):
        return True
    return meeting.observers_may_attend and Role.OBSERVER in roles_in(user, meeting.election)


def meetings_for(user, election: Election) -> list[Meeting]:
    meetings = (
        Meeting.objects.filter(election=election)
        .select_related("commission", "election")
        .order_by("-starts_at", "-pk")
    )
    return [m for m in meetings if may_see(user, m)]


def participants_of(meeting: Meeting) -> list[Participant]:
    return list(
        meeting.participants.select_related("user").order_by("role", "user__full_name", "user__email")
    )


def bodies_for(user, election: Election) -> list[Commission | None]:
    """The bodies whose meetings ``user`` may schedule: None stands for the secretariat."""
    bodies: list[Commission | None] = (
        [None]
        if can(user, "meeting.manage", election) and Role.SECRETARIAT in roles_in(user, election)
        else []
    )
    for commission in Commission.objects.filter(election=election).order_by("kind", "name_ru"):
        if can(user, "meeting.manage", commission):
            bodies.append(commission)
    return bodies


def meetings_deciding(commission: Commission | None) -> list[Meeting]:
    """The held meetings of ``commission`` whose minutes (not yet signed) a decision may go into,
    newest first."""
    if commission is None:
        return []
    return list(
        Meeting.objects.filter(
            commission=commission, status=Meeting.Status.HELD, minutes_signed_at__isnull=True
        ).order_by("-starts_at", "-pk")
    )


def calendar_work(user, election: Election) -> dict[int, list[tuple[str, str]]]:
    """The meetings that carry out activities of the calendar plan — held for one, or announced
    for one (seed 000 item 19) — as links on their rows (``elections.activity_work``): only those
    ``user`` may see."""
    links: dict[int, list[tuple[str, str]]] = {}
    meetings = (
        Meeting.objects.filter(election=election)
        .filter(Q(activity__isnull=False) | Q(announced_activity__isnull=False))
        .select_related("activity", "announced_activity", "commission", "election")
    )
    for meeting in meetings:
        if not may_see(user, meeting):
            continue
        values = {
            "title": meeting.title,
            "date": date_format(timezone.localtime(meeting.starts_at, election.tz), "j E Y"),
            "status": meeting.get_status_display(),
        }
        url = reverse("meetings:detail", args=[election.slug, meeting.pk])
        if meeting.activity is not None:
            label = _("Meeting: %(title)s, %(date)s (%(status)s)") % values
            links.setdefault(meeting.activity.number, []).append((label, url))
        if meeting.announced_activity is not None:
            label = _("Announced meeting and its programme: %(title)s, %(date)s") % values
            links.setdefault(meeting.announced_activity.number, []).append((label, url))
    return links


def invitable(meeting: Meeting) -> list[tuple[object, str]]:
    """Who else may be invited, as (user, role): the election's registered candidates (of the
    body's group, for a group's commission) and its accredited observers, not invited yet."""
    invited = set(meeting.participants.values_list("user_id", flat=True))
    assignments = role_assignments().filter(
        election=meeting.election, role__in=(Role.CANDIDATE, Role.OBSERVER)
    )
    group_id = meeting.commission.group_id if meeting.commission_id else None
    if group_id:
        assignments = assignments.filter(Q(role=Role.OBSERVER) | Q(group_id=group_id))
    found: dict[int, tuple[object, str]] = {}
    for assignment in assignments.select_related("user").order_by("role", "user__full_name", "user__email"):
        if assignment.user_id in invited or not assignment.user.is_active:
            continue
        role = Participant.Role.CANDIDATE if assignment.role == Role.CANDIDATE else Participant.Role.OBSERVER
        found.setdefault(assignment.user_id, (assignment.user, role))
    return list(found.values())


def assembly_ballots(meeting: Meeting) -> list:
    """The paper ballots entered as cast at this assembly of voters (``ballots.PaperTally`` rows
    that name it), current entries only."""
    if meeting.kind != Meeting.Kind.ASSEMBLY or not hasattr(meeting, "paper_tallies"):
        return []
    return list(meeting.paper_tallies.filter(superseded_at__isnull=True).select_related("contest"))


def may_sign_minutes(user, meeting: Meeting) -> bool:
    """Offered the signing of the minutes: a member present at a held meeting whose minutes are
    not signed yet, or the secretariat at its own meeting (``services.minutes`` decides who signs
    as the chair and who as the secretary)."""
    if not user.is_authenticated or meeting.status != Meeting.Status.HELD or meeting.minutes_signed:
        return False
    if meeting.commission_id is None:
        return Role.SECRETARIAT in roles_in(user, meeting.election)
    return meeting.participants.filter(user=user, role=Participant.Role.MEMBER, present=True).exists()


def public_minutes(election: Election) -> list[Meeting]:
    """The meetings whose signed minutes are public: all of a public election, newest first."""
    if not election.is_public:
        return []
    return list(
        Meeting.objects.filter(election=election, minutes_signed_at__isnull=False)
        .select_related("commission")
        .prefetch_related("minutes_documents")
        .order_by("-starts_at", "-pk")
    )
