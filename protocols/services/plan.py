"""What this app's work marks done on the election's calendar plan: the acts of hand-over once
every expected act of a kind is received (seed 003 items 14, 51, 55), and the TEC protocols once
every district's summary table is signed (item 53). The activity numbers per plan template are
``acts_selectors.ACTIVITY_OF`` / ``SUMMARY_ACTIVITY``."""

from __future__ import annotations

from django.utils.translation import gettext as _

from elections.selectors import calendar_of
from elections.services.calendar import activity_complete
from groups.models import Commission

from .. import acts_selectors
from ..models import HandoverAct, Protocol


def _complete(election, number: int | None, note: str, now) -> None:
    if number is None:
        return
    calendar = calendar_of(election)
    activity = calendar.activities.filter(number=number).first() if calendar is not None else None
    if activity is None or activity.completed_at is not None or activity.is_not_applicable:
        return
    activity_complete(activity=activity, actor=None, completed_at=now, note=note)


def acts_fulfil(election, kind: str, now) -> None:
    """Every expected act of ``kind`` received: its activity is done."""
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
