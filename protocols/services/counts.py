"""Counting a contest with the engine and storing the result (one transaction, audited)."""

from __future__ import annotations

from django.db import transaction

from accounts.permissions import require
from ballots.mixing import ballots_before_count
from ballots.models import Contest
from ballots.selectors import ballot_set_fingerprint
from elections.audit import audit_log

from ..models import ContestCount
from ..tallying import contest_tallies, ranked_profile, vote_counts


@transaction.atomic
def contest_count(*, contest: Contest, actor, tie_breaker=None) -> ContestCount:
    """Count ``contest`` by its method: plurality/approval/party lists from SQL tallies, ranked
    methods from streamed ballots. Stores the report and the engine's version."""
    from protocols.counting import ENGINE_VERSION, count

    if actor is not None:
        require(actor, "protocol.view_draft", contest.election)
    ballots_before_count(contest=contest)  # no online ballot left waiting to be mixed
    if tie_breaker is None:  # the contest's own rule: a tie waits for people, never a machine lot
        from ..ties import tie_breaker_for

        tie_breaker = tie_breaker_for(contest)
    tallies = contest_tallies(contest)
    if contest.is_ranked:
        result = count(
            contest.method, profile=ranked_profile(contest), seats=contest.seats, tie_breaker=tie_breaker
        )
    else:
        kwargs = {"seats": contest.seats, "tie_breaker": tie_breaker}
        if contest.method in ("plurality", "approval"):
            kwargs["alternates"] = contest.alternates
        if contest.is_list and contest.threshold_percent is not None:
            kwargs["threshold"] = str(contest.threshold_percent)
            kwargs["threshold_base"] = contest.threshold_base
        result = count(contest.method, counts=vote_counts(contest, tallies), **kwargs)
    stored = ContestCount.objects.create(
        contest=contest,
        method=contest.method,
        seats=contest.seats,
        tallies=tallies,
        report=result.to_dict(),
        engine_version=ENGINE_VERSION,
        ballots_fingerprint=ballot_set_fingerprint(contest),
        counted_by=actor if actor is not None and actor.pk else None,
    )
    audit_log(
        action="protocols.contest.counted",
        actor=actor,
        obj=stored,
        election=contest.election,
        data={
            "contest": contest.pk,
            "method": contest.method,
            "engine_version": ENGINE_VERSION,
            "elected": list(result.to_dict().get("elected", [])),
            "fingerprint": stored.ballots_fingerprint,
        },
    )
    return stored
