"""Computation of an election's calendar from a plan template and its anchors.

All arithmetic is done on naive *local* wall-clock datetimes of the template's time
zone and made aware (``zoneinfo``) at the end. Semantics: see README.md. Working days are
``workdays``; the computed plan's types are ``plan`` (both importable from here as before).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from .errors import ActualError, AnchorError, CalendarError
from .parse_common import parse_date, parse_local_datetime, parse_time
from .plan import PerCase, Plan, PlannedActivity, PlannedMilestone
from .types import ActivitySpec, PlanTemplate, Point, Rule
from .workdays import shift_days

# --------------------------------------------------------------------------- anchors


def _to_local_naive(dt: datetime, tz: tzinfo) -> datetime:
    if dt.tzinfo is None:
        return dt
    return dt.astimezone(tz).replace(tzinfo=None)


def _aware(dt: datetime | None, tz: tzinfo) -> datetime | None:
    return None if dt is None else dt.replace(tzinfo=tz)


def resolve_anchors(template: PlanTemplate, anchors: Mapping[str, Any]) -> dict[str, Any]:
    """Validate and coerce anchor values; fill defaults. Strings ``YYYY-MM-DD``, ``YYYY-MM-DDTHH:MM``
    and ``HH:MM`` are accepted (for the CLI). Datetime anchors come back as naive local time.

    Raises :class:`AnchorError` for unknown names, missing required anchors and bad values.
    """
    known = {a.name: a for a in template.anchors}
    unknown = [k for k in anchors if k not in known]
    if unknown:
        raise AnchorError(
            f"unknown anchor(s) {', '.join(map(repr, unknown))} for template {template.slug!r}; "
            f"its anchors are: {', '.join(known)}"
        )
    tz = template.tz
    out: dict[str, Any] = {}
    problems: list[str] = []
    for name, spec in known.items():
        v = anchors.get(name)
        if v is None:
            continue
        try:
            if spec.type == "date":
                out[name] = parse_date(v)
            elif spec.type == "datetime":
                if isinstance(v, date) and not isinstance(v, datetime):
                    raise ValueError(f"expected a date and time, got the date {v.isoformat()}")
                out[name] = _to_local_naive(parse_local_datetime(v), tz)
            else:
                out[name] = parse_time(v)
        except ValueError as e:
            problems.append(f"anchor {name!r} ({spec.type}): {e}")
    missing = [
        f"{s.name} ({s.label_en} / {s.label_ru}, {s.type})"
        for s in known.values()
        if s.required and s.name not in out
    ]
    if missing:
        problems.append(f"missing required anchor(s) for template {template.slug!r}: {', '.join(missing)}")
    if problems:
        raise AnchorError("; ".join(problems))
    for _ in range(len(known)):
        for name, spec in known.items():
            if name in out:
                continue
            if spec.default is not None:
                out[name] = spec.default
            elif spec.default_from is not None and spec.default_from in out:
                out[name] = out[spec.default_from]
    for name in known:
        out.setdefault(name, None)
    return out


# --------------------------------------------------------------------------- computation


@dataclass
class _Ctx:
    template: PlanTemplate
    anchors: dict[str, Any]
    actuals: dict[int, datetime]  # naive local
    holidays: frozenset[date]
    weekend: frozenset[int]
    done: dict[int, tuple[datetime | None, datetime | None]] = field(default_factory=dict)  # naive local

    def at_time(self, at: str) -> time | None:
        if at in self.anchors:
            return self.anchors[at]
        return parse_time(at)

    def resolve(self, p: Point | None, rule_counting: str) -> datetime | None:
        if p is None:
            return None
        counting = p.counting or rule_counting
        if p.anchor is not None:
            v = self.anchors.get(p.anchor)
            if v is None:
                return None
            base = v if isinstance(v, datetime) else datetime.combine(v, time())
        else:
            assert p.activity is not None
            start, due = self.done[p.activity]
            actual = self.actuals.get(p.activity) if p.of == "due" else None
            if actual is not None:
                # with a day offset, a completion on local day d counts as "done by the end of d";
                # otherwise the exact completion instant is the base
                base = datetime.combine(actual.date() + timedelta(days=1), time()) if p.days != 0 else actual
            elif p.of == "start":
                base = start
            else:
                base = due if due is not None else start
            if base is None:
                return None
        if p.days:
            base = datetime.combine(
                shift_days(base.date(), p.days, counting, self.holidays, self.weekend),
                base.time(),
            )
        if p.at is not None:
            t = self.at_time(p.at)
            if t is None:
                return None
            base = datetime.combine(base.date(), t)
        if p.hours or p.minutes:
            base += timedelta(hours=p.hours, minutes=p.minutes)
        return base


def _compute_one(a: ActivitySpec, ctx: _Ctx) -> tuple[datetime | None, datetime | None]:
    r = a.rule
    c = r.counting
    if r.kind == "deadline":
        return None, ctx.resolve(r.due, c)
    if r.kind == "window":
        return ctx.resolve(r.start, c), ctx.resolve(r.due, c)
    if r.kind == "not_earlier_than":
        return ctx.resolve(r.start, c), None
    if r.kind == "exact_day":
        day = ctx.resolve(r.day, c)
        if day is None:
            return None, None
        start = datetime.combine(day.date(), time())
        return start, start + timedelta(days=1)
    if r.kind == "per_case":
        return ctx.resolve(r.start, c), ctx.resolve(r.due, c)
    return None, None  # undated


def _coerce_actuals(template: PlanTemplate, actuals: Mapping[int, Any] | None) -> dict[int, datetime]:
    if not actuals:
        return {}
    numbers = {a.number for a in template.activities}
    out: dict[int, datetime] = {}
    for k, v in actuals.items():
        if k not in numbers:
            raise ActualError(
                f"actual completion given for unknown activity {k!r} of template {template.slug!r}"
            )
        if v is None:
            continue
        if not isinstance(v, datetime):
            try:
                v = parse_local_datetime(v)
            except ValueError as e:
                raise ActualError(f"activity {k}: actual completion: {e}") from None
        out[k] = _to_local_naive(v, template.tz)
    return out


def compute_plan(
    template: PlanTemplate,
    anchors: Mapping[str, date | datetime | time | str],
    actuals: Mapping[int, datetime] | None = None,
    holidays: Iterable[date] | None = None,
) -> Plan:
    """Compute the calendar of an election from ``template``.

    ``anchors``: values by anchor name (date/datetime/time or ISO strings).
    ``actuals``: actual completion datetimes by activity number; rules referring to an
    activity with an actual are re-computed from it (see README, "Actual dates").
    ``holidays``: extra non-working dates, added to the template's ``holidays``.
    Returns a :class:`Plan` (a list of :class:`PlannedActivity` in template order).
    """
    resolved = resolve_anchors(template, anchors)
    acts = _coerce_actuals(template, actuals)
    hol = frozenset(template.holidays) | frozenset(parse_date(h) for h in (holidays or ()))
    ctx = _Ctx(template, resolved, acts, hol, frozenset(template.weekend))
    specs = {a.number: a for a in template.activities}
    for n in template.order:
        ctx.done[n] = _compute_one(specs[n], ctx)

    tz = template.tz
    sections = {s.number: s for s in template.sections}
    items: list[PlannedActivity] = []
    for a in template.activities:
        start, due = ctx.done[a.number]
        sec = sections[a.section]
        r = a.rule
        per_case = None
        if r.kind == "per_case":
            assert r.case_kind is not None
            per_case = PerCase(
                r.case_kind, r.days, r.hours, r.counting, r.trigger_ru, r.trigger_en, hol, ctx.weekend
            )
        milestones = tuple(
            PlannedMilestone(m.key, m.title_ru, m.title_en, _aware(ctx.resolve(m.at, r.counting), tz))
            for m in r.milestones
        )
        actual = acts.get(a.number)
        items.append(
            PlannedActivity(
                number=a.number,
                section=a.section,
                section_title_ru=sec.title_ru,
                section_title_en=sec.title_en,
                title_ru=a.title_ru,
                title_en=a.title_en,
                responsible_ru=a.responsible.ru,
                responsible_en=a.responsible.en,
                responsible_roles=a.responsible.roles,
                participants_ru=a.participants.ru if a.participants else None,
                participants_en=a.participants.en if a.participants else None,
                participants_roles=a.participants.roles if a.participants else (),
                kind=r.kind,
                starts_at=_aware(start, tz),
                due_at=_aware(due, tz),
                legal_basis=a.legal_basis,
                legal_basis_en=a.legal_basis_en,
                depends_on=a.depends_on,
                case_kind=r.case_kind,
                per_case=per_case,
                undated_reason=r.reason,
                milestones=milestones,
                actual_at=_aware(actual, tz),
                deadline_text_ru=a.seed_deadline_text,
                deadline_text_en=a.deadline_en,
                details_ru=a.details_ru,
                details_en=a.details_en,
                before_voting=sec.before_voting if a.before_voting is None else a.before_voting,
                stage_order=a.stage_order,
                note=a.note,
                template_slug=template.slug,
            )
        )
    return Plan(
        items,
        template=template,
        anchors={k: _aware(v, tz) if isinstance(v, datetime) else v for k, v in resolved.items()},
        holidays=hol,
        period_start=_aware(ctx.resolve(template.period_start, "calendar"), tz),
        period_end=_aware(ctx.resolve(template.period_end, "calendar"), tz),
        voting_at=_aware(ctx.resolve(template.voting, "calendar"), tz),
        actuals={k: v.replace(tzinfo=tz) for k, v in acts.items()},
    )


# --------------------------------------------------------------------------- per-case deadlines


def per_case_due(
    rule: PerCase | Rule | PlannedActivity | ActivitySpec,
    received_at: datetime,
    tz: tzinfo | str,
    holidays: Iterable[date] | None = None,
    weekend: Iterable[int] | None = None,
) -> datetime:
    """Due instant of one case (a candidate's application, a complaint, ...).

    ``days`` rules: a case received on local day *d* has *N* days after *d* (calendar or
    working days, *d* itself not counted); it is due at 00:00 after the N-th day.
    ``hours`` rules: due exactly ``received_at + N hours``.
    ``holidays``/``weekend`` default to those carried by a :class:`PerCase` from a computed
    plan (the plan's holidays), else no holidays and Saturday/Sunday.
    """
    pc: PerCase | None
    if isinstance(rule, PerCase):
        pc = rule
    elif isinstance(rule, PlannedActivity):
        pc = rule.per_case
    else:
        r = rule.rule if isinstance(rule, ActivitySpec) else rule
        pc = (
            PerCase(r.case_kind, r.days, r.hours, r.counting, r.trigger_ru, r.trigger_en)
            if r.kind == "per_case" and r.case_kind
            else None
        )
    if pc is None:
        raise CalendarError("per_case_due needs a per-case rule (kind: per_case)")
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    if not isinstance(received_at, datetime):
        raise CalendarError(f"received_at must be a datetime, got {received_at!r}")
    local = _to_local_naive(received_at, zone)
    hol = frozenset(pc.holidays if holidays is None else (parse_date(h) for h in holidays))
    wk = frozenset(pc.weekend if weekend is None else weekend)
    if pc.hours is not None:
        due = local + timedelta(hours=pc.hours)
    else:
        assert pc.days is not None
        d = shift_days(local.date() + timedelta(days=1), pc.days, pc.counting, hol, wk)
        due = datetime.combine(d, time())
    return due.replace(tzinfo=zone)
