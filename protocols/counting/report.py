"""Render a :class:`Result` as JSON-ready data, JSON text or a plain-text protocol."""

from __future__ import annotations

import json
from typing import Any

from .types import STATUS_COMPLETE, STATUS_RUNOFF, STATUS_TIE, STATUS_UNFILLED, Result

METHOD_TITLES = {
    "plurality": "Plurality",
    "approval": "Approval voting",
    "majority": "Absolute majority (two-round system)",
    "irv": "Instant-runoff voting",
    "stv-scottish": "STV, Scottish Local Government Elections Order 2007, rules 45-52",
    "stv-meek": "STV, Meek's method (Algorithm 123)",
    "hare": "Hare quota and largest remainders",
    "dhondt": "D'Hondt highest averages",
    "sainte-lague": "Sainte-Laguë highest averages",
}

STATUS_TEXT = {
    STATUS_COMPLETE: "complete",
    STATUS_RUNOFF: "no winner - a runoff is needed",
    STATUS_TIE: "stopped at a tie that the commission must decide",
    STATUS_UNFILLED: "complete, but not every seat could be filled",
}


def to_dict(result: Result) -> dict[str, Any]:
    """Plain JSON-serialisable data (numbers as exact strings)."""
    return result.to_dict()


def to_json(result: Result, indent: int | None = 2) -> str:
    """JSON text of :func:`to_dict` (UTF-8 characters kept as they are)."""
    return json.dumps(to_dict(result), indent=indent, ensure_ascii=False)


def to_text(result: Result) -> str:
    """A human-readable, stage-by-stage protocol of the count."""
    out: list[str] = []
    title = METHOD_TITLES.get(result.method, result.method)
    out.append(f"Count: {title}")
    if result.title:
        out.append(f"Election: {result.title}")
    out.append(f"Engine version: {result.engine_version}")
    out.append(f"Seats: {result.seat_count}")
    if result.quota is not None:
        out.append(f"Quota: {result.quota}")
    for key, value in result.totals.items():
        if key == "quota":
            continue
        out.append(f"{key.replace('_', ' ').capitalize()}: {value}")
    params = {k: v for k, v in result.parameters.items() if v is not None and k != "seats"}
    if params:
        out.append("Parameters: " + ", ".join(f"{k}={_plain(v)}" for k, v in params.items()))
    out.append("")

    width = max([len(n) for n in result.candidates] + [10])
    for stage in result.stages:
        out.append(f"Stage {stage.number}: {stage.description}")
        for name, value in stage.tallies.items():
            line = f"  {name.ljust(width)}  {value:>16}"
            if name in stage.transfers:
                change = stage.transfers[name]
                line += f"  ({change if change.startswith(('+', '-')) else '+' + change})"
            marks = []
            if name in stage.elected:
                marks.append("elected")
            if name in stage.excluded:
                marks.append("excluded")
            if marks:
                line += "  <- " + ", ".join(marks)
            out.append(line)
        if result.method == "stv-meek" and "quota" in stage.details:
            keep = stage.details.get("keep_values", {})
            kept = ", ".join(f"{n} {v}" for n, v in keep.items() if v not in ("1.000000000", "0.000000000"))
            out.append(f"  {'Quota'.ljust(width)}  {stage.details['quota']:>16}")
            if kept:
                out.append(f"  Keep values: {kept}")
        if stage.non_transferable is not None:
            out.append(f"  {'Non-transferable'.ljust(width)}  {stage.non_transferable:>16}")
        if stage.loss is not None:
            out.append(f"  {'Loss by fraction'.ljust(width)}  {stage.loss:>16}")
        for key in ("awards",):
            for award in stage.details.get(key, []):
                out.append(f"  seat {award['seat']}: {award['list']} (average {award['average']})")
        if stage.details.get("remainder_seats"):
            out.append("  largest remainder seats: " + ", ".join(stage.details["remainder_seats"]))
        out.append("")

    if result.ties:
        out.append("Ties:")
        for tie in result.ties:
            where = f"stage {tie.stage}, " if tie.stage is not None else ""
            outcome = f" -> {tie.chosen}" if tie.chosen else " -> unresolved"
            out.append(f"  {where}{tie.context}: {', '.join(tie.candidates)}{outcome}")
            if tie.detail:
                out.append(f"    {tie.detail}")
        out.append("")

    out.append(f"Result: {STATUS_TEXT.get(result.status, result.status)}")
    if result.elected:
        out.append("Elected: " + ", ".join(result.elected))
    if result.seats and any(v != 1 for v in result.seats.values()):
        out.append("Seats: " + ", ".join(f"{k} {v}" for k, v in result.seats.items()))
    if result.alternates:
        out.append("Alternates: " + ", ".join(result.alternates))
    if result.runoff:
        out.append("Runoff between: " + ", ".join(result.runoff))
    if result.unresolved_tie:
        out.append("Tied, for the commission to decide: " + ", ".join(result.unresolved_tie.candidates))
    for note in result.notes:
        out.append(f"Note: {note}")
    return "\n".join(out) + "\n"


def _plain(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)
