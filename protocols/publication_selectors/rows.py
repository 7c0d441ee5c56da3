"""One protocol's published figures as rows: options, special lines, figures, documents."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from ballots.models import Contest, ContestOption

from .. import forms_spec
from ..models import Protocol
from ..ties import tie_rows
from .state import (
    BASE_LABELS,
    SPECIAL_LABELS,
    percent,
)

# --- rows -------------------------------------------------------------------------------------


@dataclass
class OptionRow:
    code: str
    label: str
    label_ru: str
    label_en: str
    detail: str
    kind: str
    position: int
    votes: int
    percent: Decimal | None
    is_elected: bool = False
    is_alternate: bool = False
    seats: int | None = None
    left_race: bool = False


@dataclass
class SpecialRow:
    code: str  # against_all, blank, invalid, late
    label: str
    number: int
    percent: Decimal | None
    base: str  # a figure code of BASE_LABELS
    base_label: str
    base_value: int | None


@dataclass
class FigureRow:
    code: str
    number: str
    label: str
    value: int | None


@dataclass
class PublicDocument:
    """A stored, digitally signed PDF of a protocol, linked from the results pages
    (``protocols:document``, public once the results are published)."""

    pk: int
    language: str


@dataclass
class ProtocolResult:
    protocol: Protocol
    contest: Contest
    level: str
    level_label: str
    unit: object | None
    figures: list[FigureRow]
    options: list[OptionRow]
    special: list[SpecialRow]
    valid: int | None
    cast_base: str  # base of invalid/late: ballots_total (group) or ballots_in_boxes (KG)
    cast_value: int | None
    turnout_base: str
    turnout_base_value: int | None
    voted: int | None
    turnout_percent: Decimal | None
    decision_text: str = ""
    signed_at: datetime | None = None
    version: int = 1
    documents: list[PublicDocument] = field(default_factory=list)
    #: the ties of the count and how each was settled (``protocols.ties.tie_rows``): a lot drawn
    #: by the commission is published with the result it decided
    ties: list[dict] = field(default_factory=list)

    @property
    def valid_label(self) -> str:
        return str(BASE_LABELS["ballots_valid"])

    @property
    def cast_label(self) -> str:
        return str(BASE_LABELS[self.cast_base])

    @property
    def elected(self) -> list[OptionRow]:
        return [r for r in self.options if r.is_elected]

    @property
    def alternates(self) -> list[OptionRow]:
        return [r for r in self.options if r.is_alternate]

    @property
    def chart_dom_id(self) -> str:
        return f"votes-chart-{self.protocol.pk}"

    @property
    def chart_height(self) -> int:
        """Height of the bar chart in rem: room for every bar."""
        return 4 + 2 * (len(self.options) + sum(1 for s in self.special if s.code == "against_all"))

    @property
    def chart(self) -> dict:
        """Data of the votes bar chart (the same numbers are in the table)."""
        rows = list(self.options) + [s for s in self.special if s.code == "against_all"]
        return {
            "labels": [r.label for r in rows],
            "votes": [r.votes if isinstance(r, OptionRow) else r.number for r in rows],
            "percent": [float(r.percent) if r.percent is not None else None for r in rows],
        }


def _int(value) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _matches(option: ContestOption, names) -> bool:
    names = set(names or ())
    return option.code in names or option.label_ru in names


def _seats(option: ContestOption, seats: dict) -> int | None:
    for key in (option.code, option.label_ru):
        if key in seats:
            return _int(seats[key])
    return None


def protocol_result(protocol: Protocol, options: list[ContestOption] | None = None) -> ProtocolResult:
    """The published result of one signed protocol: options with votes and percent of the valid
    ballots, elected and left-the-race marks, and the special lines with their bases."""
    contest = protocol.contest
    if options is None:
        options = list(contest.options.all())
    figures = protocol.figures or {}
    votes = protocol.votes or {}
    outcome = protocol.outcome or {}
    is_group = protocol.level == forms_spec.GROUP
    valid = _int(figures.get("ballots_valid"))
    cast_base = "ballots_total" if is_group else "ballots_in_boxes"
    cast_value = _int(figures.get(cast_base))
    seats = outcome.get("seats") or {}

    rows: list[OptionRow] = []
    special: list[SpecialRow] = []
    for option in options:
        n = _int(votes.get(option.code)) or 0
        if option.kind == ContestOption.Kind.AGAINST_ALL:
            special.append(
                SpecialRow(
                    code="against_all",
                    label=option.label or str(SPECIAL_LABELS["against_all"]),
                    number=n,
                    percent=percent(n, valid),
                    base="ballots_valid",
                    base_label=str(BASE_LABELS["ballots_valid"]),
                    base_value=valid,
                )
            )
            continue
        n_seats = _seats(option, seats) if contest.is_list else None
        rows.append(
            OptionRow(
                code=option.code,
                label=option.label,
                label_ru=option.label_ru,
                label_en=option.label_en,
                detail=option.detail,
                kind=option.kind,
                position=option.position,
                votes=n,
                percent=percent(n, valid),
                is_elected=_matches(option, outcome.get("elected")) or bool(n_seats),
                is_alternate=_matches(option, outcome.get("alternates")),
                seats=n_seats,
                left_race=option.left_race,
            )
        )
    rows.sort(key=lambda r: (-r.votes, r.position))

    def add(code, figure, base, base_value):
        number = _int(figures.get(figure))
        if number is None:
            return  # the line is not on this level's form (e.g. no "late" on a KG protocol)
        special.append(
            SpecialRow(
                code=code,
                label=str(SPECIAL_LABELS[code]),
                number=number,
                percent=percent(number, base_value),
                base=base,
                base_label=str(BASE_LABELS[base]),
                base_value=base_value,
            )
        )

    add("blank", "ballots_blank", "ballots_valid", valid)
    add("invalid", "ballots_invalid", cast_base, cast_value)
    add("late", "ballots_late", cast_base, cast_value)
    order = {"against_all": 0, "blank": 1, "invalid": 2, "late": 3}
    special.sort(key=lambda s: order[s.code])

    if is_group:
        turnout_base, voted = "voters_registered", _int(figures.get("voters_voted"))
    else:
        turnout_base = "voters_on_list"
        issued = [_int(figures.get(c)) for c in ("ballots_issued_premises", "ballots_issued_outside")]
        voted = None if all(v is None for v in issued) else sum(v or 0 for v in issued)
    turnout_base_value = _int(figures.get(turnout_base))

    return ProtocolResult(
        protocol=protocol,
        contest=contest,
        level=protocol.level,
        level_label=str(protocol.get_level_display()),
        unit=protocol.unit,
        figures=[
            FigureRow(
                code=line.code, number=line.number, label=str(line.label), value=_int(figures.get(line.code))
            )
            for line in forms_spec.lines_for(protocol.level)
            if line.code in figures
        ],
        options=rows,
        special=special,
        valid=valid,
        cast_base=cast_base,
        cast_value=cast_value,
        turnout_base=turnout_base,
        turnout_base_value=turnout_base_value,
        voted=voted,
        turnout_percent=percent(voted, turnout_base_value),
        decision_text=protocol.decision_text,
        ties=tie_rows(protocol) if outcome.get("ties") else [],
        signed_at=protocol.frozen_at,
        version=protocol.version,
        documents=[
            PublicDocument(pk=pk, language=language)
            for language in DOCUMENT_LANGUAGES
            if (pk := getattr(protocol, f"pdf_{language}", None))
        ],
    )


#: languages of the signed PDFs linked from the results pages (copy 1 of each)
DOCUMENT_LANGUAGES = ("ru", "kk", "ky", "en")
