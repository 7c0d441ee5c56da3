"""Plan templates: data classes and parsing/validation from plain dicts (e.g. loaded YAML).

Every problem found while parsing is collected and raised together as one
:class:`~elections.calendar.errors.TemplateError` whose lines name the place
(``activity 12: rule.due.anchor: unknown anchor 'votng_day' ...``).
The format is documented in ``elections/calendar/README.md``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import CycleError, TemplateError

RULE_KINDS = ("deadline", "window", "not_earlier_than", "exact_day", "per_case", "undated")
UNDATED_REASONS = ("by_separate_plan", "as_received", "after_event", "ongoing")
ANCHOR_TYPES = ("date", "datetime", "time")
COUNTINGS = ("calendar", "working")
POINT_OF = ("due", "planned_due", "start")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_TIME_RE = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_DATETIME_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})$")


# --------------------------------------------------------------------------- data classes


@dataclass(frozen=True)
class AnchorSpec:
    """An input of the plan (voting day, publication of the decision, voting start time, ...)."""

    name: str
    label_ru: str
    label_en: str
    type: str  # date | datetime | time
    required: bool = True
    default: date | datetime | time | None = None
    default_from: str | None = None  # name of another anchor of the same type


@dataclass(frozen=True)
class Point:
    """A reference instant: an anchor or another activity, shifted by days/hours, at a time of day."""

    anchor: str | None = None
    activity: int | None = None
    of: str = "due"  # due | planned_due | start (activity points only)
    days: int = 0
    hours: int = 0
    minutes: int = 0
    at: str | None = None  # name of a time anchor, or literal "HH:MM"
    counting: str | None = None  # None: the rule's counting


@dataclass(frozen=True)
class Milestone:
    """An additional dated instant inside one activity (e.g. the 2nd of three finance reports)."""

    key: str
    title_ru: str
    title_en: str
    at: Point
    expected: datetime | None = None  # naive local; for tests against the seed


@dataclass(frozen=True)
class Rule:
    kind: str
    start: Point | None = None
    due: Point | None = None
    day: Point | None = None
    counting: str = "calendar"
    case_kind: str | None = None
    days: int | None = None  # per_case: within N days from the case's trigger
    hours: int | None = None  # per_case: within N hours from the case's trigger
    trigger_ru: str | None = None
    trigger_en: str | None = None
    reason: str | None = None  # undated
    milestones: tuple[Milestone, ...] = ()

    def points(self) -> Iterator[tuple[str, Point]]:
        for name in ("start", "due", "day"):
            p = getattr(self, name)
            if p is not None:
                yield name, p
        for m in self.milestones:
            yield f"milestones.{m.key}", m.at


@dataclass(frozen=True)
class Party:
    """Responsible bodies or participants: text as in the seed plus role keys."""

    ru: str
    en: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class ActivitySpec:
    number: int
    section: int
    title_ru: str
    title_en: str
    responsible: Party
    rule: Rule
    participants: Party | None = None
    legal_basis: str | None = None
    legal_basis_en: str | None = None
    depends_on: tuple[int, ...] = ()
    seed_deadline_text: str | None = None
    deadline_en: str | None = None
    details_ru: str | None = None
    details_en: str | None = None
    expected_start: datetime | None = None
    expected_due: datetime | None = None
    before_voting: bool | None = None  # None: inherit from the section
    stage_order: bool = True
    note: str | None = None


@dataclass(frozen=True)
class SectionSpec:
    number: int
    title_ru: str
    title_en: str
    before_voting: bool = False
    activities: tuple[int, ...] = ()


@dataclass(frozen=True)
class PlanTemplate:
    slug: str
    name_ru: str
    name_en: str
    time_zone: str
    anchors: tuple[AnchorSpec, ...]
    sections: tuple[SectionSpec, ...]
    activities: tuple[ActivitySpec, ...]  # template (display) order
    order: tuple[int, ...]  # computation order (topological over rule references)
    period_start: Point | None = None
    period_end: Point | None = None
    voting: Point | None = None
    stages_ordered: bool = False
    holidays: frozenset[date] = frozenset()
    weekend: frozenset[int] = frozenset({5, 6})
    roles: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    case_kinds: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    laws: Mapping[str, str] = field(default_factory=dict)
    description_ru: str | None = None
    description_en: str | None = None
    source: str | None = None

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def activity(self, number: int) -> ActivitySpec:
        for a in self.activities:
            if a.number == number:
                return a
        raise KeyError(f"template {self.slug!r} has no activity {number}")

    def section(self, number: int) -> SectionSpec:
        for s in self.sections:
            if s.number == number:
                return s
        raise KeyError(f"template {self.slug!r} has no section {number}")

    def anchor(self, name: str) -> AnchorSpec:
        for a in self.anchors:
            if a.name == name:
                return a
        raise KeyError(f"template {self.slug!r} has no anchor {name!r}")

    @property
    def required_anchors(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.anchors if a.required)


# --------------------------------------------------------------------------- parsing helpers


class _Errors:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, where: str, msg: str) -> None:
        self.lines.append(f"{where}: {msg}" if where else msg)


def _join(where: str, key: str) -> str:
    """``activity 3`` + ``title_ru`` -> ``activity 3: title_ru``; ``activity 3: rule`` + ``due`` -> ``activity 3: rule.due``."""
    if not where:
        return key
    return f"{where}.{key}" if ":" in where else f"{where}: {key}"


def _check_keys(d: Mapping[str, Any], allowed: tuple[str, ...], where: str, err: _Errors) -> None:
    for k in d:
        if k not in allowed:
            err.add(where, f"unknown field {k!r} (allowed: {', '.join(allowed)})")


def _as_mapping(v: Any, where: str, err: _Errors) -> Mapping[str, Any] | None:
    if not isinstance(v, Mapping):
        err.add(where, f"expected a mapping (key: value), got {type(v).__name__}")
        return None
    return v


def _str(d: Mapping[str, Any], key: str, where: str, err: _Errors, required: bool = True) -> str | None:
    v = d.get(key)
    if v is None:
        if required:
            err.add(_join(where, key), "required text is missing")
        return None
    if not isinstance(v, str) or not v.strip():
        err.add(_join(where, key), f"expected non-empty text, got {v!r}")
        return None
    return " ".join(v.split()) if "\n" in v else v.strip()


def _int(v: Any, where: str, err: _Errors, *, positive: bool = False) -> int | None:
    if isinstance(v, bool) or not isinstance(v, int):
        err.add(where, f"expected a whole number, got {v!r}")
        return None
    if positive and v <= 0:
        err.add(where, f"expected a positive number, got {v}")
        return None
    return v


def _bool(v: Any, where: str, err: _Errors) -> bool | None:
    if not isinstance(v, bool):
        err.add(where, f"expected true or false, got {v!r}")
        return None
    return v


def parse_time(v: Any) -> time:
    """Parse ``"HH:MM"`` (or a :class:`datetime.time`)."""
    if isinstance(v, time):
        return v
    if isinstance(v, int) and not isinstance(v, bool):
        raise ValueError(
            f"{v!r} is a number; write times in quotes, e.g. '20:00' (YAML reads 20:00 unquoted as a number)"
        )
    if isinstance(v, str):
        m = _TIME_RE.match(v.strip())
        if m:
            return time(int(m.group(1)), int(m.group(2)))
    raise ValueError(f"expected a time 'HH:MM', got {v!r}")


def parse_date(v: Any) -> date:
    if isinstance(v, datetime):
        raise ValueError(f"expected a date YYYY-MM-DD, got a date and time {v!r}")
    if isinstance(v, date):
        return v
    if isinstance(v, str):
        try:
            return date.fromisoformat(v.strip())
        except ValueError:
            pass
    raise ValueError(f"expected a date YYYY-MM-DD, got {v!r}")


def parse_local_datetime(v: Any) -> datetime:
    """Parse ``"YYYY-MM-DDTHH:MM"`` (naive, local time) or a :class:`datetime`."""
    if isinstance(v, datetime):
        return v
    if isinstance(v, str):
        s = v.strip()
        m = _DATETIME_RE.match(s)
        if m:
            y, mo, d, hh, mm = (int(x) for x in m.groups())
            return datetime(y, mo, d, hh, mm)
        try:
            return datetime.fromisoformat(s)
        except ValueError:
            pass
    raise ValueError(f"expected a date and time 'YYYY-MM-DDTHH:MM', got {v!r}")


def _party(v: Any, where: str, err: _Errors) -> Party | None:
    d = _as_mapping(v, where, err)
    if d is None:
        return None
    _check_keys(d, ("ru", "en", "roles"), where, err)
    ru = _str(d, "ru", where, err)
    en = _str(d, "en", where, err)
    roles_v = d.get("roles")
    roles: list[str] = []
    if not isinstance(roles_v, list) or not roles_v:
        err.add(_join(where, "roles"), "expected a non-empty list of role keys, e.g. [tec, local_government]")
    else:
        for i, r in enumerate(roles_v):
            if not isinstance(r, str) or not _NAME_RE.match(r):
                err.add(f"{_join(where, 'roles')}[{i}]", f"role key must be lower_snake_case, got {r!r}")
            else:
                roles.append(r)
    if ru is None or en is None:
        return None
    return Party(ru=ru, en=en, roles=tuple(roles))


_POINT_KEYS = ("anchor", "activity", "of", "days", "hours", "minutes", "at", "counting")


def _point(v: Any, where: str, err: _Errors) -> Point | None:
    d = _as_mapping(v, where, err)
    if d is None:
        return None
    _check_keys(d, _POINT_KEYS, where, err)
    ok = True
    anchor = d.get("anchor")
    activity = d.get("activity")
    if (anchor is None) == (activity is None):
        err.add(where, "give exactly one of 'anchor' (an anchor name) or 'activity' (an activity number)")
        ok = False
    if anchor is not None and (not isinstance(anchor, str) or not _NAME_RE.match(anchor)):
        err.add(_join(where, "anchor"), f"expected an anchor name, got {anchor!r}")
        ok = False
    if activity is not None and _int(activity, _join(where, "activity"), err, positive=True) is None:
        ok = False
    of = d.get("of", "due")
    if of not in POINT_OF:
        err.add(_join(where, "of"), f"expected one of {', '.join(POINT_OF)}, got {of!r}")
        ok = False
    elif anchor is not None and "of" in d:
        err.add(_join(where, "of"), "'of' applies only to activity points")
        ok = False
    nums = {}
    for k in ("days", "hours", "minutes"):
        if k in d:
            n = _int(d[k], _join(where, k), err)
            if n is None:
                ok = False
            nums[k] = n or 0
        else:
            nums[k] = 0
    at = d.get("at")
    if at is not None:
        if isinstance(at, str) and (_NAME_RE.match(at) or _TIME_RE.match(at.strip())):
            at = at.strip()
        else:
            try:
                parse_time(at)
            except ValueError as e:
                err.add(_join(where, "at"), f"{e}; or give the name of a time anchor")
            ok = False
    counting = d.get("counting")
    if counting is not None and counting not in COUNTINGS:
        err.add(_join(where, "counting"), f"expected one of {', '.join(COUNTINGS)}, got {counting!r}")
        ok = False
    if not ok:
        return None
    return Point(
        anchor=anchor,
        activity=activity,
        of=of,
        days=nums["days"],
        hours=nums["hours"],
        minutes=nums["minutes"],
        at=at,
        counting=counting,
    )


_RULE_KEYS = (
    "kind",
    "start",
    "due",
    "day",
    "counting",
    "case_kind",
    "days",
    "hours",
    "trigger_ru",
    "trigger_en",
    "reason",
    "milestones",
)
_KIND_POINTS = {
    "deadline": ({"due"}, {"due"}),  # (required, allowed)
    "window": ({"start", "due"}, {"start", "due"}),
    "not_earlier_than": ({"start"}, {"start"}),
    "exact_day": ({"day"}, {"day"}),
    "per_case": (set(), {"start", "due"}),
    "undated": (set(), set()),
}


def _rule(v: Any, where: str, err: _Errors) -> Rule | None:
    d = _as_mapping(v, where, err)
    if d is None:
        return None
    _check_keys(d, _RULE_KEYS, where, err)
    kind = d.get("kind")
    if kind not in RULE_KINDS:
        err.add(_join(where, "kind"), f"expected one of {', '.join(RULE_KINDS)}, got {kind!r}")
        return None
    required, allowed = _KIND_POINTS[kind]
    points: dict[str, Point | None] = {}
    ok = True
    for name in ("start", "due", "day"):
        if name in d:
            if name not in allowed:
                err.add(
                    _join(where, name),
                    f"not used by kind {kind!r} (uses: {', '.join(sorted(allowed)) or 'none'})",
                )
                ok = False
                continue
            p = _point(d[name], _join(where, name), err)
            ok = ok and p is not None
            points[name] = p
        elif name in required:
            err.add(_join(where, name), f"required for kind {kind!r}")
            ok = False
    counting = d.get("counting", "calendar")
    if counting not in COUNTINGS:
        err.add(_join(where, "counting"), f"expected one of {', '.join(COUNTINGS)}, got {counting!r}")
        ok = False
    case_kind = d.get("case_kind")
    if case_kind is not None and (not isinstance(case_kind, str) or not _NAME_RE.match(case_kind)):
        err.add(_join(where, "case_kind"), f"expected a lower_snake_case key, got {case_kind!r}")
        ok = False
    days = hours = None
    reason = None
    if kind == "per_case":
        if case_kind is None:
            err.add(
                _join(where, "case_kind"),
                "required for kind 'per_case' (e.g. candidate_application, complaint)",
            )
            ok = False
        has_days, has_hours = "days" in d, "hours" in d
        if has_days == has_hours:
            err.add(
                where, "kind 'per_case' needs exactly one of 'days' or 'hours' (the time allowed per case)"
            )
            ok = False
        elif has_days:
            days = _int(d["days"], _join(where, "days"), err, positive=True)
            ok = ok and days is not None
        else:
            hours = _int(d["hours"], _join(where, "hours"), err, positive=True)
            ok = ok and hours is not None
    else:
        for k in ("days", "hours", "trigger_ru", "trigger_en"):
            if k in d:
                err.add(
                    _join(where, k),
                    "only used by kind 'per_case' (for other kinds put offsets inside a point)",
                )
                ok = False
    if kind == "undated":
        reason = d.get("reason")
        if reason not in UNDATED_REASONS:
            err.add(
                _join(where, "reason"),
                f"kind 'undated' needs a reason, one of {', '.join(UNDATED_REASONS)}; got {reason!r}",
            )
            ok = False
    elif "reason" in d:
        err.add(_join(where, "reason"), "only used by kind 'undated'")
        ok = False
    milestones: list[Milestone] = []
    ms = d.get("milestones", [])
    if not isinstance(ms, list):
        err.add(_join(where, "milestones"), "expected a list")
        ok = False
        ms = []
    keys: set[str] = set()
    for i, m in enumerate(ms):
        mw = f"{_join(where, 'milestones')}[{i}]"
        md = _as_mapping(m, mw, err)
        if md is None:
            ok = False
            continue
        _check_keys(md, ("key", "title_ru", "title_en", "at", "expected"), mw, err)
        key = md.get("key")
        if not isinstance(key, str) or not _NAME_RE.match(key):
            err.add(_join(mw, "key"), f"expected a lower_snake_case key, got {key!r}")
            ok = False
            continue
        if key in keys:
            err.add(_join(mw, "key"), f"duplicate milestone key {key!r}")
            ok = False
        keys.add(key)
        t_ru = _str(md, "title_ru", mw, err)
        t_en = _str(md, "title_en", mw, err)
        at = _point(md.get("at"), _join(mw, "at"), err) if "at" in md else None
        if "at" not in md:
            err.add(_join(mw, "at"), "required (a point)")
        expected = None
        if md.get("expected") is not None:
            try:
                expected = parse_local_datetime(md["expected"])
            except ValueError as e:
                err.add(_join(mw, "expected"), str(e))
        if t_ru and t_en and at:
            milestones.append(Milestone(key=key, title_ru=t_ru, title_en=t_en, at=at, expected=expected))
        else:
            ok = False
    if not ok:
        return None
    return Rule(
        kind=kind,
        start=points.get("start"),
        due=points.get("due"),
        day=points.get("day"),
        counting=counting,
        case_kind=case_kind,
        days=days,
        hours=hours,
        trigger_ru=_str(d, "trigger_ru", where, err, required=False),
        trigger_en=_str(d, "trigger_en", where, err, required=False),
        reason=reason,
        milestones=tuple(milestones),
    )


_ACTIVITY_KEYS = (
    "number",
    "title_ru",
    "title_en",
    "details_ru",
    "details_en",
    "responsible",
    "participants",
    "legal_basis",
    "legal_basis_en",
    "rule",
    "depends_on",
    "seed_deadline_text",
    "deadline_en",
    "expected_start",
    "expected_due",
    "before_voting",
    "stage_order",
    "note",
)


def _activity(v: Any, section: int, where: str, err: _Errors) -> ActivitySpec | None:
    d = _as_mapping(v, where, err)
    if d is None:
        return None
    number = _int(d.get("number"), f"{where}.number", err, positive=True) if "number" in d else None
    if "number" not in d:
        err.add(where, "activity without 'number'")
    if number is not None:
        where = f"activity {number}"
    _check_keys(d, _ACTIVITY_KEYS, where, err)
    title_ru = _str(d, "title_ru", where, err)
    title_en = _str(d, "title_en", where, err)
    responsible = _party(d["responsible"], f"{where}: responsible", err) if "responsible" in d else None
    if "responsible" not in d:
        err.add(where, "responsible: required (ru, en, roles)")
    participants = _party(d["participants"], f"{where}: participants", err) if d.get("participants") else None
    rule = _rule(d["rule"], f"{where}: rule", err) if "rule" in d else None
    if "rule" not in d:
        err.add(where, "rule: required (the deadline rule)")
    deps: list[int] = []
    dv = d.get("depends_on", [])
    if not isinstance(dv, list):
        err.add(f"{where}: depends_on", "expected a list of activity numbers")
    else:
        for i, x in enumerate(dv):
            n = _int(x, f"{where}: depends_on[{i}]", err, positive=True)
            if n is not None:
                deps.append(n)
    exp: dict[str, datetime | None] = {}
    for k in ("expected_start", "expected_due"):
        exp[k] = None
        if d.get(k) is not None:
            try:
                exp[k] = parse_local_datetime(d[k])
            except ValueError as e:
                err.add(f"{where}: {k}", str(e))
    bv = None
    if "before_voting" in d:
        bv = _bool(d["before_voting"], f"{where}: before_voting", err)
    so = True
    if "stage_order" in d:
        so = _bool(d["stage_order"], f"{where}: stage_order", err)
        so = True if so is None else so
    if None in (number, title_ru, title_en, responsible, rule):
        return None
    assert number is not None and title_ru and title_en and responsible and rule  # for type checkers
    return ActivitySpec(
        number=number,
        section=section,
        title_ru=title_ru,
        title_en=title_en,
        responsible=responsible,
        rule=rule,
        participants=participants,
        legal_basis=_str(d, "legal_basis", where, err, required=False),
        legal_basis_en=_str(d, "legal_basis_en", where, err, required=False),
        depends_on=tuple(deps),
        seed_deadline_text=_str(d, "seed_deadline_text", where, err, required=False),
        deadline_en=_str(d, "deadline_en", where, err, required=False),
        details_ru=_str(d, "details_ru", where, err, required=False),
        details_en=_str(d, "details_en", where, err, required=False),
        expected_start=exp["expected_start"],
        expected_due=exp["expected_due"],
        before_voting=bv,
        stage_order=so,
        note=_str(d, "note", where, err, required=False),
    )


def _anchor(v: Any, where: str, err: _Errors) -> AnchorSpec | None:
    d = _as_mapping(v, where, err)
    if d is None:
        return None
    name = d.get("name")
    if not isinstance(name, str) or not _NAME_RE.match(name):
        err.add(where, f"anchor name must be lower_snake_case, got {name!r}")
        return None
    where = f"anchor {name}"
    _check_keys(
        d, ("name", "label_ru", "label_en", "type", "required", "default", "default_from"), where, err
    )
    label_ru = _str(d, "label_ru", where, err)
    label_en = _str(d, "label_en", where, err)
    typ = d.get("type")
    if typ not in ANCHOR_TYPES:
        err.add(f"{where}: type", f"expected one of {', '.join(ANCHOR_TYPES)}, got {typ!r}")
        return None
    required = d.get("required", True)
    if not isinstance(required, bool):
        err.add(f"{where}: required", f"expected true or false, got {required!r}")
        required = True
    default = None
    if d.get("default") is not None:
        try:
            default = {"date": parse_date, "datetime": parse_local_datetime, "time": parse_time}[typ](
                d["default"]
            )
        except ValueError as e:
            err.add(f"{where}: default", str(e))
    default_from = d.get("default_from")
    if default_from is not None and (not isinstance(default_from, str) or not _NAME_RE.match(default_from)):
        err.add(f"{where}: default_from", f"expected an anchor name, got {default_from!r}")
        default_from = None
    if required and (default is not None or default_from is not None):
        err.add(where, "a required anchor cannot have a default; use required: false")
    if default is not None and default_from is not None:
        err.add(where, "give either default or default_from, not both")
    if label_ru is None or label_en is None:
        return None
    return AnchorSpec(
        name=name,
        label_ru=label_ru,
        label_en=label_en,
        type=typ,
        required=required,
        default=default,
        default_from=default_from,
    )


def _glossary(v: Any, where: str, err: _Errors) -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    if v is None:
        return out
    d = _as_mapping(v, where, err)
    if d is None:
        return out
    for k, item in d.items():
        w = f"{where}.{k}"
        if not isinstance(k, str) or not _NAME_RE.match(k):
            err.add(w, "key must be lower_snake_case")
            continue
        m = _as_mapping(item, w, err)
        if m is None:
            continue
        _check_keys(m, ("ru", "en"), w, err)
        ru, en = _str(m, "ru", w, err), _str(m, "en", w, err)
        if ru and en:
            out[k] = (ru, en)
    return out


_TEMPLATE_KEYS = (
    "slug",
    "name_ru",
    "name_en",
    "description_ru",
    "description_en",
    "time_zone",
    "anchors",
    "period",
    "voting",
    "stages_ordered",
    "holidays",
    "weekend",
    "roles",
    "case_kinds",
    "laws",
    "sections",
)


def parse_template(data: Any, source: str | None = None) -> PlanTemplate:
    """Build a :class:`PlanTemplate` from a dict (e.g. ``yaml.safe_load`` output).

    Raises :class:`TemplateError` listing every problem, or :class:`CycleError`.
    """
    err = _Errors()
    d = _as_mapping(data, "template", err)
    if d is None:
        raise TemplateError(err.lines, source)
    _check_keys(d, _TEMPLATE_KEYS, "template", err)
    slug = d.get("slug")
    if not isinstance(slug, str) or not _SLUG_RE.match(slug):
        err.add("template: slug", f"expected lower-case letters, digits and dashes, got {slug!r}")
        slug = None
    name_ru = _str(d, "name_ru", "template", err)
    name_en = _str(d, "name_en", "template", err)
    tzname = d.get("time_zone")
    try:
        if not isinstance(tzname, str):
            raise ZoneInfoNotFoundError
        ZoneInfo(tzname)
    except (ZoneInfoNotFoundError, ValueError):
        err.add("template: time_zone", f"expected an IANA time zone such as Asia/Bishkek, got {tzname!r}")
        tzname = None

    anchors: list[AnchorSpec] = []
    av = d.get("anchors")
    if not isinstance(av, list) or not av:
        err.add("template: anchors", "expected a non-empty list of anchors")
        av = []
    for i, a in enumerate(av):
        spec = _anchor(a, f"template: anchors[{i}]", err)
        if spec is not None:
            if any(x.name == spec.name for x in anchors):
                err.add(f"anchor {spec.name}", "duplicate anchor name")
            anchors.append(spec)
    anchor_types = {a.name: a.type for a in anchors}
    for a in anchors:
        if a.default_from is not None:
            if a.default_from not in anchor_types:
                err.add(f"anchor {a.name}: default_from", f"unknown anchor {a.default_from!r}")
            elif anchor_types[a.default_from] != a.type:
                err.add(
                    f"anchor {a.name}: default_from",
                    f"anchor {a.default_from!r} is a {anchor_types[a.default_from]}, not a {a.type}",
                )
            elif a.default_from == a.name:
                err.add(f"anchor {a.name}: default_from", "an anchor cannot default to itself")

    roles = _glossary(d.get("roles"), "template: roles", err)
    case_kinds = _glossary(d.get("case_kinds"), "template: case_kinds", err)
    laws: dict[str, str] = {}
    if d.get("laws") is not None:
        lv = _as_mapping(d["laws"], "template: laws", err) or {}
        for k, t in lv.items():
            if isinstance(k, str) and isinstance(t, str):
                laws[k] = t
            else:
                err.add(f"template: laws.{k}", "expected text")

    stages_ordered = d.get("stages_ordered", False)
    if not isinstance(stages_ordered, bool):
        err.add("template: stages_ordered", f"expected true or false, got {stages_ordered!r}")
        stages_ordered = False

    holidays: set[date] = set()
    hv = d.get("holidays", []) or []
    if not isinstance(hv, list):
        err.add("template: holidays", "expected a list of dates YYYY-MM-DD")
        hv = []
    for i, h in enumerate(hv):
        try:
            holidays.add(parse_date(h))
        except ValueError as e:
            err.add(f"template: holidays[{i}]", str(e))
    weekend: set[int] = {5, 6}
    if "weekend" in d:
        wv = d["weekend"]
        if not isinstance(wv, list) or any(w not in WEEKDAYS for w in wv):
            err.add(
                "template: weekend", f"expected a list of day names from {', '.join(WEEKDAYS)}, got {wv!r}"
            )
        else:
            weekend = {WEEKDAYS.index(w) for w in wv}

    period_start = period_end = None
    if d.get("period") is not None:
        pd_ = _as_mapping(d["period"], "template: period", err)
        if pd_ is not None:
            _check_keys(pd_, ("start", "end"), "template: period", err)
            if "start" in pd_:
                period_start = _point(pd_["start"], "template: period.start", err)
            if "end" in pd_:
                period_end = _point(pd_["end"], "template: period.end", err)
    voting = _point(d["voting"], "template: voting", err) if d.get("voting") is not None else None

    sections: list[SectionSpec] = []
    activities: list[ActivitySpec] = []
    declared: set[int] = set()  # numbers of all activities, also of those with errors
    sv = d.get("sections")
    if not isinstance(sv, list) or not sv:
        err.add("template: sections", "expected a non-empty list of sections (stages)")
        sv = []
    for i, s in enumerate(sv):
        sw = f"section [{i}]"
        sd = _as_mapping(s, sw, err)
        if sd is None:
            continue
        snum = _int(sd.get("number"), f"{sw}.number", err, positive=True)
        if snum is None:
            continue
        sw = f"section {snum}"
        _check_keys(sd, ("number", "title_ru", "title_en", "before_voting", "activities"), sw, err)
        if any(x.number == snum for x in sections):
            err.add(sw, "duplicate section number")
        st_ru = _str(sd, "title_ru", sw, err)
        st_en = _str(sd, "title_en", sw, err)
        bv = sd.get("before_voting", False)
        if not isinstance(bv, bool):
            err.add(f"{sw}: before_voting", f"expected true or false, got {bv!r}")
            bv = False
        acts_v = sd.get("activities")
        if not isinstance(acts_v, list) or not acts_v:
            err.add(f"{sw}: activities", "expected a non-empty list of activities")
            acts_v = []
        nums: list[int] = []
        for j, a in enumerate(acts_v):
            raw_number = a.get("number") if isinstance(a, Mapping) else None
            if isinstance(raw_number, int) and not isinstance(raw_number, bool):
                declared.add(raw_number)
            spec = _activity(a, snum, f"{sw}: activities[{j}]", err)
            if spec is None:
                continue
            if any(x.number == spec.number for x in activities):
                err.add(f"activity {spec.number}", "duplicate activity number")
                continue
            activities.append(spec)
            nums.append(spec.number)
        if st_ru and st_en:
            sections.append(SectionSpec(snum, st_ru, st_en, bv, tuple(nums)))

    # cross references (checked against every declared number, so that one broken activity
    # does not cascade into "unknown activity" errors elsewhere)
    numbers = declared

    def check_point(p: Point | None, where: str, own: int | None = None) -> None:
        if p is None:
            return
        if p.anchor is not None:
            if p.anchor not in anchor_types:
                err.add(
                    where,
                    f"unknown anchor {p.anchor!r} (anchors of this template: {', '.join(anchor_types)})",
                )
            elif anchor_types[p.anchor] == "time":
                err.add(where, f"anchor {p.anchor!r} is a time of day; use it with 'at', not as 'anchor'")
        if p.activity is not None:
            if p.activity not in numbers:
                err.add(where, f"unknown activity {p.activity}")
            elif p.activity == own:
                err.add(where, "an activity cannot refer to itself")
        if p.at is not None and not _TIME_RE.match(p.at):
            if p.at not in anchor_types:
                err.add(f"{where}.at", f"unknown time anchor {p.at!r}")
            elif anchor_types[p.at] != "time":
                err.add(f"{where}.at", f"anchor {p.at!r} is a {anchor_types[p.at]}, not a time")

    for a in activities:
        for name, p in a.rule.points():
            check_point(p, f"activity {a.number}: rule.{name}", a.number)
        for dep in a.depends_on:
            if dep not in numbers:
                err.add(f"activity {a.number}: depends_on", f"unknown activity {dep}")
            elif dep == a.number:
                err.add(f"activity {a.number}: depends_on", "an activity cannot depend on itself")
        for field_, party in (("responsible", a.responsible), ("participants", a.participants)):
            if party is None or not roles:
                continue
            for r in party.roles:
                if r not in roles:
                    err.add(
                        f"activity {a.number}: {field_}.roles",
                        f"unknown role {r!r} (declare it under 'roles:')",
                    )
        ck = a.rule.case_kind
        if ck is not None and case_kinds and ck not in case_kinds:
            err.add(
                f"activity {a.number}: rule.case_kind",
                f"unknown case kind {ck!r} (declare it under 'case_kinds:')",
            )
        if ck is not None and not case_kinds:
            err.add(f"activity {a.number}: rule.case_kind", "declare the case kinds under 'case_kinds:'")
    if not roles:
        err.add("template: roles", "declare the role keys used by responsible/participants (key: {ru, en})")
    check_point(period_start, "template: period.start")
    check_point(period_end, "template: period.end")
    check_point(voting, "template: voting")
    if voting is None and any(s.before_voting for s in sections) | any(a.before_voting for a in activities):
        err.add("template: voting", "required when sections or activities are marked before_voting")

    if err.lines:
        raise TemplateError(err.lines, source)

    order = _topological_order(activities, source)
    assert slug and name_ru and name_en and tzname
    return PlanTemplate(
        slug=slug,
        name_ru=name_ru,
        name_en=name_en,
        time_zone=tzname,
        anchors=tuple(anchors),
        sections=tuple(sections),
        activities=tuple(activities),
        order=order,
        period_start=period_start,
        period_end=period_end,
        voting=voting,
        stages_ordered=stages_ordered,
        holidays=frozenset(holidays),
        weekend=frozenset(weekend),
        roles=roles,
        case_kinds=case_kinds,
        laws=laws,
        description_ru=_str(d, "description_ru", "template", err, required=False),
        description_en=_str(d, "description_en", "template", err, required=False),
        source=source,
    )


def rule_references(a: ActivitySpec) -> list[int]:
    """Activities whose dates the rule of ``a`` is computed from."""
    return sorted({p.activity for _, p in a.rule.points() if p.activity is not None})


def _find_cycle(nodes: list[int], edges: dict[int, list[int]]) -> list[int] | None:
    """Return one cycle (list of nodes) in the directed graph, or None."""
    white, grey, black = 0, 1, 2
    color = dict.fromkeys(nodes, white)
    stack_path: list[int] = []

    def visit(n: int) -> list[int] | None:
        color[n] = grey
        stack_path.append(n)
        for m in edges.get(n, []):
            if color.get(m) == grey:
                return stack_path[stack_path.index(m) :]
            if color.get(m) == white:
                c = visit(m)
                if c:
                    return c
        stack_path.pop()
        color[n] = black
        return None

    for n in nodes:
        if color[n] == white:
            c = visit(n)
            if c:
                return c
    return None


def _topological_order(activities: list[ActivitySpec], source: str | None) -> tuple[int, ...]:
    nodes = [a.number for a in activities]
    # edge: prerequisite -> dependent
    ref_edges: dict[int, list[int]] = {n: [] for n in nodes}
    all_edges: dict[int, list[int]] = {n: [] for n in nodes}
    for a in activities:
        for r in rule_references(a):
            ref_edges[r].append(a.number)
            all_edges[r].append(a.number)
        for dep in a.depends_on:
            all_edges[dep].append(a.number)
    cyc = _find_cycle(nodes, ref_edges)
    if cyc:
        raise CycleError(cyc, "rules", source)
    cyc = _find_cycle(nodes, all_edges)
    if cyc:
        raise CycleError(cyc, "rules and depends_on", source)
    # Kahn, stable in template order
    indeg = dict.fromkeys(nodes, 0)
    for a in activities:
        indeg[a.number] = len(rule_references(a))
    out: list[int] = []
    ready = [n for n in nodes if indeg[n] == 0]
    pos = {n: i for i, n in enumerate(nodes)}
    while ready:
        ready.sort(key=pos.__getitem__)
        n = ready.pop(0)
        out.append(n)
        for m in ref_edges[n]:
            indeg[m] -= 1
            if indeg[m] == 0:
                ready.append(m)
    return tuple(out)
