"""Reads of the archive (seed 000 item 23) and of the retention of personal data.

* what an archive holds: the voters who voted (persons and organisations, or register entries),
  the anonymised ballots, the candidates' applications, the observers, the audit extract — each
  as an iterator, so a million rows are never held in memory;
* whether an election is covered by archives (the guard of the lifecycle step "archive"), and
  when its personal data is due to be purged (``PERSONAL_DATA_RETENTION_DAYS``, docs/retention.md).

The voters-who-voted rows come from ``Participation`` joined to the voter, ordered by name; the
ballot rows come from ``Ballot`` ordered by the random receipt code (then the random id) and never
carry a channel, a time or a key, so the two files cannot be lined up against each other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.conf import settings
from django.db.models import CharField, Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from ballots.models import Ballot, Contest, Participation
from candidates.models import Application
from elections.lifecycle import Blocker
from elections.models import AuditEntry, Election
from groups.models import ObserverApplication
from voters.models import RegisterEntry, VoterRegistration

from .models import ElectionArchive, Protocol, ProtocolDocument

#: stages at which an archive may be built: voting has closed
ARCHIVABLE_STATES = (
    Election.State.COUNTING,
    Election.State.CERTIFIED,
    Election.State.PUBLISHED,
    Election.State.ARCHIVED,
)


def retention_days() -> int:
    return max(int(getattr(settings, "PERSONAL_DATA_RETENTION_DAYS", 0)), 0)


# --- archives and coverage --------------------------------------------------------------------


def archives_of(election: Election):
    return (
        ElectionArchive.objects.filter(election=election)
        .select_related("group", "created_by")
        .order_by("-created_at", "-pk")
    )


def archive_for(election: Election, pk) -> ElectionArchive | None:
    return ElectionArchive.objects.filter(election=election, pk=pk).select_related("group").first()


def coverage_at(election: Election) -> dt.datetime | None:
    """The first instant at which the election's documents were fully archived: its first
    election-wide archive, or — when every electoral group has its own archive — the moment the
    last group got its first one. None while something is not archived."""
    candidates = []
    whole = (
        ElectionArchive.objects.filter(election=election, group__isnull=True).order_by("created_at").first()
    )
    if whole is not None:
        candidates.append(whole.created_at)
    group_ids = list(election.groups.values_list("pk", flat=True))
    if group_ids:
        firsts = {}
        for group_id, created_at in ElectionArchive.objects.filter(
            election=election, group_id__in=group_ids
        ).values_list("group_id", "created_at"):
            if group_id not in firsts or created_at < firsts[group_id]:
                firsts[group_id] = created_at
        if len(firsts) == len(group_ids):
            candidates.append(max(firsts.values()))
    return min(candidates) if candidates else None


def missing_group_archives(election: Election) -> list:
    archived = ElectionArchive.objects.filter(election=election, group__isnull=False).values("group_id")
    return list(election.groups.exclude(pk__in=archived).order_by("name_ru"))


def archive_blockers(election: Election) -> list[Blocker]:
    """Guard of the lifecycle step "archive": an archive of the whole election, or one of every
    electoral group, must exist (seed 000 item 23)."""
    if coverage_at(election) is not None:
        return []
    missing = missing_group_archives(election)
    if missing and ElectionArchive.objects.filter(election=election, group__isnull=False).exists():
        names = ", ".join(g.name for g in missing)
        return [
            Blocker(
                "archive_missing",
                _("Build the archive of the election, or of each group; not archived yet: %(groups)s.")
                % {"groups": names},
            )
        ]
    return [Blocker("archive_missing", _("Build the archive of the election before archiving it."))]


def is_purged(election: Election) -> bool:
    return ElectionArchive.objects.filter(election=election, purged_at__isnull=False).exists()


def purge_due_at(election: Election) -> dt.datetime | None:
    """When the personal data becomes due for purging: ``PERSONAL_DATA_RETENTION_DAYS`` after the
    later of the archive coverage and the lifecycle step "archive". None while not archived."""
    covered = coverage_at(election)
    if covered is None or election.state != Election.State.ARCHIVED:
        return None
    start = max(covered, election.state_changed_at)
    return start + dt.timedelta(days=retention_days())


def purge_blockers(election: Election, now: dt.datetime | None = None) -> list[str]:
    now = now or timezone.now()
    if is_purged(election):
        return [_("The personal data of this election has already been purged.")]
    found = []
    if coverage_at(election) is None:
        found.append(_("There is no archive of the whole election or of every group."))
    if election.state != Election.State.ARCHIVED:
        found.append(_("The election has not reached the stage “Archived”."))
    due = purge_due_at(election)
    if due is not None and now < due:
        found.append(
            _("The retention period runs until %(date)s.")
            % {"date": timezone.localtime(due, election.tz).strftime("%Y-%m-%d %H:%M")}
        )
    return found


def elections_due_for_purge(now: dt.datetime | None = None) -> list[Election]:
    now = now or timezone.now()
    found = []
    for election in Election.objects.filter(state=Election.State.ARCHIVED).order_by("pk"):
        if not purge_blockers(election, now):
            found.append(election)
    return found


# --- contents of an archive -----------------------------------------------------------------


def archive_contests(election: Election, group=None):
    qs = Contest.objects.filter(election=election).select_related("group", "unit")
    if group is not None:
        qs = qs.filter(group=group)
    return qs.order_by("pk")


def archive_protocols(election: Election, group=None):
    qs = Protocol.objects.filter(election=election).select_related("contest", "unit", "commission")
    if group is not None:
        qs = qs.filter(contest__group=group)
    return qs.prefetch_related("signatures").order_by("series", "version")


def archive_protocol_documents(election: Election, group=None):
    qs = ProtocolDocument.objects.filter(protocol__election=election).select_related("protocol")
    if group is not None:
        qs = qs.filter(protocol__contest__group=group)
    return qs.order_by("protocol__series", "protocol__version", "language", "copy")


def _participations(election: Election, group, kind: str):
    key = Concat(Value(f"{kind}:"), Cast(OuterRef("pk"), output_field=CharField()))
    qs = Participation.objects.filter(election=election, elector=key)
    if group is not None:
        qs = qs.filter(contest__group=group)
    return qs


VOTER_COLUMNS = ["voter", "name", "kind", "organisation", "region", "contest", "channel", "voted_at"]


def voters_who_voted(election: Election, group=None) -> Iterator[dict]:
    """The list of voters who voted (seed 000 item 21 (3)), ordered by name: registered persons
    and organisations of the groups (seed 000), then register entries by precinct (seed 003).
    No e-mail, phone or personal number; nothing about the ballot."""

    regions = dict(VoterRegistration._meta.get_field("region").choices)
    kinds = dict(VoterRegistration.Kind.choices)
    part = _participations(election, group, "registration")
    registrations = VoterRegistration.objects.filter(election=election)
    if group is not None:
        registrations = registrations.filter(group=group)
    rows = (
        registrations.annotate(
            voted=Exists(part),
            channel_=Subquery(part.values("channel")[:1]),
            voted_at_=Subquery(part.values("recorded_at")[:1]),
            contest_=Subquery(part.values("contest_id")[:1]),
        )
        .filter(voted=True)
        .order_by("name", "pk")
        .values_list("pk", "name", "kind", "organisation", "region", "channel_", "voted_at_", "contest_")
    )
    for pk, name, kind, organisation, region, channel, voted_at, contest_id in rows.iterator(chunk_size=2000):
        yield {
            "voter": f"registration:{pk}",
            "name": name,
            "kind": str(kinds.get(kind, kind)),
            "organisation": name if kind == VoterRegistration.Kind.ORGANISATION else organisation,
            "region": str(regions.get(region, region)),
            "contest": contest_id,
            "channel": channel,
            "voted_at": voted_at,
        }
    if group is not None:
        return
    part = _participations(election, None, "entry")
    entries = (
        RegisterEntry.objects.filter(election=election)
        .annotate(
            voted=Exists(part),
            channel_=Subquery(part.values("channel")[:1]),
            voted_at_=Subquery(part.values("recorded_at")[:1]),
            contest_=Subquery(part.values("contest_id")[:1]),
        )
        .filter(voted=True)
        .order_by("precinct__number", "last_name", "first_name", "middle_name", "pk")
        .values_list(
            "pk",
            "last_name",
            "first_name",
            "middle_name",
            "precinct__number",
            "channel_",
            "voted_at_",
            "contest_",
        )
    )
    for pk, last, first, middle, precinct, channel, voted_at, contest_id in entries.iterator(chunk_size=2000):
        yield {
            "voter": f"entry:{pk}",
            "name": " ".join(p for p in (last, first, middle) if p),
            "kind": _("Voter on the list of precinct %(number)s") % {"number": precinct},
            "organisation": "",
            "region": "",
            "contest": contest_id,
            "channel": channel,
            "voted_at": voted_at,
        }


def anonymised_ballots(contest: Contest) -> Iterator[dict]:
    """The contest's ballots as the bulletin board shows them (receipt, status, choices as option
    labels, plus the option codes so the ballot-set fingerprint can be recomputed), ordered by the
    random receipt and then the random id. No channel, no time, no key of a voter."""
    labels = {o.code: o.label for o in contest.options.all()}
    rows = (
        Ballot.objects.filter(contest=contest)
        .order_by("receipt", "id")
        .values_list("receipt", "status", "choices")
        .iterator(chunk_size=5000)
    )
    for receipt, status, choices in rows:
        yield {
            "contest": contest.pk,
            "receipt": receipt,
            "status": status,
            "choices": [labels.get(c, c) for c in choices],
            "codes": list(choices),
        }


def archive_applications(election: Election, group=None):

    qs = Application.objects.filter(election=election).select_related(
        "group", "unit", "party_list", "decision", "cancellation_decision"
    )
    if group is not None:
        qs = qs.filter(group=group)
    return qs.order_by("received_at", "pk")


def archive_observers(election: Election, group=None):

    qs = ObserverApplication.objects.filter(election=election).select_related("group", "commission")
    if group is not None:
        qs = qs.filter(Q(group=group) | Q(group__isnull=True))
    return qs.order_by("name", "pk")


def audit_extract(election: Election) -> Iterator[AuditEntry]:
    return AuditEntry.objects.filter(election=election).order_by("seq").iterator(chunk_size=2000)
