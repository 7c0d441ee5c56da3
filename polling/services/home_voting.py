"""Voting out of the premises (seed 003 item 44: held only on the day before voting day).

* ``home_request_register`` — a PEC member registers a voter's request to vote where the voter is
  (illness, disability…), with the reason and how it came; numbered in the precinct's register.
* ``mobile_run_record`` — the run of the mobile ballot box: the day before voting day, at least two
  members, the ballots taken, issued and returned per contest, the requests served. Every ballot
  issued goes to a registered request; taken = issued + returned, or the difference is explained.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ballots.models import Contest
from elections.audit import audit_log

from .. import plan
from ..models import HomeVotingRequest, MobileRun
from ._common import local, members_of, not_in_future, pec_member, refuse, require_not_frozen, voting_day
from .print_run import precincts_of


def contests_at(unit) -> list[Contest]:
    """The contests voted at the precinct ``unit``."""
    found = []
    for contest in Contest.objects.filter(election_id=unit.election_id, unit__isnull=False).select_related(
        "unit"
    ):
        if any(p.pk == unit.pk for p in precincts_of(contest)):
            found.append(contest)
    return sorted(found, key=lambda c: c.pk)


def eve_of_voting(election) -> dt.date | None:
    day = voting_day(election)
    return day - dt.timedelta(days=1) if day else None


@transaction.atomic
def home_request_register(
    *, unit, actor, voter_name: str, address: str, reason: str, how: str, received_at
) -> HomeVotingRequest:
    """Register a voter's request to vote out of the premises."""
    member = pec_member(actor, unit)
    election = unit.election
    require_not_frozen(election, unit)
    texts = {"voter_name": voter_name.strip(), "address": address.strip(), "reason": reason.strip()}
    if not all(texts.values()):
        refuse(
            _("Give the voter's name, the address where the voter is, and why the voter cannot come."),
            "incomplete",
        )
    if how not in HomeVotingRequest.How.values:
        refuse(_("Say how the request was made."), "how")
    not_in_future(received_at, _("when the request was received"))
    eve = eve_of_voting(election)
    if eve is not None and local(election, received_at).date() > eve:
        refuse(
            _("Requests are received until the mobile ballot box goes out, on %(date)s.")
            % {"date": eve.strftime("%d.%m.%Y")},
            "late",
        )
    HomeVotingRequest.objects.select_for_update().filter(unit=unit).exists()
    number = (HomeVotingRequest.objects.filter(unit=unit).aggregate(n=Max("number"))["n"] or 0) + 1
    request = HomeVotingRequest(
        election=election,
        unit=unit,
        number=number,
        how=how,
        received_at=received_at,
        received_by_name=actor.get_full_name() or actor.email,
        recorded_by=actor,
        **texts,
    )
    request.full_clean()
    request.save()
    audit_log(
        action="polling.home_request.registered",
        actor=actor,
        obj=request,
        election=election,
        data={"precinct": unit.number, "number": number, "how": how, "member": member.pk},
    )
    return request


def _counts(unit, counts: dict) -> dict[str, dict[str, int]]:
    """{contest id: {"taken", "issued", "returned"}} for every contest of the precinct."""
    cleaned = {}
    for contest in contests_at(unit):
        row = counts.get(str(contest.pk)) or counts.get(contest.pk) or {}
        values = {}
        for key in ("taken", "issued", "returned"):
            try:
                values[key] = int(row.get(key) or 0)
            except (TypeError, ValueError):
                refuse(_("Enter whole numbers of ballots."), "not_a_number")
            if values[key] < 0:
                refuse(_("Numbers of ballots cannot be negative."), "negative")
        if values["issued"] > values["taken"]:
            refuse(
                _("%(contest)s: more ballots issued (%(issued)s) than taken (%(taken)s).")
                % {"contest": contest.title, **values},
                "issued_over_taken",
            )
        cleaned[str(contest.pk)] = values
    if not cleaned:
        refuse(_("No ballot is voted at this precinct."), "no_contests")
    return cleaned


@transaction.atomic
def mobile_run_record(
    *,
    unit,
    actor,
    box: str,
    left_at,
    returned_at,
    member_ids,
    counts: dict,
    request_ids=(),
    explanation: str = "",
) -> MobileRun:
    """Record a run of the mobile ballot box and the requests it served."""
    pec_member(actor, unit)
    election = unit.election
    require_not_frozen(election, unit)
    if not box.strip():
        refuse(_("Give the number or the seal of the mobile ballot box."), "box")
    not_in_future(left_at, _("when the members left"))
    not_in_future(returned_at, _("when they returned"))
    if returned_at <= left_at:
        refuse(_("The members return after they leave."), "times")
    eve = eve_of_voting(election)
    if eve is not None and (
        local(election, left_at).date() != eve or local(election, returned_at).date() != eve
    ):
        refuse(
            _("Voting out of the premises is held only on the day before voting day, %(date)s.")
            % {"date": eve.strftime("%d.%m.%Y")},
            "not_the_eve",
        )
    from ._common import pec_of

    members = members_of(pec_of(unit), member_ids)
    if len(members) < 2:
        refuse(_("At least two members of the commission take the mobile ballot box."), "two_members")
    counts = _counts(unit, counts)
    requests = list(
        HomeVotingRequest.objects.select_for_update().filter(
            unit=unit, pk__in=[int(i) for i in request_ids or []]
        )
    )
    if len(requests) != len(set(request_ids or [])):
        refuse(_("Choose requests registered at this precinct."), "requests")
    served_elsewhere = [r for r in requests if r.run_id is not None]
    if served_elsewhere:
        refuse(
            _("Request № %(number)s was served by another run.") % {"number": served_elsewhere[0].number},
            "served",
        )
    late = [r for r in requests if r.received_at > left_at]
    if late:
        refuse(
            _("Request № %(number)s was received after the box left.") % {"number": late[0].number},
            "late_request",
        )
    for row in counts.values():
        if row["issued"] > len(requests):
            refuse(
                _(
                    "%(issued)s ballots issued but %(served)s requests served: every ballot issued out of "
                    "the premises goes to a voter whose request is registered. Tick the requests served."
                )
                % {"issued": row["issued"], "served": len(requests)},
                "issued_over_requests",
            )
    unbalanced = [row for row in counts.values() if row["taken"] != row["issued"] + row["returned"]]
    if unbalanced and not explanation.strip():
        row = unbalanced[0]
        refuse(
            _(
                "Taken %(taken)s, issued %(issued)s, returned %(returned)s: the ballots taken must equal "
                "those issued plus those returned. Correct the numbers or explain the difference."
            )
            % row,
            "unbalanced",
        )
    run = MobileRun(
        election=election,
        unit=unit,
        box=box.strip(),
        left_at=left_at,
        returned_at=returned_at,
        counts=counts,
        explanation=explanation.strip(),
        recorded_by=actor,
    )
    run.full_clean(exclude=["members"])
    run.save()
    run.members.set(members)
    for request in requests:
        request.run = run
        request.status = HomeVotingRequest.Status.VOTED
        request.save(update_fields=["run", "status"])
    audit_log(
        action="polling.mobile_run.recorded",
        actor=actor,
        obj=run,
        election=election,
        data={
            "precinct": unit.number,
            "box": run.box,
            "members": [m.pk for m in members],
            "counts": counts,
            "requests": sorted(r.number for r in requests),
            "explanation": run.explanation,
        },
    )
    _home_fulfil(election, returned_at)
    return run


def _home_fulfil(election, when) -> None:
    """Item 44 is done once the mobile ballot box has gone out and no registered request is left
    unserved at any precinct."""
    if not MobileRun.objects.filter(election=election).exists():
        return
    if HomeVotingRequest.objects.filter(
        election=election, status=HomeVotingRequest.Status.REGISTERED
    ).exists():
        return
    plan.complete(
        election,
        "home",
        _("Voting out of the premises held: %(runs)s runs of the mobile ballot box, every request served.")
        % {"runs": MobileRun.objects.filter(election=election).count()},
        when,
    )


@transaction.atomic
def home_request_not_voted(*, request: HomeVotingRequest, actor, note: str) -> HomeVotingRequest:
    """The members came but the voter did not vote (not at home, changed their mind…)."""
    pec_member(actor, request.unit)
    require_not_frozen(request.election, request.unit)
    request = HomeVotingRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != HomeVotingRequest.Status.REGISTERED:
        refuse(_("This request has been served already."), "served")
    if not note.strip():
        refuse(_("Say why the voter did not vote."), "note")
    request.status = HomeVotingRequest.Status.NOT_VOTED
    request.outcome_note = note.strip()
    request.save(update_fields=["status", "outcome_note"])
    audit_log(
        action="polling.home_request.not_voted",
        actor=actor,
        obj=request,
        election=request.election,
        data={"precinct": request.unit.number, "number": request.number},
    )
    _home_fulfil(request.election, timezone.now())
    return request
