"""What blocks opening the vote, and the observer dashboard's turnout panel."""

from django.utils.translation import gettext as _

from elections.dashboard import Panel
from elections.lifecycle import Blocker, Consequence

from . import selectors
from .models import Contest


def contests_ready(election) -> list[Blocker]:
    contests = list(
        Contest.objects.filter(election=election).select_related("group").prefetch_related("options")
    )
    if not contests:
        has_seats = election.groups.exists() or election.units.filter(kind="district").exists()
        if has_seats:
            return [Blocker("no_contests", _("Set up the ballots (contests) before voting opens."))]
        return []
    blockers = []
    for c in contests:
        candidates = [o for o in c.options.all() if o.kind != "against_all"]
        if not candidates:
            blockers.append(
                Blocker(
                    "empty_ballot", _("The ballot “%(title)s” has no candidates yet.") % {"title": c.title}
                )
            )
        elif not c.is_list and c.seats > len(candidates):
            blockers.append(
                Blocker(
                    "more_seats_than_candidates",
                    _("The ballot “%(title)s” fills %(seats)s seats but lists %(candidates)s candidate(s).")
                    % {"title": c.title, "seats": c.seats, "candidates": len(candidates)},
                )
            )
        if c.group_id is not None:
            group = c.group
            if (c.method, c.seats, c.alternates) != (
                group.decision_rule,
                group.seats_members,
                group.seats_alternates,
            ):
                blockers.append(
                    Blocker(
                        "contest_differs_from_group",
                        _(
                            "The ballot “%(title)s” does not follow its group's decision rule and seats: "
                            "open the ballot and save it again."
                        )
                        % {"title": c.title},
                    )
                )
    return blockers


def no_ballots_waiting(election) -> list[Blocker]:
    """Certification counts on every online ballot being stored: none may still wait to be mixed
    (closing voting mixes them; this only shows if that failed, e.g. after a change of the secret
    key)."""
    from django.utils.translation import ngettext

    from .mixing import waiting_count

    n = waiting_count(election=election)
    if not n:
        return []
    return [
        Blocker(
            "ballots_waiting",
            ngettext(
                "%(n)s online ballot is not stored yet; the results cannot be certified until it is.",
                "%(n)s online ballots are not stored yet; the results cannot be certified until they are.",
                n,
            )
            % {"n": n},
        )
    ]


def turnout_panel(election):

    return Panel(
        title=_("Turnout"),
        template="ballots/panels/turnout.html",
        context={
            "rows": selectors.turnout(election),
            "election": election,
            "window": selectors.voting_window(election),
        },
    )


def voting_consequences(election):
    """The confirmation page of "open voting": which ballots are locked."""
    from django.utils.translation import ngettext

    titles = [c.title for c in Contest.objects.filter(election=election, locked_at__isnull=True)]
    if not titles:
        return []
    return [
        Consequence(
            "locked",
            ngettext(
                "%(n)s ballot is locked: %(titles)s.",
                "%(n)s ballots are locked: %(titles)s.",
                len(titles),
            )
            % {"n": len(titles), "titles": "; ".join(titles)},
        )
    ]


def closing_consequences(election):
    """The confirmation page of "close voting": how many have voted so far."""
    from django.utils.translation import ngettext

    from .models import Participation

    n = Participation.objects.filter(election=election).count()
    return [
        Consequence(
            "happens",
            ngettext(
                "%(n)s voter has voted so far; nobody else can vote after this step.",
                "%(n)s voters have voted so far; nobody else can vote after this step.",
                n,
            )
            % {"n": n},
        )
    ]
