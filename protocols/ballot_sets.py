"""A contest's anonymised ballot set, for anyone to recount (issue 21): the ballots exactly as the
bulletin board publishes them (receipt, status, choices; nothing about who or when), the totals of
the paper batches the commission counted, and what the count needs (method, seats, alternates,
threshold, tie rule and the commission's tie decisions). Public when the board is: after the close.

The file formats and the recount live in the counting engine (``protocols.counting.ballotset``);
``tally --ballots FILE`` counts a downloaded set again, and its fingerprint is the protocol's.
"""

from __future__ import annotations

from ballots.models import Ballot, Contest, ContestOption
from ballots.selectors import ballot_set_formats, contests_of, is_after_close, paper_batches
from elections.models import Election

from . import forms_spec
from .counting.ballotset import BallotSet, PaperBatch, SetBallot, SetOption, to_profile
from .counting.blt import write_blt
from .selectors import current_protocol
from .ties import decisions_for, tie_breaker_for

#: the formats a set is offered in (``ballots.selectors.ballot_set_formats``: BLT for ranked only)
FORMATS = ("json", "csv", "blt")


def is_public(election: Election) -> bool:
    """The sets are public when the bulletin board is: once voting has closed."""
    return is_after_close(election)


def online_contests(election: Election) -> list[Contest]:
    """The contests voted in the portal (ballots stored one by one or paper batches counted in
    it); a council contest counted only at the precincts has no ballot set, its protocols are
    its record."""
    return [c for c in contests_of(election) if ballot_set_formats(c)]


def formats_for(contest: Contest) -> tuple[str, ...]:
    return ballot_set_formats(contest)


def ballot_set(contest: Contest) -> BallotSet:
    """The contest's ballots as the board shows them (sorted by receipt; those without a receipt
    last), the counted paper batches and the count's parameters."""
    options = [
        SetOption(
            o.code,
            o.label_ru,
            "against_all" if o.kind == ContestOption.Kind.AGAINST_ALL else o.kind,
        )
        for o in contest.options.all()
    ]
    rows = Ballot.objects.filter(contest=contest).values_list("receipt", "status", "choices")
    ballots = sorted(
        (SetBallot(receipt, status, tuple(choices)) for receipt, status, choices in rows),
        key=lambda b: (b.receipt is None, b.receipt or "", b.status, b.choices),
    )
    headline = _headline(contest)
    tb = tie_breaker_for(contest, decisions_for(headline) if headline else ())
    return BallotSet(
        options=tuple(options),
        ballots=tuple(ballots),
        batches=tuple(
            PaperBatch(
                batch=b["batch"],
                counts=tuple(sorted(b["counted"]["counts"].items())),
                blank=b["counted"]["blank"],
                invalid=b["counted"]["invalid"],
                late=b["counted"]["late"],
            )
            for b in _counted_batches(contest)
        ),
        title=contest.title_ru,
        method=contest.method,
        seats=contest.seats,
        alternates=contest.alternates,
        threshold=str(contest.threshold_percent) if contest.threshold_percent is not None else None,
        threshold_base=contest.threshold_base if contest.is_list else None,
        tie_rule=tb.rule,
        tie_fallback=tb.fallback,
        tie_decisions=tuple(tuple(d) for d in tb.decisions),
        extra={
            "election": contest.election.slug,
            "contest": {"id": contest.pk, "title_en": contest.title_en},
        },
    )


def ballot_set_blt(contest: Contest) -> str:
    """The valid ranked ballots in BLT (withdrawn candidates none; seats as counted)."""
    return write_blt(to_profile(ballot_set(contest), contest.seats))


def _counted_batches(contest: Contest) -> list[dict]:
    return [b for b in paper_batches(contest) if b["status"] == "counted"]


def _headline(contest: Contest):
    for level in (forms_spec.GROUP, forms_spec.CENTRAL):
        protocol = current_protocol(contest, level)
        if protocol is not None:
            return protocol
    return None
