"""What this app's work marks done on the election's calendar plan: the acts of hand-over once
every expected act of a kind is received (seed 003 items 14, 51, 55), and the TEC protocols once
every district's summary table is signed (item 53). The activity numbers per plan template are
``acts_selectors.ACTIVITY_OF`` / ``SUMMARY_ACTIVITY``."""

from __future__ import annotations

from django.utils.translation import gettext as _

from elections.services.calendar import activity_fulfil
from groups.models import Commission
from polling import plan as polling_plan

from .. import acts_selectors, ballot_stock
from ..models import HandoverAct, Protocol


def _complete(election, number: int | None, note: str, now) -> None:
    activity_fulfil(election=election, number=number, note=note, when=now)


def acts_fulfil(election, kind: str, now) -> None:
    """Every expected act of ``kind`` received: its activity is done."""
    if kind == HandoverAct.Kind.BALLOTS:
        ballots_fulfil(election, now)
        return
    if acts_selectors.all_received(election, kind):
        _complete(
            election,
            acts_selectors.activity_number(election, kind),
            _("Every act of this kind is received: %(kind)s.") % {"kind": HandoverAct.Kind(kind).label},
            now,
        )


def summaries_fulfil(election, now) -> None:
    """Every district with a TEC has its current summary table signed: the TEC protocols are
    drawn up (item 53)."""
    number = acts_selectors.SUMMARY_ACTIVITY.get(acts_selectors.template_slug(election))
    if number is None:
        return
    districts = set(
        Commission.objects.filter(
            election=election, kind=Commission.Kind.TEC, unit__isnull=False
        ).values_list("unit_id", flat=True)
    )
    signed = set(
        Protocol.objects.filter(
            election=election, level=Protocol.Level.TERRITORIAL, status=Protocol.Status.SIGNED
        ).values_list("unit_id", flat=True)
    )
    if districts and districts <= signed:
        _complete(election, number, _("Every territorial commission's protocol is signed."), now)


def ballots_fulfil(election, now) -> None:
    """Every TEC has received the ballots the print run planned for its precincts: item 42 is
    done; every PEC has received its precinct's: item 43 (numbers: ``polling.plan``)."""
    rows = ballot_stock.stock(election)["rows"]
    for kind, what, note in (
        (Commission.Kind.TEC, "to_tec", _("Every territorial commission has received its ballots.")),
        (Commission.Kind.PEC, "to_pec", _("Every precinct commission has received its ballots.")),
    ):
        planned = [r for r in rows if r.commission.kind == kind and r.balance.planned]
        if planned and all(r.balance.got >= r.balance.planned for r in planned):
            polling_plan.complete(election, what, note, now)
