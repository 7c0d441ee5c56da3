"""Calendar rule engine of the Election Portal (pure Python; no Django imports).

A *plan template* (YAML in ``elections/calendar_templates/``) lists sections and activities
with deadline rules relative to *anchors* (voting day, publication of the decision calling
the election, voting hours, ...). :func:`compute_plan` turns a template and anchor values
into dated activities; :func:`check_plan` reports contradictions; the exporters render a
plan as JSON, CSV or iCalendar. The format and the semantics are documented in README.md.
"""

from .check import CODES, Contradiction, check_plan
from .engine import compute_plan, per_case_due, resolve_anchors
from .errors import ActualError, AnchorError, CalendarError, CycleError, TemplateError, TemplateNotFound
from .export import (
    CSV_COLUMNS,
    activity_to_dict,
    contradictions_to_dicts,
    format_contradictions,
    plan_to_csv,
    plan_to_dicts,
    plan_to_ics,
    plan_to_json,
)
from .loader import (
    TEMPLATES_DIR,
    anchors_help,
    list_templates,
    load_template,
    load_template_file,
    template_slugs,
)
from .model import (
    RULE_KINDS,
    UNDATED_REASONS,
    ActivitySpec,
    AnchorSpec,
    Milestone,
    Party,
    PlanTemplate,
    Point,
    Rule,
    SectionSpec,
    parse_template,
)
from .plan import PerCase, Plan, PlannedActivity, PlannedMilestone
from .workdays import is_working_day, shift_days

__all__ = [
    "CODES",
    "CSV_COLUMNS",
    "RULE_KINDS",
    "TEMPLATES_DIR",
    "UNDATED_REASONS",
    "ActivitySpec",
    "ActualError",
    "AnchorError",
    "AnchorSpec",
    "CalendarError",
    "Contradiction",
    "CycleError",
    "Milestone",
    "Party",
    "PerCase",
    "Plan",
    "PlanTemplate",
    "PlannedActivity",
    "PlannedMilestone",
    "Point",
    "Rule",
    "SectionSpec",
    "TemplateError",
    "TemplateNotFound",
    "activity_to_dict",
    "anchors_help",
    "check_plan",
    "compute_plan",
    "contradictions_to_dicts",
    "format_contradictions",
    "is_working_day",
    "list_templates",
    "load_template",
    "load_template_file",
    "parse_template",
    "per_case_due",
    "plan_to_csv",
    "plan_to_dicts",
    "plan_to_ics",
    "plan_to_json",
    "resolve_anchors",
    "shift_days",
    "template_slugs",
]
