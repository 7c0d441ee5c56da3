"""The observers' dashboard panels of the electoral structure and the calendar plan, and the
placeholders of the panels later apps provide. The registry is ``elections.dashboard``; its names
are importable from here too."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from elections.dashboard import _PANELS, Panel, PanelFunction, panels_for, register_panel  # noqa: F401
from elections.dashboard import placeholder as _placeholder
from elections.selectors import calendar_of, calendar_progress

from . import selectors


def _structure(election) -> Panel:
    return Panel(
        title=_("Electoral structure"),
        template="groups/panels/structure.html",
        context={"counts": selectors.structure_counts(election)},
    )


#: overdue activities the calendar tile lists by name
OVERDUE_SHOWN = 5


def _calendar(election) -> Panel:

    calendar = calendar_of(election)
    overdue = []
    if calendar is not None:
        overdue = [a for a in calendar.activities.order_by("due_at") if a.status == "overdue"]
    return Panel(
        title=_("Calendar plan"),
        template="groups/panels/calendar.html",
        context={
            "calendar": calendar,
            "progress": calendar_progress(election),
            "overdue": overdue[:OVERDUE_SHOWN],
            # the tile lists the first few; the rest are named by their number, with the plan's link
            "overdue_more": max(len(overdue) - OVERDUE_SHOWN, 0),
            "election": election,
        },
    )


def register_builtin_panels() -> None:
    register_panel("calendar", _calendar, order=10, default=True)
    register_panel("structure", _structure, order=20, default=True)
    register_panel(
        "candidates",
        _placeholder(_("Candidates"), _("Registration counts and the commission's decisions appear here.")),
        order=30,
        default=True,
    )
    register_panel(
        "turnout",
        _placeholder(_("Turnout"), _("Turnout appears here once voting opens, as totals only.")),
        order=40,
        default=True,
    )
    register_panel(
        "protocols",
        _placeholder(_("Protocols"), _("The commissions' protocols appear here once counting starts.")),
        order=50,
        default=True,
    )
