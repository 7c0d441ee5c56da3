"""What in the portal fulfils a calendar activity, shown on its row of the calendar plan: a meeting
held for it, and — as they come — decisions and acts. The apps that hold them register a provider
at start-up (``register_activity_work`` in their ``ready()``), since this app sits below them.

A provider is ``provider(user, election) -> {activity number: [(label, url), …]}`` and lists only
what ``user`` may see."""

from __future__ import annotations

from collections.abc import Callable

Provider = Callable[[object, object], dict[int, list[tuple[str, str]]]]
_PROVIDERS: list[Provider] = []


def register_activity_work(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def activity_work(user, election) -> dict[int, list[tuple[str, str]]]:
    work: dict[int, list[tuple[str, str]]] = {}
    for provider in _PROVIDERS:
        for number, links in provider(user, election).items():
            work.setdefault(number, []).extend(links)
    return work
