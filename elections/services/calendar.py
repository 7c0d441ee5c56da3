"""Calendar plans: templates, an election's calendar, completing activities, reminders.

The deadline rules are the pure engine's (``elections.calendar``); these services store what it
computes, re-compute chains when an activity's actual date is recorded, and audit every change.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import can, require

from .. import calendar as engine
from .. import textfiles
from ..audit import audit_log
from ..calendar import loader as engine_loader
from ..calendar import translations as calendar_translations
from ..models import CalendarActivity, Election, ElectionCalendar, PlanTemplate
from ..responsibility import is_responsible


def _template_error_messages(exc: Exception) -> list[str]:
    problems = getattr(exc, "errors", None)
    if problems:
        return [str(p) for p in problems]
    return [str(exc)]


def parse_template_yaml(yaml_text: str):
    """Parse and validate a template; ValidationError lists every problem (activity, field).
    The text goes through the imports' decoder checks first (size, NUL and control characters,
    line length) and YAML is read safely with limits (nesting depth, aliases expanded: a
    "billion laughs" text is refused before it is built)."""
    try:
        data = yaml_text.encode("utf-8", errors="surrogatepass")
        textfiles.check_size(len(data), textfiles.setting_bytes("IMPORT_TEMPLATE_MAX_MB", 2))
        textfiles.decode(data, allow_cp1251=False)
    except textfiles.TextFileError as exc:
        raise ValidationError(exc.message()) from None
    try:
        data = engine_loader.safe_load(yaml_text)
    except engine_loader.YamlTooComplex as exc:
        messages = {
            "depth": _("The template is nested too deeply (more than %(limit)s levels, line %(line)s)."),
            "size": _(
                "The template repeats itself too much through aliases (*name): more than %(limit)s "
                "elements (line %(line)s)."
            ),
            "recursive": _("An alias (*name) on line %(line)s refers to the element that contains it."),
        }
        raise ValidationError(messages[exc.reason] % {"limit": exc.limit, "line": exc.line}) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = _("line %(line)s") % {"line": mark.line + 1} if mark else ""
        raise ValidationError(
            _("The text is not valid YAML %(where)s: %(problem)s")
            % {"where": where, "problem": getattr(exc, "problem", exc)}
        ) from None
    try:
        return engine.parse_template(data, source="template")
    except engine.CalendarError as exc:
        raise ValidationError(_template_error_messages(exc)) from None


@transaction.atomic
def plan_template_save(*, yaml_text: str, actor, is_builtin: bool = False) -> PlanTemplate:
    """Create or update a template from its YAML (by its slug). Built-in templates are updated
    only from the repository files, so an election's source stays traceable."""
    if actor is not None:
        require(actor, "calendar.manage")
    parsed = parse_template_yaml(yaml_text)
    template = PlanTemplate.objects.select_for_update().filter(slug=parsed.slug).first()
    if template is not None and template.is_builtin and not is_builtin:
        raise ValidationError(
            _("“%(slug)s” is a template shipped with the portal; save your version under another short name.")
            % {"slug": parsed.slug}
        )
    created = template is None
    if created:
        template = PlanTemplate(slug=parsed.slug)
    elif template.source_yaml == yaml_text:
        return template
    template.name_ru = parsed.name_ru
    template.name_en = parsed.name_en or ""
    for field, value in calendar_translations.template_fields(parsed.slug).items():
        setattr(template, field, value)
    template.source_yaml = yaml_text
    template.is_builtin = is_builtin
    template.updated_by = actor
    template.full_clean()
    template.save()
    audit_log(
        action="elections.plan_template.created" if created else "elections.plan_template.updated",
        actor=actor,
        obj=template,
        data={"slug": template.slug, "activities": len(parsed.activities), "builtin": is_builtin},
    )
    return template


def load_builtin_templates() -> list[PlanTemplate]:
    """Load (or refresh) the templates shipped in elections/calendar_templates/. Idempotent."""
    loaded = []
    for path in sorted(Path(engine.TEMPLATES_DIR).glob("*.y*ml")):
        loaded.append(
            plan_template_save(yaml_text=path.read_text(encoding="utf-8"), actor=None, is_builtin=True)
        )
    return loaded


def _anchor_to_json(value) -> str:
    """Anchors are stored as the engine reads them: YYYY-MM-DD, YYYY-MM-DDTHH:MM (local) or HH:MM."""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _compute(calendar: ElectionCalendar):
    actuals = {a.number: a.completed_at for a in calendar.activities.all() if a.completed_at is not None}
    holidays = [dt.date.fromisoformat(d) for d in calendar.holidays]
    return engine.compute_plan(calendar.template_obj, calendar.anchors, actuals=actuals, holidays=holidays)


def _activity_fields(p) -> dict:
    return {
        "section": p.section,
        "section_title_ru": p.section_title_ru,
        "section_title_en": p.section_title_en or "",
        "title_ru": p.title_ru,
        "title_en": p.title_en or "",
        "responsible_ru": p.responsible_ru or "",
        "responsible_en": p.responsible_en or "",
        "responsible_roles": list(p.responsible_roles),
        "participants_ru": p.participants_ru or "",
        "participants_en": p.participants_en or "",
        "legal_basis": p.legal_basis or "",
        "legal_basis_en": p.legal_basis_en or "",
        "deadline_text_ru": p.deadline_text_ru or "",
        "deadline_text_en": p.deadline_text_en or "",
        "kind": p.kind,
        "case_kind": p.case_kind or "",
        "per_case": engine.activity_to_dict(p)["per_case"],
        "undated_reason": p.undated_reason or "",
        "depends_on": list(p.depends_on),
        "milestones": [
            {
                "key": m.key,
                "title_ru": m.title_ru,
                "title_en": m.title_en,
                "at": m.at.isoformat() if m.at else None,
            }
            for m in p.milestones
        ],
        "starts_at": p.starts_at,
        "due_at": p.due_at,
    }


def calendar_recompute(calendar: ElectionCalendar) -> None:
    """Store the plan's instants again, re-computed from recorded actual dates (chains move)."""
    plan = _compute(calendar)
    rows = {a.number: a for a in calendar.activities.select_for_update()}
    changed = []
    for p in plan:
        row = rows[p.number]
        if (row.starts_at, row.due_at) != (p.starts_at, p.due_at) or row.milestones != _activity_fields(p)[
            "milestones"
        ]:
            row.starts_at, row.due_at = p.starts_at, p.due_at
            row.milestones = _activity_fields(p)["milestones"]
            changed.append(row)
    CalendarActivity.objects.bulk_update(changed, ["starts_at", "due_at", "milestones"])
    calendar.computed_at = timezone.now()
    calendar.save(update_fields=["computed_at"])


def _anchor_error(exc, template, anchors: dict) -> ValidationError:
    """The engine's anchor problem in the words of the form (its labels), never the anchor names."""
    from django.utils.translation import get_language

    ru = (get_language() or "ru").startswith("ru")

    def label(spec):
        return spec.label_ru if ru else (spec.label_en or spec.label_ru)

    missing = [
        label(spec)
        for spec in template.anchors
        if spec.required
        and spec.default is None
        and spec.default_from is None
        and anchors.get(spec.name) in (None, "")
    ]
    if missing:
        return ValidationError(
            _("Give these dates of the plan: %(labels)s.") % {"labels": "; ".join(missing)}
        )
    text = str(exc)
    wrong = [label(spec) for spec in template.anchors if repr(spec.name) in text] or [
        label(spec) for spec in template.anchors if spec.name in anchors
    ]
    return ValidationError(
        _("These dates of the plan are not valid dates: %(labels)s.") % {"labels": "; ".join(wrong)}
    )


@transaction.atomic
def calendar_start(
    *, election: Election, template: PlanTemplate, anchors: dict, actor, holidays=()
) -> ElectionCalendar:
    """Instantiate ``template`` for ``election`` with its anchors (voting day, …).

    The template is copied into the calendar, so later edits of the template do not move the
    deadlines of a running election. A calendar can be replaced while no activity is completed.
    """
    if actor is not None:
        require(actor, "calendar.manage", election)
    election = Election.objects.select_for_update().get(pk=election.pk)
    existing = ElectionCalendar.objects.filter(election=election).first()
    if existing is not None:
        if existing.activities.filter(completed_at__isnull=False).exists():
            raise ValidationError(
                _(
                    "The calendar already has completed activities; change its dates instead of starting it again."
                )
            )
        existing.delete()
    tpl = dataclasses.replace(template.parsed(), time_zone=election.time_zone)
    try:
        resolved = engine.resolve_anchors(tpl, anchors)
    except engine.AnchorError as exc:
        raise _anchor_error(exc, tpl, anchors) from None
    calendar = ElectionCalendar(
        election=election,
        template=template,
        template_yaml=template.source_yaml,
        anchors={k: _anchor_to_json(v) for k, v in resolved.items() if v is not None},
        holidays=[d.isoformat() for d in holidays],
        created_by=actor,
    )
    calendar.save()
    plan = engine.compute_plan(tpl, calendar.anchors, holidays=list(holidays))
    CalendarActivity.objects.bulk_create(
        [
            CalendarActivity(
                calendar=calendar,
                number=p.number,
                **_activity_fields(p),
                **calendar_translations.activity_fields(template.slug, p.section, p.number),
            )
            for p in plan
        ]
    )
    audit_log(
        action="elections.calendar.started",
        actor=actor,
        obj=calendar,
        election=election,
        data={
            "template": template.slug,
            "anchors": calendar.anchors,
            "activities": len(plan),
            "replaced": existing is not None,
        },
    )
    return calendar


@transaction.atomic
def calendar_set_anchors(
    *, calendar: ElectionCalendar, anchors: dict, actor, holidays=None
) -> ElectionCalendar:
    """Change the anchors (e.g. a new voting day) and, when given, the holidays; every deadline
    moves accordingly, and activities already done keep their recorded dates."""
    if actor is not None:
        require(actor, "calendar.manage", calendar.election)
    calendar = ElectionCalendar.objects.select_for_update().get(pk=calendar.pk)
    try:
        resolved = engine.resolve_anchors(calendar.template_obj, anchors)
    except engine.AnchorError as exc:
        raise _anchor_error(exc, calendar.template_obj, anchors) from None
    before = dict(calendar.anchors)
    calendar.anchors = {k: _anchor_to_json(v) for k, v in resolved.items() if v is not None}
    if holidays is not None:
        calendar.holidays = [d.isoformat() for d in holidays]
    calendar.save(update_fields=["anchors", "holidays"])
    calendar_recompute(calendar)
    audit_log(
        action="elections.calendar.anchors_changed",
        actor=actor,
        obj=calendar,
        election=calendar.election,
        data={"before": before, "after": calendar.anchors},
    )
    return calendar


def calendar_follow_voting_day(*, calendar: ElectionCalendar, actor) -> ElectionCalendar:
    """Recompute the plan from the election's current voting day (after the day was changed).

    The other anchors stay; completed activities keep their dates and the chains that follow
    them move with the new day.
    """
    election = calendar.election
    if election.voting_day is None:
        raise ValidationError(_("The election has no voting day yet; set it on the election's page first."))
    if "voting_day" not in {a.name for a in calendar.template_obj.anchors}:
        raise ValidationError(_("This plan is not computed from a voting day."))
    anchors = dict(calendar.anchors)
    anchors["voting_day"] = election.voting_day.isoformat()
    return calendar_set_anchors(calendar=calendar, anchors=anchors, actor=actor)


def _require_can_complete(actor, activity: CalendarActivity) -> None:
    election = activity.calendar.election
    require(actor, "calendar.complete", election)
    if can(actor, "calendar.manage", election):
        return
    if not is_responsible(actor, activity):
        raise PermissionDenied(
            _("Only the body responsible for this activity, or the secretariat, may mark it.")
        )


@transaction.atomic
def activity_complete(
    *, activity: CalendarActivity, actor, completed_at: dt.datetime | None = None, note: str = "", file=None
) -> CalendarActivity:
    """Record that an activity is done (when, by whom, a note or a document). Activities that
    count from it ("N days after …") are re-computed from the actual date."""
    if actor is not None:
        _require_can_complete(actor, activity)
    activity = (
        CalendarActivity.objects.select_for_update().select_related("calendar__election").get(pk=activity.pk)
    )
    if activity.completed_at is not None:
        raise ValidationError(_("This activity is already marked as done."))
    if activity.is_not_applicable:
        raise ValidationError(_("This activity is marked as not applicable."))
    now = timezone.now()
    completed_at = completed_at or now
    if completed_at > now + dt.timedelta(minutes=5):
        raise ValidationError(_("The completion time cannot be in the future."))
    activity.completed_at = completed_at
    activity.completed_by = actor
    activity.completion_note = note
    if file is not None:
        activity.completion_file = file
    activity.save(update_fields=["completed_at", "completed_by", "completion_note", "completion_file"])
    calendar_recompute(activity.calendar)
    audit_log(
        action="elections.calendar.activity_completed",
        actor=actor,
        obj=activity,
        election=activity.calendar.election,
        data={
            "number": activity.number,
            "completed_at": completed_at,
            "late": bool(activity.due_at and completed_at >= activity.due_at),
            "note": bool(note),
            "file": bool(file),
        },
    )
    activity.refresh_from_db()
    return activity


@transaction.atomic
def activity_fulfil(*, election, number: int | None, note: str, when) -> None:
    """Mark activity ``number`` of the election's plan done because the portal's own records
    carry it out (acts received, reports submitted…): by the system, at ``when`` (never later than
    now), with ``note``. Nothing when the plan has no such activity or it is done or not applicable."""
    if number is None:
        return
    calendar = ElectionCalendar.objects.filter(election=election).first()
    activity = calendar.activities.filter(number=number).first() if calendar is not None else None
    if activity is None or activity.completed_at is not None or activity.is_not_applicable:
        return
    activity_complete(activity=activity, actor=None, completed_at=min(when, timezone.now()), note=note)


def activity_reopen(*, activity: CalendarActivity, actor, reason: str) -> CalendarActivity:
    """Undo a completion recorded by mistake (secretariat); the reason is audited."""
    if actor is not None:
        require(actor, "calendar.manage", activity.calendar.election)
    if not reason.strip():
        raise ValidationError(_("Give the reason."))
    activity = CalendarActivity.objects.select_for_update().get(pk=activity.pk)
    previous = activity.completed_at
    activity.completed_at = None
    activity.completed_by = None
    activity.is_not_applicable = False
    activity.not_applicable_reason = ""
    activity.save(
        update_fields=["completed_at", "completed_by", "is_not_applicable", "not_applicable_reason"]
    )
    calendar_recompute(activity.calendar)
    audit_log(
        action="elections.calendar.activity_reopened",
        actor=actor,
        obj=activity,
        election=activity.calendar.election,
        data={"number": activity.number, "was_completed_at": previous, "reason": reason},
    )
    return activity


@transaction.atomic
def activity_set_not_applicable(*, activity: CalendarActivity, actor, reason: str) -> CalendarActivity:
    """Mark an activity that does not apply to this election (e.g. no party lists)."""
    if actor is not None:
        require(actor, "calendar.manage", activity.calendar.election)
    if not reason.strip():
        raise ValidationError(_("Give the reason."))
    activity = CalendarActivity.objects.select_for_update().get(pk=activity.pk)
    if activity.completed_at:
        raise ValidationError(_("This activity is already marked as done."))
    activity.is_not_applicable = True
    activity.not_applicable_reason = reason
    activity.save(update_fields=["is_not_applicable", "not_applicable_reason"])
    audit_log(
        action="elections.calendar.activity_not_applicable",
        actor=actor,
        obj=activity,
        election=activity.calendar.election,
        data={"number": activity.number, "reason": reason},
    )
    return activity
