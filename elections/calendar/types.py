"""Plan templates: the data classes and the names a template may use (parsed by ``parser``)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

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
