"""Consistency check of a computed plan (see README, "Consistency check")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .plan import Plan, PlannedActivity

#: code -> (English, Russian) one-line description of what the code means
CODES: dict[str, tuple[str, str]] = {
    "window_inverted": ("a window ends before it starts", "окно заканчивается раньше, чем начинается"),
    "dependency_order": (
        "an activity is due after an activity that depends on it",
        "срок мероприятия позже срока мероприятия, которое должно следовать за ним",
    ),
    "stage_order": (
        "an activity is due after activities of a later stage",
        "срок мероприятия позже сроков мероприятий последующих этапов",
    ),
    "after_voting": (
        "an activity that must precede the voting is due after the voting starts",
        "мероприятие, которое должно предшествовать голосованию, имеет срок после начала голосования",
    ),
    "outside_period": (
        "a date lies outside the election period",
        "срок выходит за пределы периода выборов",
    ),
}


@dataclass(frozen=True)
class Contradiction:
    code: str
    activities: tuple[int, ...]
    message_ru: str
    message_en: str

    def message(self, lang: str = "en") -> str:
        return self.message_ru if lang == "ru" else self.message_en

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "activities": list(self.activities),
            "message_ru": self.message_ru,
            "message_en": self.message_en,
        }


_MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_MONTHS_RU = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip


def _en(dt: datetime) -> str:
    """``5 August 2024`` (and ``, 18:00`` when the instant is not midnight)."""
    text = f"{dt.day} {_MONTHS_EN[dt.month - 1]} {dt.year}"
    return text if (dt.hour, dt.minute) == (0, 0) else f"{text}, {dt:%H:%M}"


def _ru(dt: datetime) -> str:
    """``5 августа 2024`` (and ``, 18:00`` when the instant is not midnight)."""
    text = f"{dt.day} {_MONTHS_RU[dt.month - 1]} {dt.year}"
    return text if (dt.hour, dt.minute) == (0, 0) else f"{text}, {dt:%H:%M}"


def _nums(ns: list[int]) -> str:
    return ", ".join(str(n) for n in ns)


def _title(a: PlannedActivity, lang: str, width: int = 60) -> str:
    t = (a.title_ru if lang == "ru" else a.title_en) or a.title_ru
    return t if len(t) <= width else t[: width - 1].rstrip() + "…"


def _item_en(a: PlannedActivity) -> str:
    return f"Item {a.number} ({_title(a, 'en')})"


def _item_ru(a: PlannedActivity) -> str:
    return f"Пункт {a.number} («{_title(a, 'ru')}»)"


def check_plan(plan: Plan) -> list[Contradiction]:
    """Report the contradictions of a computed plan.

    * ``window_inverted``: ``starts_at`` later than ``due_at``.
    * ``dependency_order``: B lists A in ``depends_on`` and A's completion bound (due, or start
      for start-only rows) is later than B's due.
    * ``stage_order`` (templates with ``stages_ordered: true``): A's completion bound is later
      than the due of activities of later stages; one item per A listing those activities
      (pairs already reported as ``dependency_order`` are left out; rows with
      ``stage_order: false`` are exempt).
    * ``after_voting``: a row marked ``before_voting`` whose completion bound is after the
      template's ``voting`` instant.
    * ``outside_period``: a start, due or milestone before ``period.start`` or after ``period.end``.

    Undated and per-case rows without plan dates are never reported.
    """
    out: list[Contradiction] = []
    by_num = {a.number: a for a in plan}

    for a in plan:
        if a.starts_at and a.due_at and a.starts_at > a.due_at:
            out.append(
                Contradiction(
                    "window_inverted",
                    (a.number,),
                    f"{_item_ru(a)} начинается {_ru(a.starts_at)}, позже своего срока ({_ru(a.due_at)}).",
                    f"{_item_en(a)} starts {_en(a.starts_at)}, after it is due ({_en(a.due_at)}).",
                )
            )

    dep_pairs: set[tuple[int, int]] = set()
    for b in plan:
        if b.due_at is None:
            continue
        for n in b.depends_on:
            a = by_num[n]
            bound = a.completion_bound
            if bound is not None and bound > b.due_at:
                dep_pairs.add((a.number, b.number))
                word_en = "due" if a.due_at is not None else "starting"
                word_ru = "срок" if a.due_at is not None else "начало"
                out.append(
                    Contradiction(
                        "dependency_order",
                        (a.number, b.number),
                        f"{_item_ru(b)} должен быть выполнен до {_ru(b.due_at)}, раньше пункта {a.number}, "
                        f"от которого он зависит ({word_ru} — {_ru(bound)}).",
                        f"{_item_en(b)} is due {_en(b.due_at)}, before item {a.number} it depends on "
                        f"({word_en} {_en(bound)}).",
                    )
                )

    if plan.template.stages_ordered:
        for a in plan:
            bound = a.completion_bound
            if bound is None or not a.stage_order:
                continue
            later = [
                b.number
                for b in plan
                if b.section > a.section
                and b.stage_order
                and b.due_at is not None
                and bound > b.due_at
                and (a.number, b.number) not in dep_pairs
            ]
            if later:
                out.append(
                    Contradiction(
                        "stage_order",
                        (a.number, *later),
                        f"{_item_ru(a)} этапа {a.section} должен быть выполнен до {_ru(bound)}, позже пунктов "
                        f"следующих этапов, срок которых раньше: {_nums(later)}.",
                        f"{_item_en(a)} of stage {a.section} is due {_en(bound)}, after items of later "
                        f"stages that are due earlier: {_nums(later)}.",
                    )
                )

    if plan.voting_at is not None:
        v = plan.voting_at
        for a in plan:
            bound = a.completion_bound
            if a.before_voting and bound is not None and bound > v:
                out.append(
                    Contradiction(
                        "after_voting",
                        (a.number,),
                        f"{_item_ru(a)} должен быть выполнен до голосования ({_ru(v)}), "
                        f"но его срок — {_ru(bound)}.",
                        f"{_item_en(a)} must be done before the voting ({_en(v)}) but is due {_en(bound)}.",
                    )
                )

    ps, pe = plan.period_start, plan.period_end
    if ps is not None or pe is not None:
        period_en = f"{_en(ps) if ps else '…'} – {_en(pe) if pe else '…'}"
        period_ru = f"{_ru(ps) if ps else '…'} – {_ru(pe) if pe else '…'}"
        for a in plan:
            instants: list[tuple[str, str, datetime]] = []
            if a.starts_at is not None:
                instants.append(("starts", "начинается", a.starts_at))
            if a.due_at is not None:
                instants.append(("is due", "должен быть выполнен до", a.due_at))
            for m in a.milestones:
                if m.at is not None:
                    instants.append(
                        (
                            f"has its step “{m.title_en or m.title_ru}” on",
                            f"— шаг «{m.title_ru}» приходится на",
                            m.at,
                        )
                    )
            for en, ru, t in instants:
                if (ps is not None and t < ps) or (pe is not None and t > pe):
                    out.append(
                        Contradiction(
                            "outside_period",
                            (a.number,),
                            f"{_item_ru(a)} {ru} {_ru(t)}, вне периода выборов ({period_ru}).",
                            f"{_item_en(a)} {en} {_en(t)}, outside the election period ({period_en}).",
                        )
                    )
    return out


def activity_label(a: PlannedActivity, lang: str = "en", width: int = 70) -> str:
    """Short ``"12. Title…"`` label for reports."""
    t = a.title_ru if lang == "ru" else a.title_en
    return f"{a.number}. {t if len(t) <= width else t[: width - 1] + '…'}"
