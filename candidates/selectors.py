"""Reads of candidates that respect who may see what.

Public: the announcement once published, registered candidates (name, organisation, occupation,
region, photo, programme, the year of birth where the election publishes it; never e-mail,
phone, the date of birth or documents), the decisions' numbers and dates. Private
(``candidate.view_private``: the secretariat, the group's organising-committee member, the
verifying commission): applications with contacts, documents, reviews and votes. A person sees
their own applications; a party's representative the lists of their party.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404

from accounts.permissions import can, is_read_only_observer
from elections.models import Decision, Election
from elections.selectors import calendar_of
from groups.services._common import voting_has_opened

from .contests import Contest, contests_of
from .models import (
    TEMPLATE_DEFAULTS,
    Application,
    CandidacySettings,
    Criterion,
    PartyList,
)

S = Application.Status


def settings_for(election) -> CandidacySettings:
    """The election's settings; until saved, the defaults of its calendar template (unsaved)."""
    saved = CandidacySettings.objects.filter(election=election).first()
    if saved is not None:
        return saved
    calendar = calendar_of(election)
    defaults = dict(TEMPLATE_DEFAULTS.get(calendar.template.slug, {})) if calendar is not None else {}
    return CandidacySettings(election=election, **defaults)


def criteria_of(election) -> QuerySet[Criterion]:
    return Criterion.objects.filter(election=election).order_by("order", "pk")


def _get_or_404(qs, **lookup):
    try:
        return qs.get(**lookup)
    except (qs.model.DoesNotExist, ValueError):
        raise Http404 from None


_RELATED = ("group", "unit", "commission", "party_list", "decision", "cancellation_decision", "election")


def application_for(election, pk: int) -> Application:
    """One application of the election (views check the capability on it before showing it)."""
    return _get_or_404(Application.objects.filter(election=election).select_related(*_RELATED, "user"), pk=pk)


def is_own(user, application: Application) -> bool:
    """The candidate themself: their account, or their e-mail when the application has none yet."""
    if user is None or not user.is_authenticated:
        return False
    if application.user_id is not None:
        return application.user_id == user.pk
    return application.email.lower() == user.email.lower()


def may_view_private(user, application: Application) -> bool:
    return can(user, "candidate.view_private", application)


# --- public ---------------------------------------------------------------------------------


def registered(election) -> QuerySet[Application]:
    """Every candidate the commission registered (also those who withdrew or were cancelled
    later: the public list shows them marked)."""
    return (
        Application.objects.filter(election=election, admitted_at__isnull=False)
        .select_related("group", "unit", "party_list", "decision", "cancellation_decision")
        .order_by("group__order", "unit__number", "party_list__party_name", "list_position", "full_name")
    )


def public_candidate(election, pk: int) -> Application:
    return _get_or_404(registered(election), pk=pk)


@dataclass
class PublicContest:
    contest: Contest
    candidates: list = field(default_factory=list)  # not on a party list
    lists: list = field(default_factory=list)  # [(party list, [candidates])]

    @property
    def is_empty(self) -> bool:
        return not self.candidates and not self.lists


def public_list(election, contest: Contest | None = None) -> list[PublicContest]:
    """Registered candidates per contest, party lists in their order (three queries)."""
    contests = [contest] if contest is not None else contests_of(election)
    rows = registered(election)
    if contest is not None:
        rows = contest.filter(rows)
    by_key: dict[str, PublicContest] = {c.key: PublicContest(contest=c) for c in contests}
    lists: dict[int, tuple] = {}
    for application in rows:
        entry = by_key.get(application.contest_key)
        if entry is None:
            continue
        if application.party_list_id:
            if application.party_list_id not in lists:
                lists[application.party_list_id] = (application.party_list, [])
                entry.lists.append(lists[application.party_list_id])
            lists[application.party_list_id][1].append(application)
        else:
            entry.candidates.append(application)
    return list(by_key.values())


def ballot_candidates(election, group_or_unit) -> list[Application]:
    """For the voting issue: who is on the ballot of a group or district.

    Registered candidates still standing (``is_standing``) and those who withdrew or whose
    registration was cancelled *after the ballot was approved* (``left_after_ballot_approval``):
    they stay on the printed ballot and are marked in the results. Those who left before the
    approval are not on the ballot. Party-list candidates come by party and position.
    """
    rows = Application.objects.filter(election=election, admitted_at__isnull=False).filter(
        Q(status=S.ADMITTED) | Q(left_after_ballot_approval=True)
    )
    if group_or_unit._meta.model_name == "electoralgroup":
        rows = rows.filter(group=group_or_unit)
    else:
        rows = rows.filter(unit=group_or_unit)
    return list(
        rows.select_related("party_list", "group", "unit").order_by(
            "party_list__party_name", "list_position", "full_name"
        )
    )


def verification(election, code: str) -> Application:
    """Public: a registration certificate by its code (nothing private is shown)."""
    return _get_or_404(registered(election), certificate_code=code)


def last_modified(election):
    """When the public list last changed (open data's Last-Modified)."""
    return Application.objects.filter(election=election, admitted_at__isnull=False).aggregate(
        m=Max("updated_at")
    )["m"]


# --- private --------------------------------------------------------------------------------


def applications_for(user, election, contest: Contest | None = None, status: str | None = None) -> list:
    """The applications ``user`` may see with their private data, by contest."""
    qs = Application.objects.filter(election=election).select_related(*_RELATED)
    if contest is not None:
        qs = contest.filter(qs)
    if status:
        qs = qs.filter(status=status)
    qs = qs.annotate(review_count=Count("reviews")).order_by(
        "group__order", "unit__number", "party_list__party_name", "list_position", "received_at"
    )
    return [a for a in qs if can(user, "candidate.view_private", a)]


#: callables ``(user, election) -> party list ids`` the user represents besides the lists they keep
#: (registered by ``campaign``: a party's registered representatives see its list's applications)
_REPRESENTED_LISTS: list = []


def register_represented_lists(provider) -> None:
    if provider not in _REPRESENTED_LISTS:
        _REPRESENTED_LISTS.append(provider)


def represented_list_ids(user, election) -> set[int]:
    return {pk for provider in _REPRESENTED_LISTS for pk in provider(user, election)}


def my_applications(user, election) -> QuerySet[Application]:
    """The user's own applications, those they submitted, those on their party lists and on the
    lists of the party they are a registered representative of."""
    if not user.is_authenticated:
        return Application.objects.none()
    mine = (
        Q(user=user)
        | Q(user__isnull=True, email__iexact=user.email)
        | Q(submitted_by=user)
        | Q(party_list__representative=user)
        | Q(party_list_id__in=represented_list_ids(user, election))
    )
    return (
        Application.objects.filter(election=election)
        .filter(mine)
        .select_related(*_RELATED)
        .order_by("-received_at")
    )


def party_lists_for(user, election) -> QuerySet[PartyList]:
    """The secretariat sees every list; a representative the lists of their party."""
    qs = PartyList.objects.filter(election=election).select_related("unit", "representative", "commission")
    if can(user, "candidate.manage", election):
        return qs
    if not can(user, "candidate.party_list", election):
        return qs.none()
    return qs.filter(representative=user)


def party_list_for(election, pk: int) -> PartyList:
    """One party list of the election (views check who may keep it)."""
    return _get_or_404(
        PartyList.objects.filter(election=election).select_related("unit", "representative", "commission"),
        pk=pk,
    )


def may_keep_list(user, party_list: PartyList) -> bool:
    """The party's representative, or the secretariat."""
    if not can(user, "candidate.party_list", party_list):
        return False
    return party_list.representative_id == user.pk or can(user, "candidate.manage", party_list.election)


def may_withdraw(user, application: Application) -> bool:
    """The candidate, the party's representative for a candidate of its list, or the
    secretariat recording a written statement."""
    if user is None or not user.is_authenticated:
        return False
    if is_own(user, application):
        return True
    if application.party_list_id and application.party_list.representative_id == user.pk:
        return True
    return can(user, "candidate.manage", application.election)


def decisions_of(application: Application) -> QuerySet[Decision]:
    return application.decisions.prefetch_related("votes__user").order_by("recorded_at")


def reviews_of(application: Application):
    return application.reviews.select_related("member__user").prefetch_related("checks__criterion")


def package_rows(contest: Contest) -> list[Application]:
    """The package the organising committee submits to the secretariat (seed 000 item 17): every
    decided application of the contest with its admission decision."""
    qs = contest.filter(Application.objects.filter(election=contest.election)).exclude(decision__isnull=True)
    return list(
        qs.select_related("decision", "party_list", "cancellation_decision").order_by(
            "party_list__party_name", "list_position", "full_name"
        )
    )


def counts(election) -> dict:
    """Totals by status (no personal data), for the observer dashboard."""
    from django.utils import timezone

    rows = Application.objects.filter(election=election).aggregate(
        total=Count("pk"),
        submitted=Count("pk", filter=Q(status=S.SUBMITTED)),
        under_review=Count("pk", filter=Q(status=S.UNDER_REVIEW)),
        admitted=Count("pk", filter=Q(status=S.ADMITTED)),
        refused=Count("pk", filter=Q(status=S.REFUSED)),
        withdrawn=Count("pk", filter=Q(status=S.WITHDRAWN)),
        cancelled=Count("pk", filter=Q(status=S.CANCELLED)),
        overdue=Count(
            "pk",
            filter=Q(status__in=Application.UNDECIDED, decision_due_at__lte=timezone.now()),
        ),
    )
    rows["decisions"] = Decision.objects.filter(
        election=election,
        is_adopted=True,
        kind__in=(Decision.Kind.CANDIDATE_APPLICATION, Decision.Kind.CANDIDATE_CANCELLATION),
    ).count()
    return rows


def _election_changes_candidates(election) -> bool:
    """The stage checks of the application services: not in a draft or archived election, and
    no new candidate once voting has opened (``refuse_closed_election``, ``voting_has_opened``)."""

    return election.state not in (Election.State.DRAFT, Election.State.ARCHIVED)


def open_nominations(election, settings, nominations, now=None) -> list[str]:
    """Those of ``nominations`` whose application window is open now — the checks
    ``application_submit`` makes before it stores anything, so the page offers the form only
    when the service would accept it."""
    from django.utils import timezone

    from . import deadlines

    if not _election_changes_candidates(election) or voting_has_opened(election):
        return []
    now = now or timezone.now()
    return [n for n in nominations if deadlines.application_window(election, settings, n).is_open(now)]


def applications_open(election, settings, now=None) -> bool:
    """Whether the announcement is published and an application of a way of nomination the election
    allows would be accepted now (``open_nominations``): the public list invites applications
    only then. Ways that share the application window's activity are checked once."""
    if not settings.is_published:
        return False
    N = Application.Nomination
    allowed = [(N.SELF, settings.allow_self), (N.ORGANISATION, settings.allow_organisation),
               (N.PARTY_LIST, settings.allow_party_list)]  # fmt: skip
    by_window: dict[int | None, str] = {}
    for nomination, is_allowed in allowed:
        if is_allowed:
            own = nomination == N.PARTY_LIST and settings.party_list_window_activity
            by_window.setdefault(own or settings.window_activity, nomination)
    return any(open_nominations(election, settings, [n], now) for n in by_window.values())


def may_withdraw_now(user, application: Application, settings=None, now=None) -> bool:
    """``may_withdraw`` plus the checks of ``application_withdraw``: the application is still in
    the race, the election is neither a draft nor archived, and the withdrawal deadline has not
    passed. Pages offer the Withdraw button only when this holds."""
    from django.utils import timezone

    from . import deadlines

    if not application.is_standing or not may_withdraw(user, application):
        return False
    election = application.election
    if is_read_only_observer(user, election) or not _election_changes_candidates(election):
        return False
    settings = settings or settings_for(election)
    return not deadlines.withdrawal_deadline(election, settings).has_passed(now or timezone.now())


def may_recall_list_now(user, party_list, settings=None, now=None) -> bool:
    """The checks of ``party_list_withdraw``: the party's representative (or the secretariat), a
    list not yet recalled, an election neither draft nor archived, before the withdrawal deadline."""
    from django.utils import timezone

    from . import deadlines

    election = party_list.election
    if party_list.withdrawn_at is not None or not can(user, "candidate.party_list", party_list):
        return False
    if party_list.representative_id != user.pk and not can(user, "candidate.manage", election):
        return False
    if is_read_only_observer(user, election) or not _election_changes_candidates(election):
        return False
    settings = settings or settings_for(election)
    return not deadlines.withdrawal_deadline(election, settings).has_passed(now or timezone.now())
