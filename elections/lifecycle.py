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


# --- consequences: what a step does, locks and tells (the confirmation page, issue 15) ---------


@dataclass(frozen=True)
class Consequence:
    """One line of a step's confirmation page: ``kind`` is "happens", "locked" or "told"."""

    kind: str
    message: str


ConsequenceFunction = Callable[[Election], list[Consequence]]
_CONSEQUENCES: dict[str, list[ConsequenceFunction]] = defaultdict(list)

#: what each step does in itself; apps add their own lines with figures (ballots locked, voters
#: invited, subscribers mailed) through ``register_consequence``
BUILTIN_CONSEQUENCES: dict[str, list[tuple[str, object]]] = {
    "announce": [
        (
            "happens",
            _("The election, its calendar plan and its electoral groups or districts become public."),
        ),
        ("locked", _("The election can no longer go back to a draft.")),
        ("told", _("Anyone who opens the portal sees the announcement.")),
    ],
    "open_registration": [
        ("happens", _("Candidates, voters and observers can apply within the dates of the calendar plan.")),
    ],
    "open_voting": [
        ("happens", _("Voting opens at the time set for it; ballots are accepted until it closes.")),
        ("locked", _("The ballots can no longer change: candidates, order, seats and rules are fixed.")),
    ],
    "close_voting": [
        (
            "happens",
            _("No ballot is accepted any more; counting starts and commissions write their protocols."),
        ),
        ("locked", _("Who voted online is sealed into the audit log.")),
    ],
    "certify": [
        ("happens", _("The results are certified from the signed protocols.")),
        ("locked", _("Protocols can no longer be written, signed or corrected.")),
    ],
    "publish": [
        ("happens", _("The results, the protocols' figures and the open data become public.")),
        ("told", _("Subscribers of the results receive a mail.")),
    ],
    "archive": [
        (
            "happens",
            _("The election is archived: the archive packages are kept and nothing changes any more."),
        ),
        ("locked", _("Personal data no longer needed is purged when its retention period ends.")),
    ],
}


def register_consequence(transition_name: str, function: ConsequenceFunction) -> None:
    """Add ``function(election) -> [Consequence]`` to the confirmation page of a step."""
    if transition_name not in BY_NAME:
        raise ValueError(f"Unknown transition {transition_name!r}")
    if function not in _CONSEQUENCES[transition_name]:
        _CONSEQUENCES[transition_name].append(function)


def consequences(election: Election, transition: Transition) -> dict[str, list[str]]:
    """What ``transition`` will do now, grouped: what happens, what is locked, who is told."""
    grouped: dict[str, list[str]] = {"happens": [], "locked": [], "told": []}
    for kind, message in BUILTIN_CONSEQUENCES.get(transition.name, []):
        grouped[kind].append(str(message))
    for function in _CONSEQUENCES[transition.name]:
        for item in function(election):
            grouped[item.kind].append(str(item.message))
    return grouped


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
