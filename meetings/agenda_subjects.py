"""What an agenda item may decide or present: applications of candidates, complaints, protocols,
ties, the ballot text … The apps that hold them sit above this one, so each registers a provider
at start-up (``register_agenda_subjects`` in its ``ready()``), as ``elections.activity_work`` does.

A provider is ``provider(meeting, user) -> [Subject, …]``: the things of the meeting's body (and
election) an item may point at, each with its label and — when ``user`` may open it (always for
``user=None``) — the page that shows it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType


@dataclass(frozen=True)
class Subject:
    obj: object
    label: str
    url: str = ""
    #: what it is, as a heading of the choices ("Complaints", "Protocols" …)
    group: str = ""
    #: a candidate who presents at an assembly of voters (seed 000 item 20)
    presents: bool = False

    @property
    def key(self) -> str:
        return subject_key(self.obj)


Provider = Callable[[object, object], list[Subject]]
_PROVIDERS: list[Provider] = []


def register_agenda_subjects(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def subject_key(obj) -> str:
    return f"{ContentType.objects.get_for_model(obj, for_concrete_model=False).pk}:{obj.pk}"


def subjects_for(meeting, user=None) -> list[Subject]:
    subjects: list[Subject] = []
    for provider in _PROVIDERS:
        subjects.extend(provider(meeting, user))
    return subjects
