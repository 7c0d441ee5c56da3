"""What blocks opening the vote, and the observer dashboard's turnout panel."""

from django.utils.translation import gettext as _

from elections.lifecycle import Blocker

from . import selectors
from .models import Contest


def contests_ready(election) -> list[Blocker]:
    contests = list(Contest.objects.filter(election=election).prefetch_related("options"))
    if not contests:
        has_seats = election.groups.exists() or election.units.filter(kind="district").exists()
        if has_seats:
            return [Blocker("no_contests", _("Set up the ballots (contests) before voting opens."))]
        return []
    empty = [c for c in contests if not [o for o in c.options.all() if o.kind != "against_all"]]
    return [
        Blocker("empty_ballot", _("The ballot “%(title)s” has no candidates yet.") % {"title": c.title})
        for c in empty
    ]


def turnout_panel(election):
    from groups.dashboard import Panel

    return Panel(
        title=_("Turnout"),
        template="ballots/panels/turnout.html",
        context={
            "rows": selectors.turnout(election),
            "election": election,
            "window": selectors.voting_window(election),
        },
    )
