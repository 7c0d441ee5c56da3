"""Lifecycle guards of the voters area (registered in ``VotersConfig.ready``).

"open voting" (registration → voting) is the step that closes voter registration (seed 000
item 16); it is blocked while confirmed registrations await the commission's decision, and —
for an election with a voter list — until the final list is frozen (seed 003 item 13).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from elections.lifecycle import Blocker, Consequence, register_consequence, register_guard

from . import selectors


def registrations_decided(election) -> list[Blocker]:
    waiting = [row for row in selectors.registration_status_counts(election) if row["confirmed"]]
    if not waiting:
        return []
    total = sum(row["confirmed"] for row in waiting)
    groups = ", ".join(f"{row['group'].name} ({row['confirmed']})" for row in waiting)
    return [
        Blocker(
            "voter_registrations_undecided",
            ngettext(
                "%(count)s confirmed voter registration awaits the commission's decision: %(groups)s.",
                "%(count)s confirmed voter registrations await the commission's decision: %(groups)s.",
                total,
            )
            % {"count": total, "groups": groups},
        )
    ]


def voter_list_frozen(election) -> list[Blocker]:
    if not selectors.uses_register(election) or selectors.voter_settings(election).is_list_frozen:
        return []
    return [
        Blocker("voter_list_not_frozen", _("Freeze the final voter list (voters' page) before voting opens."))
    ]


def invitation_consequences(election) -> list:
    """The confirmation page of "open voting": this step sends no mail; how many voters wait."""
    from django.utils.translation import ngettext

    from .selectors import credential_counts

    counts = credential_counts(election)
    waiting = counts["issued"] - counts["sent"] - counts["revoked"]
    lines = [
        Consequence(
            "told",
            _(
                "This step sends no mail: voters get their links with “Issue and send the missing invitations” on the voters' pages."
            ),
        )
    ]
    if counts["issued"]:
        lines.append(
            Consequence(
                "told",
                ngettext(
                    "%(n)s voting link is issued and not sent yet.",
                    "%(n)s voting links are issued and not sent yet.",
                    waiting,
                )
                % {"n": waiting},
            )
        )
    return lines


def register_guards() -> None:

    register_guard("open_voting", registrations_decided)
    register_guard("open_voting", voter_list_frozen)
    register_consequence("open_voting", invitation_consequences)
