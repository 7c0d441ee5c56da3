"""The observer dashboard's "candidates" panel: totals only, no personal data."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from elections.dashboard import Panel

from .selectors import counts


def candidates_panel(election) -> Panel:
    return Panel(
        title=_("Candidates"),
        template="candidates/panels/candidates.html",
        context={"counts": counts(election), "election": election},
    )
