"""Voters on each precinct's list, for the pages of the electoral structure.

The voter list (the register) lives in ``voters``, which sits above this app; ``VotersConfig.ready``
hands its count here with ``register_list_sizes``, as the apps above hand their panels to the
dashboard. A provider is ``provider(election, precincts) -> {precinct pk: voters on its list}`` and
names only the precincts whose list is in the portal. For the others the pages show the number
recorded with the precinct (``TerritorialUnit.voters_on_list``), marked as an estimate.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

Provider = Callable[[object, Sequence], dict[int, int]]
_PROVIDERS: list[Provider] = []


def register_list_sizes(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def listed_voters(election, precincts: Sequence) -> dict[int, int]:
    """The voters on the list of each of ``precincts`` whose list is in the portal."""
    sizes: dict[int, int] = {}
    if not precincts:
        return sizes
    for provider in _PROVIDERS:
        sizes.update(provider(election, precincts))
    return sizes
