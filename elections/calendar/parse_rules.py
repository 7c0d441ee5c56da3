"""Parsing a plan template: points in time and deadline rules, and the computation order that
their references give (a cycle is an error)."""

from __future__ import annotations

from typing import Any

from .errors import CycleError
from .parse_common import (
    _as_mapping,
    _check_keys,
    _Errors,
    _int,
    _join,
    _str,
    parse_local_datetime,
    parse_time,
)
from .types import (
    _NAME_RE,
    _TIME_RE,
    COUNTINGS,
    POINT_OF,
    RULE_KINDS,
    UNDATED_REASONS,
    ActivitySpec,
    Milestone,
    Point,
    Rule,
)

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
