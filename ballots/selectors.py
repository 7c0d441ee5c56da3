"""Reads of the voting app: windows, contests, the bulletin board, turnout, paper batches."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q
from django.utils import timezone

from elections.models import Election
from groups.models import Commission, CommissionMember, TerritorialUnit
from meetings.models import Meeting
from voters.models import RegisterEntry, VoterRegistration, VotingCredential
from voters.regions import REGION_LABELS

from .models import Ballot, Contest, ContestOption, LateAttempt, PaperTally, Participation, VotingSettings


@dataclass(frozen=True)
class VotingWindow:
    status: str  # "not_set" | "before" | "open" | "closed"
    opens_at: datetime | None
    closes_at: datetime | None


CLOSED_STATES = (
    Election.State.COUNTING,
    Election.State.CERTIFIED,
    Election.State.PUBLISHED,
    Election.State.ARCHIVED,
)


def voting_window(election: Election, now: datetime | None = None) -> VotingWindow:
    """Ballots are accepted only while the election is at the voting stage *and* the server clock
    is inside [voting_starts_at, voting_ends_at)."""
    now = now or timezone.now()
    opens, closes = election.voting_starts_at, election.voting_ends_at
    if not (opens and closes):
        return VotingWindow("not_set", opens, closes)
    if election.state in CLOSED_STATES or now >= closes:
        status = "closed"
    elif now < opens:
        status = "before"
    else:
        status = "open" if election.state == Election.State.VOTING else "before"
    return VotingWindow(status, opens, closes)


def is_after_close(election: Election, now: datetime | None = None) -> bool:
    return voting_window(election, now).status == "closed"


def contests_of(election: Election):
    return Contest.objects.filter(election=election).select_related("group", "unit").order_by("title_ru")


def contest_for_credential(credential) -> Contest | None:
    """The contest a voter's credential gives a ballot in: the group (seed 000) or the district of
    the precinct (seed 003)."""
    if credential.registration_id:
        return Contest.objects.filter(
            election_id=credential.election_id, group__voter_registrations__pk=credential.registration_id
        ).first()
    return (
        Contest.objects.filter(election_id=credential.election_id)
        .filter(
            Q(unit__register_entries__pk=credential.entry_id)
            | Q(unit__children__register_entries__pk=credential.entry_id)
        )
        .first()
    )


def voter_credential(election: Election | int, credential_id):
    """The credential kept in a voter's session, with the id of the contest it votes in
    (``contest_id``, or None) — one query, so that casting a vote reads as little as possible.
    ``election`` may be the election or its id."""

    if not isinstance(credential_id, int):
        return None
    sql = f"""
        SELECT c.id, c.election_id, c.registration_id, c.entry_id, c.used_at, c.revoked_at, COALESCE(
          (SELECT k.id FROM {Contest._meta.db_table} k JOIN {VoterRegistration._meta.db_table} r
             ON r.group_id = k.group_id WHERE r.id = c.registration_id AND k.election_id = c.election_id),
          (SELECT k.id FROM {Contest._meta.db_table} k JOIN {RegisterEntry._meta.db_table} e
             ON k.unit_id = e.precinct_id
               OR k.unit_id = (SELECT u.parent_id FROM {TerritorialUnit._meta.db_table} u WHERE u.id = e.precinct_id)
           WHERE e.id = c.entry_id AND k.election_id = c.election_id ORDER BY k.id LIMIT 1)
        ) AS contest_id
        FROM {VotingCredential._meta.db_table} c WHERE c.id = %s AND c.election_id = %s
    """  # noqa: S608 - table names from the models, values as parameters
    election_id = election if isinstance(election, int) else election.pk
    return next(iter(VotingCredential.objects.raw(sql, [credential_id, election_id])), None)


# Locked contests with their options, by id. A contest is locked when voting opens and can never
# change afterwards (services.contest_save / contest_sync_options refuse), so caching it in the
# process is safe; unlocked contests are never cached, and saving or deleting a contest or an
# option evicts it (ballots.apps) in case an id is reused, as test databases do.
_LOCKED_CONTESTS: dict[int, Contest] = {}


def forget_contest(contest_id) -> None:
    _LOCKED_CONTESTS.pop(contest_id, None)


def voting_contest(credential) -> Contest | None:
    """The contest of a credential with its options loaded: from the process cache once the
    contest is locked; the ``contest_id`` of ``voter_credential`` saves the lookup."""
    contest_id = getattr(credential, "contest_id", None)
    if contest_id is None:
        contest = contest_for_credential(credential)
        if contest is None:
            return None
        contest_id = contest.pk
    return locked_contest(contest_id)


def locked_contest(contest_id: int) -> Contest | None:
    """The contest with its options, from the process cache once it is locked."""
    cached = _LOCKED_CONTESTS.get(contest_id)
    if cached is not None:
        return cached
    contest = Contest.objects.prefetch_related("options").filter(pk=contest_id).first()
    if contest is not None and contest.is_locked:
        contest.option_by_code = {o.code: o for o in contest.options.all()}  # for validate_choices
        _LOCKED_CONTESTS[contest_id] = contest
    return contest


# The election of a cast POST (BallotView with a cast token), by slug, cached per process for a
# few seconds. A stale entry cannot let a ballot in after close: the casting statement checks
# the stage and the window by the server clock in SQL, and a refusal re-reads the election.
ELECTION_CACHE_SECONDS = 5.0
_CAST_ELECTIONS: dict[str, tuple[float, Election]] = {}
time_monotonic = time.monotonic


def cast_election(slug: str) -> Election | None:
    """The public election ``slug`` for a cast POST, cached per process for a few seconds; None
    when there is none or it is not public (the view then takes the ordinary path)."""
    now = time_monotonic()
    hit = _CAST_ELECTIONS.get(slug)
    if hit is not None and now - hit[0] < ELECTION_CACHE_SECONDS:
        return hit[1]
    election = Election.objects.filter(slug=slug).first()
    if election is None or not election.is_public:
        _CAST_ELECTIONS.pop(slug, None)
        return None
    _CAST_ELECTIONS[slug] = (now, election)
    return election


def forget_cast_elections() -> None:
    _CAST_ELECTIONS.clear()


def options_for_voter(contest: Contest, seed: str | None = None) -> list[ContestOption]:
    """The options in ballot order: alphabetical, or a fresh random order for each voter (seeded
    by the session, so a reload keeps it); "against all" always last."""
    import random

    options = list(contest.options.all())
    fixed = [o for o in options if o.kind != ContestOption.Kind.AGAINST_ALL]
    last = [o for o in options if o.kind == ContestOption.Kind.AGAINST_ALL]
    if contest.option_order == Contest.Order.RANDOM:
        random.Random(seed).shuffle(fixed)  # noqa: S311 - display order, not a secret
    else:
        fixed.sort(key=lambda o: (o.label.casefold(), o.position))
    return fixed + last


def has_voted(election: Election, elector: str) -> bool:
    return Participation.objects.filter(election=election, elector=elector).exists()


# --- bulletin board -------------------------------------------------------------------------


def board_rows(contest: Contest) -> list[dict]:
    """Every online ballot by its receipt, with its anonymised content; ordered by the random
    receipt codes, which shuffles them."""
    labels = {o.code: o.label for o in contest.options.all()}
    rows = []
    for receipt, choices, status in (
        Ballot.objects.filter(contest=contest, receipt__isnull=False)
        .order_by("receipt")
        .values_list("receipt", "choices", "status")
    ):
        rows.append({"receipt": receipt, "choices": [labels.get(c, c) for c in choices], "status": status})
    return rows


def ballot_set_fingerprint(contest: Contest) -> str:
    """SHA-256 of the contest's ballot set: one canonical JSON line per ballot (receipt or "-",
    status, choices as option codes), sorted, joined by newlines. The protocol prints it."""
    lines = sorted(
        json.dumps([r or "-", s, c], ensure_ascii=False, separators=(",", ":"))
        for r, s, c in Ballot.objects.filter(contest=contest).values_list("receipt", "status", "choices")
    )
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def ballot_set_formats(contest: Contest) -> tuple[str, ...]:
    """The files a contest's anonymised ballot set is published in (the public API serves them):
    none for a contest with no ballot stored or counted in the portal, BLT for ranked ones only."""
    if not (
        Ballot.objects.filter(contest=contest).exists()
        or any(b["status"] == "counted" for b in paper_batches(contest))
    ):
        return ()
    return ("json", "csv", "blt") if contest.is_ranked else ("json", "csv")


def find_receipt(election: Election, receipt: str) -> dict | None:
    """The ballot of a receipt code as the voter typed it (any case, with or without dashes or
    spaces): None when there is none or the text is not a receipt code."""
    from .models import parse_receipt_code

    receipt = parse_receipt_code(receipt)
    if receipt is None:
        return None
    ballot = (
        Ballot.objects.filter(contest__election=election, receipt=receipt).select_related("contest").first()
    )
    if ballot is None:
        return None
    labels = {o.code: o.label for o in ballot.contest.options.all()}
    return {
        "receipt": ballot.receipt,
        "contest": ballot.contest,
        "choices": [labels.get(c, c) for c in ballot.choices],
        "status": ballot.status,
    }


# --- turnout --------------------------------------------------------------------------------


def eligible_count(contest: Contest) -> int:
    if contest.group_id:
        return VoterRegistration.objects.filter(group_id=contest.group_id, status="accepted").count()
    return RegisterEntry.objects.filter(Q(precinct=contest.unit) | Q(precinct__parent=contest.unit)).count()


@dataclass(frozen=True)
class PrecinctTurnout:
    """Turnout of a contest voted on paper at precincts, as the precinct commissions reported it
    (the app that keeps the reports registers where it comes from: ``register_precinct_turnout``).

    ``time`` is the latest hour at which any of the contest's precincts reported (None: none has
    reported yet); ``voters`` and ``percent`` are those precincts' figures at that hour, the
    percentage of their lists, exactly as the turnout-by-hour page shows them."""

    time: str | None
    voters: int
    percent: float | None
    reported: int
    precincts: int
    on_list: int  # voters on the lists of all the contest's precincts


PrecinctTurnoutSource = Callable[[Election], dict[int, PrecinctTurnout]]
_PRECINCT_TURNOUT: list[PrecinctTurnoutSource] = []


def register_precinct_turnout(function: PrecinctTurnoutSource) -> None:
    """Register ``function(election) -> {contest id: PrecinctTurnout}`` for the contests voted at
    precincts (the polling app's turnout reports); registering it again is a no-op."""
    if function not in _PRECINCT_TURNOUT:
        _PRECINCT_TURNOUT.append(function)


def precinct_turnout(election: Election) -> dict[int, PrecinctTurnout]:
    """By contest id: the turnout of the contests voted at precincts (the first source that knows)."""
    figures: dict[int, PrecinctTurnout] = {}
    for source in _PRECINCT_TURNOUT:
        for contest_id, row in source(election).items():
            figures.setdefault(contest_id, row)
    return figures


def turnout(election: Election) -> list[dict]:
    """Per contest: eligible voters, who voted by channel, and the percentage. No results.

    A contest voted on paper at precincts is not counted through the portal: its row carries the
    precinct commissions' turnout reports instead (``precincts``; ``voted`` None while no precinct
    has reported), never a 0 that only means "nobody voted online"."""
    rows = []
    by_contest = {
        (r["contest"], r["channel"]): r["n"]
        for r in Participation.objects.filter(election=election)
        .values("contest", "channel")
        .annotate(n=Count("pk"))
    }
    at_precincts = precinct_turnout(election)
    for contest in contests_of(election):
        channels = {
            ch: by_contest.get((contest.pk, ch), 0) for ch in ("online", "assembly", "paper", "email")
        }
        voted = sum(channels.values())
        reported = at_precincts.get(contest.pk)
        if reported is not None and (reported.time is not None or not voted):
            rows.append(
                {
                    "contest": contest,
                    "eligible": reported.on_list,
                    "voted": reported.voters if reported.time is not None else None,
                    "channels": None,
                    "precincts": reported,
                    "percent": reported.percent if reported.time is not None else None,
                }
            )
            continue
        eligible = eligible_count(contest)
        rows.append(
            {
                "contest": contest,
                "eligible": eligible,
                "voted": voted,
                "channels": channels,
                "precincts": None,
                "percent": round(voted * 100 / eligible, 1) if eligible else None,
            }
        )
    return rows


def turnout_by_region(election: Election) -> list[dict]:
    """For group elections: who voted per region of the registered voters (seed 000 geography);
    ``region`` is the stored code, ``label`` the region's name in the active language."""
    voted = {
        int(e.split(":", 1)[1])
        for e in Participation.objects.filter(
            election=election, elector__startswith="registration:"
        ).values_list("elector", flat=True)
    }
    regions: dict[str, dict] = {}
    for pk, region in VoterRegistration.objects.filter(election=election, status="accepted").values_list(
        "pk", "region"
    ):
        row = regions.setdefault(
            region or "—",
            {
                "region": region or "—",
                "label": REGION_LABELS.get(region, region or "—"),
                "eligible": 0,
                "voted": 0,
            },
        )
        row["eligible"] += 1
        row["voted"] += pk in voted
    return sorted(regions.values(), key=lambda r: r["region"])


def late_attempts(contest: Contest) -> int:
    return LateAttempt.objects.filter(contest=contest).count()


# --- paper ballots ---------------------------------------------------------------------------


def counting_commission(user, contest: Contest):
    """The commission the user counts ``contest`` for: the mandate/counting commission of the group
    (seed 000), or a TEC/PEC of the district and its precincts (seed 003)."""

    memberships = CommissionMember.objects.filter(user=user, is_active=True).select_related("commission")
    for m in memberships:
        c: Commission = m.commission
        if c.election_id != contest.election_id:
            continue
        if contest.group_id and c.group_id == contest.group_id:
            return c
        if (
            contest.unit_id
            and c.unit_id
            and (c.unit_id == contest.unit_id or getattr(c.unit, "parent_id", None) == contest.unit_id)
        ):
            return c
    return None


def may_order_recount(user, contest: Contest) -> bool:
    """The chair or deputy chair of the commission that counts ``contest``."""
    commission = counting_commission(user, contest)
    return (
        commission is not None
        and CommissionMember.objects.filter(
            commission=commission, user=user, is_active=True, position__in=("chair", "deputy")
        ).exists()
    )


def voting_settings(election: Election) -> VotingSettings:
    return VotingSettings.objects.filter(election=election).first() or VotingSettings(election=election)


def paper_batches(contest: Contest) -> list[dict]:
    """Each batch with its current entries; with double entry a batch counts when two members'
    entries match. A mismatch lists the lines that differ, with who entered what, for the chair to
    order a recount; entries superseded by a recount are kept apart (``superseded``) for the record
    and never count (issue 15: no batch stays stuck)."""
    double = voting_settings(contest.election).double_entry
    labels = {o.code: o.label for o in contest.options.all()}
    batches: dict[str, dict] = {}
    for tally in (
        PaperTally.objects.filter(contest=contest)
        .select_related("entered_by", "superseded_by")
        .order_by("batch", "entered_at", "pk")
    ):
        batch = batches.setdefault(tally.batch, {"current": [], "superseded": []})
        batch["superseded" if tally.superseded_at else "current"].append(tally)
    result = []
    for name, parts in batches.items():
        entries = parts["current"]
        totals = [e.totals() for e in entries]
        if not entries:
            status, counted = "recount_ordered", None
        elif not double:
            status, counted = "counted", totals[0]
        elif len(entries) < 2:
            status, counted = "waiting_second_entry", None
        elif all(t == totals[0] for t in totals):
            status, counted = "counted", totals[0]
        else:
            status, counted = "mismatch", None
        result.append(
            {
                "batch": name,
                "entries": entries,
                "status": status,
                "counted": counted,
                "lines": _entry_lines(entries, labels),
                "superseded": parts["superseded"],
            }
        )
    return result


def _entry_lines(entries, labels: dict) -> list[dict]:
    """The lines of the entries side by side: each option (in ballot order), blank, invalid, late,
    with ``differs`` where the members' figures are not the same."""
    from django.utils.translation import gettext as _

    rows = [(labels[code], lambda e, c=code: int(e.counts.get(c, 0))) for code in labels]
    rows += [
        (_("Blank ballots"), lambda e: e.blank),
        (_("Invalid ballots"), lambda e: e.invalid),
        (_("Late ballots"), lambda e: e.late),
    ]
    lines = []
    for label, value in rows:
        values = [value(e) for e in entries]
        lines.append({"label": label, "values": values, "differs": len(set(values)) > 1})
    return lines


def find_voters(contest: Contest, query: str) -> list[dict]:
    """For the commission's paper-entry page: voters of the contest matching a name, e-mail or personal number (at most 20)."""
    found = []
    if contest.group_id:
        qs = VoterRegistration.objects.filter(group_id=contest.group_id, status="accepted").filter(
            Q(name__icontains=query) | Q(email__icontains=query)
        )[:20]
        found = [
            {
                "key": f"registration:{r.pk}",
                "label": f"{r.name} <{r.email}>",
                "voted": has_voted(contest.election, f"registration:{r.pk}"),
            }
            for r in qs
        ]
    else:
        qs = RegisterEntry.objects.filter(Q(precinct=contest.unit) | Q(precinct__parent=contest.unit)).filter(
            Q(personal_number=query) | Q(last_name__icontains=query)
        )[:20]
        found = [
            {
                "key": f"entry:{e.pk}",
                "label": f"{e.full_name}, {e.birth_date:%d.%m.%Y}",
                "voted": has_voted(contest.election, f"entry:{e.pk}"),
            }
            for e in qs
        ]
    return found


def voter_by_key(contest: Contest, key: str):
    kind, _sep, pk = key.partition(":")
    if not pk.isdigit():
        return None
    if kind == "registration" and contest.group_id:
        return VoterRegistration.objects.filter(pk=pk, group_id=contest.group_id, status="accepted").first()
    if kind == "entry" and contest.unit_id:
        return RegisterEntry.objects.filter(
            Q(precinct=contest.unit) | Q(precinct__parent=contest.unit), pk=pk
        ).first()
    return None


def assemblies_of(contest: Contest) -> list[Meeting]:
    """The assemblies of voters (seed 000 item 20) a batch of the contest's paper ballots may have
    been cast at: those of the election not cancelled — of the contest's group's bodies, or of the
    secretariat — newest first."""
    meetings = Meeting.objects.filter(election_id=contest.election_id, kind=Meeting.Kind.ASSEMBLY).exclude(
        status=Meeting.Status.CANCELLED
    )
    if contest.group_id:
        meetings = meetings.filter(Q(commission__isnull=True) | Q(commission__group_id=contest.group_id))
    return list(meetings.order_by("-starts_at", "-pk"))
