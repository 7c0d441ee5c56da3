"""The print run of the ballots (seed 003 item 41): calculated from the frozen voter lists with
the reserve norm, ordered from the printing house, recorded as produced. A change after the order
is a new version with its reason; the old one stays visible as replaced."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ballots.approval import not_approved
from ballots.models import Contest
from elections.audit import audit_log
from elections.models import Election
from groups.models import TerritorialUnit
from voters.selectors import precinct_list_sizes, voter_settings

from .. import plan
from ..models import PrintRun, PrintRunRow
from ..printing import quantities
from ._common import cec_or_secretariat, not_in_future, refuse, settings_for

#: callables ``(contest) -> str | None``: why a contest's ballots may not be printed yet
#: (registered by apps that know, e.g. the ballot text is not approved)
PRINT_GUARDS: list = []

BEFORE_VOTING = (Election.State.DRAFT, Election.State.ANNOUNCED, Election.State.REGISTRATION)


def precincts_of(contest: Contest) -> list[TerritorialUnit]:
    """The precincts that vote in ``contest``: the council's district's precincts (or the
    precinct itself)."""
    if contest.unit_id is None:
        return []
    if contest.unit.kind == TerritorialUnit.Kind.PRECINCT:
        return [contest.unit]
    return list(
        TerritorialUnit.objects.filter(
            parent_id=contest.unit_id, kind=TerritorialUnit.Kind.PRECINCT
        ).order_by("number")
    )


def printed_contests(election) -> list[Contest]:
    return list(
        Contest.objects.filter(election=election, unit__isnull=False).select_related("unit").order_by("pk")
    )


@transaction.atomic
def print_run_calculate(*, election, actor, reason: str = "") -> PrintRun:
    """Calculate (or calculate again) the number of ballots per precinct and contest: the voters on
    the frozen list plus the reserve norm, with serial ranges when ballots are numbered."""
    cec_or_secretariat(actor, election)
    election = Election.objects.select_for_update().get(pk=election.pk)
    if election.state not in BEFORE_VOTING:
        refuse(_("Voting has opened: the ballots have been printed already."), "voting_open")
    frozen_at = voter_settings(election).list_frozen_at
    if frozen_at is None:
        refuse(
            _("Freeze the final voter list first: the number of ballots is calculated from it."), "not_frozen"
        )
    contests = printed_contests(election)
    if not contests:
        refuse(_("No ballot of this election is voted at precincts."), "no_contests")
    problems = [p for contest in contests if (p := not_approved(contest))]
    problems += [p for contest in contests for guard in PRINT_GUARDS if (p := guard(contest))]
    if problems:
        refuse(" ".join(problems), "not_ready")
    current = PrintRun.objects.filter(election=election).exclude(status=PrintRun.Status.SUPERSEDED).first()
    norms = settings_for(election)
    if current is not None and current.status == PrintRun.Status.DRAFT:
        run = current
        run.rows.all().delete()
        action = "polling.print_run.recalculated"
    else:
        if current is not None:
            if not reason.strip():
                refuse(
                    _(
                        "Version %(version)s has been ordered already: give the reason for a new version "
                        "(e.g. a candidate's registration was cancelled by a court)."
                    )
                    % {"version": current.version},
                    "reason",
                )
            current.status = PrintRun.Status.SUPERSEDED
            current.save(update_fields=["status"])
        run = PrintRun(
            election=election, version=(current.version + 1) if current else 1, reason=reason.strip()
        )
        action = "polling.print_run.calculated"
    run.reserve_percent = norms.reserve_percent
    run.reserve_minimum = norms.reserve_minimum
    run.numbered = norms.numbered
    run.list_frozen_at = frozen_at
    run.calculated_at = timezone.now()
    run.calculated_by = actor if actor is not None and actor.pk else None
    run.status = PrintRun.Status.DRAFT
    run.save()
    lists = []
    for contest in contests:
        units = precincts_of(contest)
        sizes = precinct_list_sizes(election, units)
        lists.extend((contest, unit, sizes.get(unit.pk, 0)) for unit in units)
    rows = quantities(
        lists, reserve_percent=run.reserve_percent, reserve_minimum=run.reserve_minimum, numbered=run.numbered
    )
    PrintRunRow.objects.bulk_create(
        [
            PrintRunRow(
                run=run,
                contest=q.contest,
                unit=q.unit,
                voters_on_list=q.voters_on_list,
                reserve=q.reserve,
                total=q.total,
                serial_from=q.serial_from,
                serial_to=q.serial_to,
            )
            for q in rows
        ]
    )
    audit_log(
        action=action,
        actor=actor,
        obj=run,
        election=election,
        data={
            "version": run.version,
            "reason": run.reason,
            "reserve_percent": str(run.reserve_percent),
            "reserve_minimum": run.reserve_minimum,
            "numbered": run.numbered,
            "precincts": len(rows),
            "ballots": sum(q.total for q in rows),
        },
    )
    return run


def _locked(run: PrintRun) -> PrintRun:
    return PrintRun.objects.select_for_update().select_related("election").get(pk=run.pk)


@transaction.atomic
def print_run_order(*, run: PrintRun, actor, printing_house: str) -> PrintRun:
    """The calculated run is ordered from the printing house; its numbers no longer change."""
    cec_or_secretariat(actor, run.election)
    run = _locked(run)
    if run.status != PrintRun.Status.DRAFT:
        refuse(_("Only a calculated run that is not yet ordered can be ordered."), "not_draft")
    if not printing_house.strip():
        refuse(_("Name the printing house that produces the ballots."), "printing_house")
    run.status = PrintRun.Status.ORDERED
    run.ordered_at = timezone.now()
    run.printing_house = printing_house.strip()
    run.save()
    audit_log(
        action="polling.print_run.ordered",
        actor=actor,
        obj=run,
        election=run.election,
        data={"version": run.version, "printing_house": run.printing_house, "ballots": run_total(run)},
    )
    return run


@transaction.atomic
def print_run_produced(*, run: PrintRun, actor, produced_at=None) -> PrintRun:
    """The printing house delivered the ordered ballots to the CEC (item 41 is done)."""
    cec_or_secretariat(actor, run.election)
    run = _locked(run)
    if run.status != PrintRun.Status.ORDERED:
        refuse(_("Record the production of an ordered run."), "not_ordered")
    produced_at = produced_at or timezone.now()
    not_in_future(produced_at, _("when the ballots were produced"))
    run.status = PrintRun.Status.PRODUCED
    run.produced_at = produced_at
    run.save()
    audit_log(
        action="polling.print_run.produced",
        actor=actor,
        obj=run,
        election=run.election,
        data={"version": run.version, "produced_at": produced_at.isoformat(), "ballots": run_total(run)},
    )
    plan.complete(
        run.election,
        "print",
        _("Ballots produced: %(count)s (print run, version %(version)s).")
        % {"count": run_total(run), "version": run.version},
        produced_at,
    )
    return run


def run_total(run: PrintRun) -> int:
    return sum(run.rows.values_list("total", flat=True))
