"""What this app's work marks done on the calendar plan, per shipped plan template: the print run
produced (seed 003 item 41), voting out of the premises held (44), every precinct's voting day
closed (45). The ballots' acts of hand-over (42, 43) are marked by ``protocols``."""

from __future__ import annotations

from elections.selectors import calendar_of
from elections.services.calendar import activity_fulfil

ACTIVITY_OF: dict[str, dict[str, int]] = {
    "kg-local-2016": {"print": 41, "to_tec": 42, "to_pec": 43, "home": 44, "day": 45},
}


def activity_number(election, what: str) -> int | None:
    calendar = calendar_of(election)
    if calendar is None:
        return None
    return ACTIVITY_OF.get(calendar.template.slug, {}).get(what)


def activity(election, what: str):
    number = activity_number(election, what)
    if number is None:
        return None
    return calendar_of(election).activities.filter(number=number).first()


def complete(election, what: str, note: str, when) -> None:
    activity_fulfil(election=election, number=activity_number(election, what), note=note, when=when)
