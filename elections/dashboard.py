"""The registry of the observers' dashboard: read-only panels of aggregates, no personal data.

Each panel is a function ``panel(election) -> Panel | None`` registered under a key by the app
that owns the figures (in its ``AppConfig.ready``): the structure and the calendar by groups,
registration by voters, candidates, turnout by ballots, protocols. An app registers a
placeholder as the ``default`` of a panel another app provides later. The page is
``groups:dashboard``; the registry lives here, below every app that registers a panel.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


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
    """The panels of an election's dashboard, in order (a panel may have nothing to show)."""
    result = []
    for _order, function in sorted(_PANELS.values(), key=lambda item: item[0]):
        panel = function(election)
        if panel is not None:
            result.append(panel)
    return result


def placeholder(title, text) -> PanelFunction:
    """A panel that says what will appear once the app that owns it has something to show."""

    def panel(election):
        return Panel(title=title, template="elections/panels/placeholder.html", context={"text": text})

    return panel
