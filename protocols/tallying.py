"""Tallies of stored ballots for the counting engine.

Plurality, approval and party-list contests are tallied by SQL aggregation (one GROUP BY over the
ballots' status and choices; Python sees only the distinct ballots, never each ballot), plus the
counted paper batches. Ranked
contests are streamed from the database in chunks and grouped into identical rankings.
"""

from __future__ import annotations

import json
from collections import Counter

from django.db import connection

from ballots.models import Ballot, Contest, ContestOption
from ballots.selectors import paper_batches


def grouped_ballots(contest: Contest) -> list[tuple[str, list, int]]:
    """(status, choices, number of ballots) per distinct ballot, aggregated by the database in one
    scan (GROUP BY); the Python side then only sees the distinct ballots, never each one."""
    table = Ballot._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT status, choices, COUNT(*) FROM {table} WHERE contest_id = %s GROUP BY status, choices",  # noqa: S608
            [contest.pk],
        )
        rows = cursor.fetchall()
    return [
        (status, choices if isinstance(choices, list) else json.loads(choices), int(n))
        for status, choices, n in rows
    ]


def _tally(contest: Contest) -> tuple[Counter, dict[str, int]]:
    votes: Counter = Counter()
    special = {"blank": 0, "invalid": 0, "late": 0, "valid": 0, "marked": 0}
    for status, choices, n in grouped_ballots(contest):
        if status == Ballot.Status.INVALID:
            special["invalid"] += n
        elif status == Ballot.Status.LATE:
            special["late"] += n
        else:
            special["valid"] += n
            if choices:
                special["marked"] += n
                for code in choices:
                    votes[code] += n
            else:
                special["blank"] += n
    return votes, special


def option_votes_sql(contest: Contest) -> dict[str, int]:
    """Marks per option code over the contest's valid stored ballots, aggregated in the database."""
    return dict(_tally(contest)[0])


def special_ballots(contest: Contest) -> dict[str, int]:
    """Blank, invalid and late ballots among the stored ballots."""
    return _tally(contest)[1]


def contest_tallies(contest: Contest) -> dict:
    """Votes per option code and the special ballots, online and counted paper batches together."""
    votes, special = _tally(contest)
    for batch in paper_batches(contest):
        if batch["status"] != "counted":
            continue
        counted = batch["counted"]
        votes.update(counted["counts"])
        special["blank"] += counted["blank"]
        special["invalid"] += counted["invalid"]
        special["late"] += counted["late"]
        special["valid"] += counted["blank"] + sum(counted["counts"].values())
        special["marked"] += sum(counted["counts"].values())
    return {"votes": dict(votes), **special}


def vote_counts(contest: Contest, tallies: dict):
    """The engine's VoteCounts: options by label, "against all" apart (it never wins a seat)."""
    from protocols.counting import VoteCounts

    options = [o for o in contest.options.all() if o.kind != ContestOption.Kind.AGAINST_ALL]
    against = sum(
        tallies["votes"].get(o.code, 0)
        for o in contest.options.all()
        if o.kind == ContestOption.Kind.AGAINST_ALL
    )
    return VoteCounts(
        options=tuple(o.label_ru for o in options),
        votes=tuple(tallies["votes"].get(o.code, 0) for o in options),
        against_all=against,
        blank=tallies["blank"],
        invalid=tallies["invalid"],
        marked_ballots=tallies["marked"] if contest.method == "approval" else None,
        title=contest.title_ru,
    )


def ranked_profile(contest: Contest, chunk_size: int = 5000):
    """Stream the contest's valid ranked ballots and group identical rankings into a Profile."""
    from protocols.counting import BallotGroup, Profile

    options = [o for o in contest.options.all() if o.kind != ContestOption.Kind.AGAINST_ALL]
    index = {o.code: i for i, o in enumerate(options)}
    groups: Counter = Counter()
    for (choices,) in (
        Ballot.objects.filter(contest=contest, status=Ballot.Status.VALID)
        .values_list("choices")
        .iterator(chunk_size=chunk_size)
    ):
        groups[tuple(index[c] for c in choices if c in index)] += 1
    return Profile(
        candidates=tuple(o.label_ru for o in options),
        seats=contest.seats + (contest.alternates if contest.method != "irv" else 0),
        groups=tuple(BallotGroup(weight=n, ranking=r) for r, n in sorted(groups.items())),
        title=contest.title_ru,
    )
