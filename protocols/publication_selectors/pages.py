"""What a results page shows: the signed protocols of an election, a group, a district, a precinct."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.http import Http404

from ballots.models import Contest, ContestOption
from elections.models import Election
from groups.models import ElectoralGroup, TerritorialUnit

from .. import forms_spec
from ..models import Protocol, ProtocolDocument
from .rows import (
    DOCUMENT_LANGUAGES,
    OptionRow,
    ProtocolResult,
    _int,
    protocol_result,
)
from .state import (
    HEADLINE_LEVELS,
    is_published,
)

# --- what a page shows ------------------------------------------------------------------------


def _signed_document(language: str) -> Subquery:
    """The id of a protocol's first signed PDF copy in ``language`` (a subquery in the protocols'
    own query, so the pages cost no extra query however many protocols they list)."""
    return Subquery(
        ProtocolDocument.objects.filter(protocol=OuterRef("pk"), language=language, is_signed=True)
        .order_by("copy")
        .values("pk")[:1]
    )


def _signed(election: Election):
    return (
        Protocol.objects.filter(election=election, status=Protocol.Status.SIGNED)
        .select_related("contest", "contest__group", "contest__unit", "unit", "unit__parent")
        .annotate(**{f"pdf_{lang}": _signed_document(lang) for lang in DOCUMENT_LANGUAGES})
        .prefetch_related(
            Prefetch("contest__options", queryset=ContestOption.objects.order_by("position", "pk"))
        )
        .order_by("contest__group__order", "contest__unit__number", "contest__title_ru", "unit__number")
    )


@dataclass
class ContestResults:
    """A contest's official (headline) result with the lower protocols published beside it."""

    contest: Contest
    headline: ProtocolResult | None
    territorial: list[ProtocolResult] = field(default_factory=list)
    precincts: list[ProtocolResult] = field(default_factory=list)

    @property
    def options(self) -> list[OptionRow]:
        return self.headline.options if self.headline else []

    @property
    def option_columns(self) -> list[ContestOption]:
        """Ballot options in ballot order (columns of the precinct table)."""
        return list(self.contest.options.all())

    @property
    def precinct_table(self) -> list[dict]:
        """One row per precinct protocol: the result and the votes in ballot order."""
        columns = self.option_columns
        return [
            {"result": r, "votes": [_int((r.protocol.votes or {}).get(o.code)) or 0 for o in columns]}
            for r in self.precincts
        ]


def _group_by_contest(protocols) -> list[ContestResults]:
    by_contest: dict[int, dict[str, list[Protocol]]] = {}
    contests: dict[int, Contest] = {}
    for p in protocols:
        contests.setdefault(p.contest_id, p.contest)
        by_contest.setdefault(p.contest_id, {}).setdefault(p.level, []).append(p)
    result = []
    for contest_id, levels in by_contest.items():
        contest = contests[contest_id]
        options = list(contest.options.all())
        headline = next((levels[lv][0] for lv in HEADLINE_LEVELS if levels.get(lv)), None)
        result.append(
            ContestResults(
                contest=contest,
                headline=protocol_result(headline, options) if headline else None,
                territorial=[
                    protocol_result(p, options)
                    for p in levels.get(forms_spec.TERRITORIAL, [])
                    if p is not headline
                ],
                precincts=[protocol_result(p, options) for p in levels.get(forms_spec.PRECINCT, [])],
            )
        )
    return result


def election_results(election: Election) -> list[ContestResults]:
    """Every contest of a published election with its signed protocols (empty before)."""
    if not is_published(election):
        return []
    return _group_by_contest(_signed(election))


def group_results(election: Election, group_slug: str) -> tuple[object, list[ContestResults]]:
    """A CCM electoral group and its published result (404 for an unknown group)."""

    try:
        group = ElectoralGroup.objects.get(election=election, slug=group_slug)
    except ElectoralGroup.DoesNotExist:
        raise Http404 from None
    if not is_published(election):
        return group, []
    return group, _group_by_contest(_signed(election).filter(contest__group=group))


def district_results(election: Election, number: int) -> tuple[object, list[ContestResults]]:
    """A KG district (council) with its result, its territorial summary and its precincts."""

    try:
        district = TerritorialUnit.objects.get(
            election=election, kind=TerritorialUnit.Kind.DISTRICT, number=number
        )
    except TerritorialUnit.DoesNotExist:
        raise Http404 from None
    if not is_published(election):
        return district, []
    results = _group_by_contest(
        _signed(election).filter(Q(contest__unit=district) | Q(unit=district) | Q(unit__parent=district))
    )
    for cr in results:  # a contest spanning several districts: only this district's protocols
        cr.territorial = [r for r in cr.territorial if r.protocol.unit_id == district.pk]
        cr.precincts = [r for r in cr.precincts if r.unit is not None and r.unit.parent_id == district.pk]
    return district, results


def precinct_results(election: Election, number: int) -> tuple[object, list[ProtocolResult]]:
    """A KG precinct and its signed precinct protocols."""

    try:
        precinct = TerritorialUnit.objects.select_related("parent").get(
            election=election, kind=TerritorialUnit.Kind.PRECINCT, number=number
        )
    except TerritorialUnit.DoesNotExist:
        raise Http404 from None
    if not is_published(election):
        return precinct, []
    return precinct, [
        protocol_result(p, list(p.contest.options.all()))
        for p in _signed(election).filter(level=forms_spec.PRECINCT, unit=precinct)
    ]
