"""Plan templates: parsing and validation from plain dicts (e.g. loaded YAML).

Every problem found while parsing is collected and raised together as one
:class:`~elections.calendar.errors.TemplateError` whose lines name the place
(``activity 12: rule.due.anchor: unknown anchor 'votng_day' ...``).
The format is documented in ``elections/calendar/README.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import TemplateError
from .parse_common import (
    _anchor,
    _as_mapping,
    _bool,
    _check_keys,
    _Errors,
    _glossary,
    _int,
    _party,
    _str,
    parse_date,
    parse_local_datetime,
)
from .parse_rules import (
    _point,
    _rule,
    _topological_order,
)
from .types import (
    _SLUG_RE,
    _TIME_RE,
    WEEKDAYS,
    ActivitySpec,
    AnchorSpec,
    PlanTemplate,
    Point,
    SectionSpec,
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
