"""The election's norms for ballots and the voting day, set by the central commission."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from elections.audit import audit_log

from ..models import PollingSettings
from ._common import cec_or_secretariat, hours, refuse

TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def parse_times(text: str) -> list[str]:
    """ "10:00, 12:00 …" -> sorted unique times; refused with the first wrong one named."""
    times = []
    for part in re.split(r"[,;\s]+", text or ""):
        if not part:
            continue
        if len(part) == 4 and part[1] == ":":
            part = "0" + part
        if not TIME.match(part):
            refuse(
                _("“%(value)s” is not a time: write hours and minutes, e.g. 10:00.") % {"value": part}, "time"
            )
        times.append(part)
    return sorted(set(times))


@transaction.atomic
def polling_settings_save(*, election, actor, **fields) -> PollingSettings:
    """The reserve norm, numbering and the turnout hours (items 41, 45); turnout hours lie within
    the election's hours of voting."""
    cec_or_secretariat(actor, election)
    found = PollingSettings.objects.select_for_update().filter(election=election).first()
    norms = found or PollingSettings(election=election)
    for name, value in fields.items():
        setattr(norms, name, value)
    opens, closes = hours(election)
    opening = opens.strftime("%H:%M") if opens else "00:00"
    closing = closes.strftime("%H:%M") if closes else "23:59"
    outside = [t for t in fields.get("turnout_times", []) if not opening < t <= closing]
    if outside:
        refuse(
            _("Turnout is reported while voting is open (after %(opens)s and until %(closes)s): %(times)s.")
            % {"opens": opening, "closes": closing, "times": ", ".join(outside)},
            "times_outside",
        )
    norms.updated_at = timezone.now()
    norms.full_clean(exclude=["election"])
    norms.save()
    audit_log(
        action="polling.settings.saved",
        actor=actor,
        obj=norms,
        election=election,
        data={
            "reserve_percent": str(norms.reserve_percent),
            "reserve_minimum": norms.reserve_minimum,
            "numbered": norms.numbered,
            "turnout_times": norms.turnout_times,
        },
    )
    return norms
