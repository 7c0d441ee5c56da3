"""The lifecycle of an election and the guards of its transitions.

draft → announced → registration → voting → counting → certified → published → archived

Each transition has guards: functions ``guard(election) -> list[Blocker]``. The UI lists the
blockers next to the button; ``elections.services.election_transition`` refuses while any remain.
Apps add their own guards in ``AppConfig.ready()`` with ``register_guard`` (e.g. the protocols app
will block certification until every protocol is signed), so the rules stay next to their data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .models import Election

S = Election.State


@dataclass(frozen=True)
class Transition:
    name: str
    source: str
    target: str
    label: object  # lazy translated button text
    audit_action: str


TRANSITIONS: list[Transition] = [
    Transition("announce", S.DRAFT, S.ANNOUNCED, _("Announce the election"), "elections.election.announced"),
    Transition(
        "open_registration",
        S.ANNOUNCED,
        S.REGISTRATION,
        _("Open registration"),
        "elections.election.registration_opened",
    ),
    Transition("open_voting", S.REGISTRATION, S.VOTING, _("Open voting"), "elections.election.voting_opened"),
    Transition(
        "close_voting",
        S.VOTING,
        S.COUNTING,
        _("Close voting and start counting"),
        "elections.election.voting_closed",
    ),
    Transition(
        "certify", S.COUNTING, S.CERTIFIED, _("Certify the results"), "elections.election.results_certified"
    ),
    Transition(
        "publish", S.CERTIFIED, S.PUBLISHED, _("Publish the results"), "elections.election.results_published"
    ),
    Transition("archive", S.PUBLISHED, S.ARCHIVED, _("Archive the election"), "elections.election.archived"),
]
BY_NAME = {t.name: t for t in TRANSITIONS}


@dataclass(frozen=True)
class Blocker:
    code: str
    message: str


Guard = Callable[[Election], list[Blocker]]
_GUARDS: dict[str, list[Guard]] = defaultdict(list)
#: side effects of a step, run inside its transaction after the state changed (e.g. lock ballots)
_ON_ENTER: dict[str, list[Callable]] = defaultdict(list)


def register_on_enter(transition_name: str, action: Callable) -> None:
    """Run ``action(election=..., actor=...)`` inside the transaction of ``transition_name``."""
    if transition_name not in BY_NAME:
        raise ValueError(f"Unknown transition {transition_name!r}")
    if action not in _ON_ENTER[transition_name]:
        _ON_ENTER[transition_name].append(action)


def on_enter_actions(transition_name: str) -> list[Callable]:
    return list(_ON_ENTER[transition_name])


def register_guard(transition_name: str, guard: Guard) -> None:
    if transition_name not in BY_NAME:
        raise ValueError(f"Unknown transition {transition_name!r}")
    if guard not in _GUARDS[transition_name]:
        _GUARDS[transition_name].append(guard)


def transitions_from(election: Election) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source == election.state]


def blockers(election: Election, transition: Transition) -> list[Blocker]:
    """What stands in the way of ``transition`` now; empty means it may run."""
    if election.state != transition.source:
        return [
            Blocker(
                "wrong_state",
                str(
                    _("The election is at the stage “%(state)s”; this step needs “%(source)s”.")
                    % {"state": election.get_state_display(), "source": S(transition.source).label}
                ),
            )
        ]
    found: list[Blocker] = []
    for guard in _GUARDS[transition.name]:
        found.extend(guard(election))
    return found


# --- built-in guards ------------------------------------------------------------------------


def _has_basics(election: Election) -> list[Blocker]:
    found = []
    if not election.title_ru:
        found.append(Blocker("no_title", str(_("Give the election a title in Russian."))))
    if not election.voting_day:
        found.append(Blocker("no_voting_day", str(_("Set the voting day."))))
    return found


def _has_voting_window(election: Election) -> list[Blocker]:
    if not (election.voting_starts_at and election.voting_ends_at):
        return [Blocker("no_voting_window", str(_("Set when voting opens and closes.")))]
    return []


def _voting_has_ended(election: Election) -> list[Blocker]:
    if election.voting_ends_at and timezone.now() < election.voting_ends_at:
        local = election.local(election.voting_ends_at)
        return [
            Blocker(
                "voting_not_ended",
                str(
                    _("Voting closes at %(time)s (%(tz)s); it cannot be closed earlier.")
                    % {"time": date_format(local, "DATETIME_FORMAT"), "tz": election.time_zone}
                ),
            )
        ]
    return []


def register_builtin_guards() -> None:
    register_guard("announce", _has_basics)
    register_guard("announce", _has_voting_window)
    register_guard("open_registration", _has_voting_window)
    register_guard("open_voting", _has_voting_window)
    register_guard("close_voting", _voting_has_ended)
