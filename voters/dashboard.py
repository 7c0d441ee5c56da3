"""The observer dashboard's "registration" panel: counts only, no personal data."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from elections.dashboard import Panel, register_panel

from . import selectors


def registration_panel(election) -> Panel | None:
    groups = selectors.registration_status_counts(election)
    register = selectors.register_counts(election)
    has_groups = any(
        row["accepted"] or row["confirmed"] or row["unconfirmed"] or row["rejected"] for row in groups
    )
    has_register = bool(register["entries"]["listed"] or register["entries"]["removed"])
    return Panel(
        title=_("Voters"),
        template="voters/panels/registration.html",
        context={
            "groups": groups if has_groups else [],
            "register": register if has_register else None,
            "credentials": selectors.credential_counts(election),
            "lists": selectors.voters_on_lists(election),
            "election": election,
        },
    )


def register_panels() -> None:

    register_panel("registration", registration_panel, order=25)
