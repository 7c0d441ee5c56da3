"""A computed calendar plan: each activity's planned window or milestone and the per-case rules, as
:func:`elections.calendar.engine.compute_plan` returns them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from .types import PlanTemplate


@dataclass(frozen=True)
class PerCase:
    """A per-case rule as kept in a computed plan: apply it to each case with :func:`per_case_due`."""

    case_kind: str
    days: int | None
    hours: int | None
    counting: str = "calendar"
    trigger_ru: str | None = None
    trigger_en: str | None = None
    holidays: frozenset[date] = frozenset()
    weekend: frozenset[int] = frozenset({5, 6})


@dataclass(frozen=True)
class PlannedMilestone:
    key: str
    title_ru: str
    title_en: str
    at: datetime | None


@dataclass(frozen=True)
class PlannedActivity:
    number: int
    section: int
    section_title_ru: str
    section_title_en: str
    title_ru: str
    title_en: str
    responsible_ru: str
    responsible_en: str
    responsible_roles: tuple[str, ...]
    kind: str
    starts_at: datetime | None
    due_at: datetime | None
    participants_ru: str | None = None
    participants_en: str | None = None
    participants_roles: tuple[str, ...] = ()
    legal_basis: str | None = None
    legal_basis_en: str | None = None
    depends_on: tuple[int, ...] = ()
    case_kind: str | None = None
    per_case: PerCase | None = None
    undated_reason: str | None = None
    milestones: tuple[PlannedMilestone, ...] = ()
    actual_at: datetime | None = None
    deadline_text_ru: str | None = None
    deadline_text_en: str | None = None
    details_ru: str | None = None
    details_en: str | None = None
    before_voting: bool = False
    stage_order: bool = True
    note: str | None = None
    template_slug: str = ""

    @property
    def is_dated(self) -> bool:
        return self.starts_at is not None or self.due_at is not None

    @property
    def completion_bound(self) -> datetime | None:
        """The latest planned completion: ``due_at``, or ``starts_at`` for start-only rows."""
        return self.due_at if self.due_at is not None else self.starts_at


class Plan(list):
    """The computed plan: a ``list[PlannedActivity]`` in template order, plus its context."""

    def __init__(
        self,
        items: Iterable[PlannedActivity],
        *,
        template: PlanTemplate,
        anchors: Mapping[str, Any],
        holidays: frozenset[date],
        period_start: datetime | None,
        period_end: datetime | None,
        voting_at: datetime | None,
        actuals: Mapping[int, datetime],
    ):
        super().__init__(items)
        self.template = template
        self.anchors = dict(anchors)
        self.holidays = holidays
        self.period_start = period_start
        self.period_end = period_end
        self.voting_at = voting_at
        self.actuals = dict(actuals)

    @property
    def tz(self) -> ZoneInfo:
        return self.template.tz

    def get(self, number: int) -> PlannedActivity:
        for a in self:
            if a.number == number:
                return a
        raise KeyError(f"no activity {number} in the plan")
