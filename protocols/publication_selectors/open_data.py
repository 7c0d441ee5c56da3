"""The results as open data (JSON and CSV rows)."""

from __future__ import annotations

from elections.models import Election

from .pages import (
    election_results,
)
from .rows import (
    ProtocolResult,
)
from .state import (
    published_at,
)
from .turnout import turnout_by_region

# --- open data --------------------------------------------------------------------------------

OPEN_DATA_COLUMNS = [
    "election",
    "contest_id",
    "contest",
    "group",
    "district_number",
    "level",
    "unit_kind",
    "unit_number",
    "unit_name",
    "protocol_id",
    "protocol_version",
    "signed_at",
    "row_type",
    "code",
    "label",
    "value",
    "percent",
    "base",
    "base_value",
    "elected",
    "alternate",
    "seats",
    "left_race",
]


def _protocol_record(r: ProtocolResult) -> dict:
    unit = r.unit
    return {
        "level": r.level,
        "unit": {"kind": unit.kind, "number": unit.number, "name": unit.name_ru} if unit else None,
        "protocol": {
            "id": r.protocol.pk,
            "version": r.version,
            "signed_at": r.signed_at.isoformat() if r.signed_at else None,
            "data_sha256": r.protocol.data_sha256,
        },
        "figures": {f.code: f.value for f in r.figures},
        "valid_ballots": r.valid,
        "options": [
            {
                "code": o.code,
                "label": o.label_ru,
                "label_en": o.label_en,
                "kind": o.kind,
                "votes": o.votes,
                "percent": str(o.percent) if o.percent is not None else None,
                "percent_base": "ballots_valid",
                "elected": o.is_elected,
                "alternate": o.is_alternate,
                "seats": o.seats,
                "left_race": o.left_race,
            }
            for o in r.options
        ],
        "special": [
            {
                "code": s.code,
                "number": s.number,
                "percent": str(s.percent) if s.percent is not None else None,
                "percent_base": s.base,
                "base_value": s.base_value,
            }
            for s in r.special
        ],
        "ties": [
            {
                "place": t["place"],
                "candidates": t["candidate_names"],
                "settled_by": (
                    t["decision"].method
                    if t["decision"] is not None
                    else "earlier_votes"
                    if t["by_earlier_votes"]
                    else None
                ),
                "decided_at": t["decision"].held_at.isoformat() if t["decision"] is not None else None,
                "order": list(t["decision"].order) if t["decision"] is not None else [],
            }
            for t in r.ties
        ],
        "turnout": {
            "base": r.turnout_base,
            "base_value": r.turnout_base_value,
            "voted": r.voted,
            "percent": str(r.turnout_percent) if r.turnout_percent is not None else None,
        },
    }


def open_data(election: Election) -> dict:
    """The published results as one JSON-serialisable document (no personal data: candidates'
    and lists' names as on the ballot, numbers, no voters, no commission members)."""
    results = election_results(election)
    stamp = published_at(election)
    contests = []
    for cr in results:
        c = cr.contest
        protocols = [cr.headline] if cr.headline else []
        protocols += cr.territorial + cr.precincts
        contests.append(
            {
                "id": c.pk,
                "title": c.title_ru,
                "title_en": c.title_en,
                "method": c.method,
                "seats": c.seats,
                "alternates": c.alternates,
                "group": c.group.slug if c.group_id else None,
                "district_number": c.unit.number if c.unit_id else None,
                "result": _protocol_record(cr.headline) if cr.headline else None,
                "lower_protocols": [_protocol_record(p) for p in cr.territorial + cr.precincts],
            }
        )
    return {
        "election": {
            "slug": election.slug,
            "title": election.title_ru,
            "title_en": election.title_en,
            "kind": election.kind,
            "state": election.state,
            "published_at": stamp.isoformat() if stamp else None,
        },
        "percent_bases": {
            "options": "ballots_valid",
            "against_all": "ballots_valid",
            "blank": "ballots_valid",
            "invalid": "ballots_total (group protocols) or ballots_in_boxes (KG protocols)",
            "late": "ballots_total",
        },
        "contests": contests,
        "turnout_by_region": [
            {
                "key": t.key,
                "label": t.label,
                "eligible": t.eligible,
                "voted": t.voted,
                "percent": str(t.percent) if t.percent is not None else None,
            }
            for t in turnout_by_region(election, results)
        ],
    }


def open_data_rows(election: Election) -> list[dict]:
    """The same data in long form, one row per number (the CSV)."""
    rows = []
    for cr in election_results(election):
        c = cr.contest
        protocols = ([cr.headline] if cr.headline else []) + cr.territorial + cr.precincts
        for r in protocols:
            common = {
                "election": election.slug,
                "contest_id": c.pk,
                "contest": c.title_ru,
                "group": c.group.slug if c.group_id else "",
                "district_number": c.unit.number if c.unit_id else "",
                "level": r.level,
                "unit_kind": r.unit.kind if r.unit else "",
                "unit_number": r.unit.number if r.unit else "",
                "unit_name": r.unit.name_ru if r.unit else "",
                "protocol_id": r.protocol.pk,
                "protocol_version": r.version,
                "signed_at": r.signed_at.isoformat() if r.signed_at else "",
            }
            empty = dict.fromkeys(OPEN_DATA_COLUMNS[12:], "")
            for f in r.figures:
                rows.append(
                    {
                        **common,
                        **empty,
                        "row_type": "figure",
                        "code": f.code,
                        "label": f.label,
                        "value": f.value,
                    }
                )
            for o in r.options:
                rows.append(
                    {
                        **common,
                        **empty,
                        "row_type": "option",
                        "code": o.code,
                        "label": o.label,
                        "value": o.votes,
                        "percent": o.percent if o.percent is not None else "",
                        "base": "ballots_valid",
                        "base_value": r.valid if r.valid is not None else "",
                        "elected": int(o.is_elected),
                        "alternate": int(o.is_alternate),
                        "seats": o.seats if o.seats is not None else "",
                        "left_race": int(o.left_race),
                    }
                )
            for s in r.special:
                rows.append(
                    {
                        **common,
                        **empty,
                        "row_type": "special",
                        "code": s.code,
                        "label": s.label,
                        "value": s.number,
                        "percent": s.percent if s.percent is not None else "",
                        "base": s.base,
                        "base_value": s.base_value if s.base_value is not None else "",
                    }
                )
    return rows
