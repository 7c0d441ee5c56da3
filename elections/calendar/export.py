"""Exporters of a computed plan: JSON-able dicts, JSON text, CSV text, iCalendar text."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from datetime import UTC, datetime

from icalendar import Calendar, Event

from elections.spreadsheets import csv_writer

from .check import Contradiction
from .plan import PlannedActivity

CSV_COLUMNS = (
    "number",
    "section",
    "section_title",
    "title",
    "responsible",
    "responsible_roles",
    "participants",
    "legal_basis",
    "kind",
    "starts_at",
    "due_at",
    "depends_on",
    "case_kind",
    "per_case",
    "undated_reason",
    "milestones",
    "actual_at",
    "deadline_text",
)


def _iso(dt: datetime | None) -> str | None:
    return None if dt is None else dt.isoformat()


def _pick(ru: str | None, en: str | None, lang: str) -> str | None:
    if lang == "en":
        return en if en is not None else ru
    return ru if ru is not None else en


def activity_to_dict(a: PlannedActivity, lang: str = "ru") -> dict:
    """JSON-able dict of one planned activity; ``title``/``responsible``/... in ``lang`` (ru|en),
    both languages also under ``*_ru``/``*_en``. Datetimes are ISO 8601 with offset, or null."""
    pc = a.per_case
    return {
        "number": a.number,
        "section": a.section,
        "section_title": _pick(a.section_title_ru, a.section_title_en, lang),
        "section_title_ru": a.section_title_ru,
        "section_title_en": a.section_title_en,
        "title": _pick(a.title_ru, a.title_en, lang),
        "title_ru": a.title_ru,
        "title_en": a.title_en,
        "responsible": _pick(a.responsible_ru, a.responsible_en, lang),
        "responsible_ru": a.responsible_ru,
        "responsible_en": a.responsible_en,
        "responsible_roles": list(a.responsible_roles),
        "participants": _pick(a.participants_ru, a.participants_en, lang),
        "participants_ru": a.participants_ru,
        "participants_en": a.participants_en,
        "participants_roles": list(a.participants_roles),
        "legal_basis": _pick(a.legal_basis, a.legal_basis_en, lang),
        "legal_basis_ru": a.legal_basis,
        "legal_basis_en": a.legal_basis_en,
        "kind": a.kind,
        "starts_at": _iso(a.starts_at),
        "due_at": _iso(a.due_at),
        "depends_on": list(a.depends_on),
        "case_kind": a.case_kind,
        "per_case": None
        if pc is None
        else {"case_kind": pc.case_kind, "days": pc.days, "hours": pc.hours, "counting": pc.counting},
        "undated_reason": a.undated_reason,
        "milestones": [
            {
                "key": m.key,
                "title": _pick(m.title_ru, m.title_en, lang),
                "title_ru": m.title_ru,
                "title_en": m.title_en,
                "at": _iso(m.at),
            }
            for m in a.milestones
        ],
        "actual_at": _iso(a.actual_at),
        "deadline_text": _pick(a.deadline_text_ru, a.deadline_text_en, lang),
        "deadline_text_ru": a.deadline_text_ru,
        "deadline_text_en": a.deadline_text_en,
        "before_voting": a.before_voting,
    }


def plan_to_dicts(plan: Iterable[PlannedActivity], lang: str = "ru") -> list[dict]:
    return [activity_to_dict(a, lang) for a in plan]


def plan_to_json(plan: Iterable[PlannedActivity], lang: str = "ru", indent: int | None = 2) -> str:
    return json.dumps(plan_to_dicts(plan, lang), ensure_ascii=False, indent=indent)


def _per_case_text(a: PlannedActivity) -> str:
    pc = a.per_case
    if pc is None:
        return ""
    amount = f"{pc.days} days" if pc.days is not None else f"{pc.hours} hours"
    return f"{pc.case_kind}: {amount} ({pc.counting})"


def plan_to_csv(plan: Iterable[PlannedActivity], lang: str = "ru") -> str:
    """CSV text with a header row (:data:`CSV_COLUMNS`); lists are joined with ``;``."""
    buf = io.StringIO()
    w = csv_writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for a in plan:
        d = activity_to_dict(a, lang)
        values = {
            **{k: d[k] for k in CSV_COLUMNS if k in d},
            "responsible_roles": ";".join(d["responsible_roles"]),
            "depends_on": ";".join(str(n) for n in d["depends_on"]),
            "per_case": _per_case_text(a),
            "milestones": ";".join(f"{m['key']}={m['at'] or ''}" for m in d["milestones"]),
        }
        w.writerow(["" if values[c] is None else values[c] for c in CSV_COLUMNS])
    return buf.getvalue()


_PREFIX = {
    "deadline": ("Срок: ", "Deadline: "),
    "window": ("", ""),
    "exact_day": ("", ""),
    "not_earlier_than": ("Начало: ", "From: "),
    "per_case": ("", ""),
}


def plan_to_ics(
    plan: Iterable[PlannedActivity],
    lang: str = "ru",
    calendar_name: str | None = None,
    dtstamp: datetime | None = None,
) -> str:
    """iCalendar text: one VEVENT per dated activity (start–due, or the single instant) and one
    per dated milestone; undated rows are left out. ``dtstamp`` defaults to the current UTC
    time — pass it for reproducible output."""
    items = list(plan)
    stamp = dtstamp or datetime.now(UTC)
    cal = Calendar()
    cal.add("prodid", "-//Election Portal//calendar plan//RU")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if calendar_name:
        cal.add("x-wr-calname", calendar_name)
    ru = lang != "en"
    tzname = None
    for a in items:
        for dt in (a.starts_at, a.due_at):
            if dt is not None and tzname is None:
                tzname = getattr(dt.tzinfo, "key", None)
    if tzname:
        cal.add("x-wr-timezone", tzname)
    for a in items:
        title = a.title_ru if ru else a.title_en
        desc_lines = [
            ("Ответственные: " if ru else "Responsible: ") + (a.responsible_ru if ru else a.responsible_en),
        ]
        basis = a.legal_basis if ru else (a.legal_basis_en or a.legal_basis)
        if basis:
            desc_lines.append(("Основание: " if ru else "Legal basis: ") + basis)
        dtext = a.deadline_text_ru if ru else (a.deadline_text_en or a.deadline_text_ru)
        if dtext:
            desc_lines.append(("Срок исполнения: " if ru else "Deadline: ") + dtext)
        section = a.section_title_ru if ru else a.section_title_en
        if a.is_dated:
            ev = Event()
            ev.add("uid", f"{a.template_slug}-{a.number}@electionportal")
            ev.add("dtstamp", stamp)
            start = a.starts_at if a.starts_at is not None else a.due_at
            ev.add("dtstart", start)
            if a.starts_at is not None and a.due_at is not None and a.due_at > a.starts_at:
                ev.add("dtend", a.due_at)
            prefix = _PREFIX.get(a.kind, ("", ""))[0 if ru else 1]
            ev.add("summary", f"{prefix}{a.number}. {title}")
            ev.add("description", "\n".join(desc_lines))
            ev.add("categories", [section])
            cal.add_component(ev)
        for m in a.milestones:
            if m.at is None:
                continue
            ev = Event()
            ev.add("uid", f"{a.template_slug}-{a.number}-{m.key}@electionportal")
            ev.add("dtstamp", stamp)
            ev.add("dtstart", m.at)
            ev.add("summary", f"{a.number}. {m.title_ru if ru else m.title_en}")
            ev.add("description", "\n".join([title, *desc_lines]))
            ev.add("categories", [section])
            cal.add_component(ev)
    if tzname:
        cal.add_missing_timezones()
    return cal.to_ical().decode("utf-8")


def contradictions_to_dicts(items: Iterable[Contradiction]) -> list[dict]:
    return [c.as_dict() for c in items]


def format_contradictions(items: Iterable[Contradiction], lang: str = "en") -> str:
    """Plain-text report, one line per contradiction: ``[code] activities: message``."""
    lines = [f"[{c.code}] {', '.join(map(str, c.activities))}: {c.message(lang)}" for c in items]
    return "\n".join(lines)
