"""Lifecycle guards of candidates (registered with ``elections.lifecycle.register_guard``)."""

from __future__ import annotations

from django.utils.translation import ngettext

from elections.lifecycle import Blocker

from .models import Application


def undecided_applications(election) -> list[Blocker]:
    """Voting cannot open while the commission has applications to decide (seed 000 item 16:
    the decision on admission comes before the vote)."""
    n = Application.objects.filter(election=election, status__in=Application.UNDECIDED).count()
    if not n:
        return []
    return [
        Blocker(
            "candidates_undecided",
            ngettext(
                "%(count)s candidate's application still awaits the commission's decision.",
                "%(count)s candidates' applications still await the commission's decision.",
                n,
            )
            % {"count": n},
        )
    ]
