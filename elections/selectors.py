"""Reads of elections that respect who may see what."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import translation

from accounts.models import Role
from accounts.permissions import CAPABILITIES, Scope, can, role_assignments, roles_in

from . import lifecycle
from .models import AuditEntry, Decision, Election


def elections_visible_to(user) -> QuerySet[Election]:
    """Public elections for everyone; drafts only for the secretariat and the election's members."""
    qs = Election.objects.all()
    if can(user, "election.create"):
        return qs
    if user.is_authenticated:
        ids = {a.election_id for a in role_assignments(user) if a.election_id}
        return qs.filter(~Q(state=Election.State.DRAFT) | Q(pk__in=ids))
    return qs.exclude(state=Election.State.DRAFT)


def election_for_user(user, slug: str) -> Election:
    """The election with ``slug`` if ``user`` may see it; 404 otherwise (drafts stay hidden)."""
    try:
        election = Election.objects.get(slug=slug)
    except Election.DoesNotExist:
        raise Http404 from None
    if election.is_public or can(user, "election.view_internal", election) or roles_in(user, election):
        return election
    raise Http404


def election_next_steps(election: Election) -> list[dict]:
    """The transitions from the current stage, each with what blocks it."""
    return [
        {"transition": t, "blockers": lifecycle.blockers(election, t)}
        for t in lifecycle.transitions_from(election)
    ]


def audit_entries_for(user, election: Election | None = None) -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.select_related("election").order_by("-seq")
    if election is not None:
        qs = qs.filter(election=election)
    return qs


# --- calendar plans ------------------------------------------------------------------------


def calendar_of(election: Election):
    from .models import ElectionCalendar

    return ElectionCalendar.objects.filter(election=election).select_related("template", "election").first()


def calendar_activities(calendar) -> list:
    return list(calendar.activities.select_related("completed_by").order_by("section", "number"))


def calendar_sections(calendar, now=None) -> list[dict]:
    """The activities grouped by section, each with its status (for the table and the PDF)."""
    from django.utils import timezone

    now = now or timezone.now()
    sections: list[dict] = []
    for activity in calendar_activities(calendar):
        if not sections or sections[-1]["number"] != activity.section:
            sections.append({"number": activity.section, "title": activity.section_title, "activities": []})
        activity.current_status = activity.status_at(now)
        sections[-1]["activities"].append(activity)
    return sections


def calendar_plan(calendar):
    """The engine's Plan for this calendar (anchors and actual dates as stored)."""
    import datetime as dt

    from . import calendar as engine

    actuals = {a.number: a.completed_at for a in calendar.activities.all() if a.completed_at}
    holidays = [dt.date.fromisoformat(d) for d in calendar.holidays]
    return engine.compute_plan(calendar.template_obj, calendar.anchors, actuals=actuals, holidays=holidays)


def calendar_voting_day(calendar):
    """The voting day the plan was computed from (a date), or None if it has no such anchor."""
    import datetime as dt

    value = (calendar.anchors or {}).get("voting_day")
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def calendar_day_differs(calendar) -> bool:
    """The election's voting day was changed after the plan was computed from another day."""
    planned = calendar_voting_day(calendar)
    return (
        planned is not None
        and calendar.election.voting_day is not None
        and (planned != calendar.election.voting_day)
    )


def calendar_contradictions(calendar) -> list:
    from . import calendar as engine

    return engine.check_plan(calendar_plan(calendar))


def calendar_progress(election: Election, now=None) -> dict[str, int]:
    """Counts of activities by status (observer dashboard)."""
    calendar = calendar_of(election)
    counts = {
        "planned": 0,
        "in_progress": 0,
        "done": 0,
        "overdue": 0,
        "missed": 0,
        "not_applicable": 0,
        "total": 0,
    }
    if calendar is None:
        return counts
    for activity in calendar.activities.all():
        counts[activity.status_at(now)] += 1
        counts["total"] += 1
    return counts


def my_deadlines(user, election: Election, now=None) -> list:
    """Open activities the user's roles answer for, nearest deadline first."""
    from .responsibility import role_keys_of

    calendar = calendar_of(election)
    if calendar is None:
        return []
    keys = role_keys_of(user, election)
    rows = [
        a
        for a in calendar.activities.filter(completed_at__isnull=True, is_not_applicable=False)
        if keys & set(a.responsible_roles)
    ]
    for a in rows:
        a.current_status = a.status_at(now)
    import datetime as dt

    far = dt.datetime.max.replace(tzinfo=dt.UTC)  # undated rows last
    return sorted(rows, key=lambda a: (a.due_at or a.starts_at or far, a.number))


def case_rule(election: Election, case_kind: str):
    """The per-case rule of the election's calendar for ``case_kind`` (e.g. candidate_application),
    or None. Later issues apply it to each case with ``case_due``."""
    calendar = calendar_of(election)
    if calendar is None:
        return None
    return calendar.activities.filter(case_kind=case_kind, per_case__isnull=False).order_by("number").first()


def case_due(election: Election, case_kind: str, received_at):
    """When a case of ``case_kind`` received at ``received_at`` must be decided (None if no rule).

    The plan is computed once per version of the calendar (``_case_plan``), not for every case."""
    from . import calendar as engine

    calendar = calendar_of(election)
    if calendar is None:
        return None
    activity = (
        calendar.activities.filter(case_kind=case_kind, per_case__isnull=False).order_by("number").first()
    )
    if activity is None:
        return None
    planned = _case_plan(calendar).get(activity.number)
    return engine.per_case_due(planned, received_at, election.tz)


#: computed plans for ``case_due``, by (election pk, version of the plan's inputs); per process
_CASE_PLANS: dict[tuple[int, str], object] = {}
_CASE_PLANS_MAX = 64


def calendar_plan_version(calendar) -> str:
    """A digest of everything the calendar's plan is computed from: the template as instantiated,
    the election's time zone, the anchors, the holidays and the activities' actual dates. Any
    change to one of them (new anchors, a completed or reopened activity, another time zone) gives
    another version, so a cached plan is never used after its inputs changed."""
    import hashlib
    import json

    actuals = sorted(
        (number, completed_at.isoformat())
        for number, completed_at in calendar.activities.filter(completed_at__isnull=False).values_list(
            "number", "completed_at"
        )
    )
    inputs = [calendar.election.time_zone, calendar.anchors, calendar.holidays, actuals]
    digest = hashlib.sha256(calendar.template_yaml.encode())
    digest.update(json.dumps(inputs, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def _case_plan(calendar):
    """The calendar's plan, computed once per version (``calendar_plan_version``) and kept in the
    process for ``case_due`` only (it reads the plan and never changes it)."""
    key = (calendar.election_id, calendar_plan_version(calendar))
    plan = _CASE_PLANS.get(key)
    if plan is None:
        plan = calendar_plan(calendar)
        if len(_CASE_PLANS) >= _CASE_PLANS_MAX:
            _CASE_PLANS.clear()
        _CASE_PLANS[key] = plan
    return plan


# --- decisions -------------------------------------------------------------------------------


def _sees_every_body(user, election: Election) -> bool:
    """An election-wide (or portal-wide) role with ``decision.view``: a scope of the election with
    a commission no one holds reaches only those."""
    return can(user, "decision.view", Scope(election_id=election.pk, commission_id=0))


def decision_bodies(user, election: Election) -> list[tuple[str, str]]:
    """The bodies whose decisions ``user`` may read in ``election``, as (key, name), by name."""
    language = (translation.get_language() or "ru")[:2]
    own = f"body_name_{language}" if language in ("kk", "ky", "en") else "body_name_ru"
    rows = decisions_for(user, election).order_by().values_list("body_key", "body_name_ru", own)
    names = {key: (name or name_ru) for key, name_ru, name in rows.distinct()}
    return sorted(names.items(), key=lambda item: item[1])


def decisions_for(user, election: Election, *, body_key: str = "", kind: str = "") -> QuerySet:
    """The decisions of ``election`` that ``user`` may read (``decision.view``), newest first
    within each body: every body's for the secretariat; the own commissions' for a member; the
    organising committee's for its members (who hold their role for their group)."""
    qs = Decision.objects.filter(election=election)
    if not _sees_every_body(user, election):
        held = role_assignments(user).filter(election=election, role__in=CAPABILITIES["decision.view"])
        commission_model = held.model._meta.get_field("commission").related_model
        bodies = set(held.filter(commission__isnull=False).values_list("commission_id", flat=True))
        if held.filter(role=Role.ORG_COMMITTEE).exists():
            bodies |= set(
                commission_model.objects.filter(election=election, kind="org_committee").values_list(
                    "pk", flat=True
                )
            )
        qs = qs.filter(body_type=ContentType.objects.get_for_model(commission_model), body_id__in=bodies)
    if body_key:
        qs = qs.filter(body_key=body_key)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("recorded_by").order_by("body_name_ru", "-recorded_at", "-pk")
