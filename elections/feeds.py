"""A user's personal iCalendar feed: the deadlines they answer for, from every election."""

from __future__ import annotations

from accounts.permissions import role_assignments

from . import calendar as engine
from . import selectors
from .models import Election
from .responsibility import role_keys_of


def personal_ics(user) -> str:
    """One calendar with the activities the user's roles are responsible for, in all elections."""
    from icalendar import Calendar

    election_ids = set(role_assignments(user).values_list("election_id", flat=True))
    if None in election_ids:  # portal-wide secretariat: every election with a calendar
        elections = Election.objects.filter(calendar__isnull=False)
    else:
        elections = Election.objects.filter(pk__in=election_ids, calendar__isnull=False)
    combined = Calendar()
    combined.add("prodid", "-//Election Portal//personal deadlines//RU")
    combined.add("version", "2.0")
    combined.add("x-wr-calname", f"{user.get_full_name()} — Election Portal")
    lang = user.language if user.language in ("ru", "kk", "ky", "en") else "ru"
    for election in elections.order_by("slug"):
        keys = role_keys_of(user, election)
        plan = selectors.calendar_plan(selectors.calendar_of(election))
        mine = [a for a in plan if keys & set(a.responsible_roles)]
        if not mine:
            continue
        part = Calendar.from_ical(engine.plan_to_ics(mine, lang=lang, calendar_name=str(election)))
        for component in part.walk("VEVENT"):
            combined.add_component(component)
        for component in part.walk("VTIMEZONE"):
            if not any(c.get("tzid") == component.get("tzid") for c in combined.walk("VTIMEZONE")):
                combined.add_component(component)
    return combined.to_ical().decode("utf-8")
