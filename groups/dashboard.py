"""The observer dashboard: read-only panels of aggregates, no personal data.

Each panel is a function ``panel(election) -> Panel | None`` registered under a key; a later
issue replaces a placeholder by registering its own panel under the same key (e.g. the calendar
issue registers ``"calendar"``, the candidates issue ``"candidates"``) in its ``AppConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from elections.selectors import calendar_of, calendar_progress

from . import selectors


@dataclass
class Panel:
    title: object
    template: str
    context: dict = field(default_factory=dict)


PanelFunction = Callable[[object], Panel | None]
_PANELS: dict[str, tuple[int, PanelFunction]] = {}


def register_panel(key: str, function: PanelFunction, *, order: int = 100, default: bool = False) -> None:
    """Add or replace the panel ``key``; panels are shown by ``order``. A ``default`` panel
    never replaces one already registered (whatever order the apps are loaded in)."""
    if default and key in _PANELS:
        return
    _PANELS[key] = (order, function)


def panels_for(election) -> list[Panel]:
    result = []
    for _order, function in sorted(_PANELS.values(), key=lambda item: item[0]):
        panel = function(election)
        if panel is not None:
            result.append(panel)
    return result


def _placeholder(title, text) -> PanelFunction:
    def panel(election):
        return Panel(title=title, template="groups/panels/placeholder.html", context={"text": text})

    return panel


def _structure(election) -> Panel:
    return Panel(
        title=_("Electoral structure"),
        template="groups/panels/structure.html",
        context={"counts": selectors.structure_counts(election)},
    )


def _calendar(election) -> Panel:

    calendar = calendar_of(election)
    overdue = []
    if calendar is not None:
        overdue = [a for a in calendar.activities.order_by("due_at") if a.status == "overdue"][:5]
    return Panel(
        title=_("Calendar plan"),
        template="groups/panels/calendar.html",
        context={
            "calendar": calendar,
            "progress": calendar_progress(election),
            "overdue": overdue,
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
