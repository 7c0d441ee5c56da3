"""Reads of the voters area that respect who may see what.

Registered voters of a group (personal data): ``voter.view_list`` on the group — the
secretariat, the group's organising-committee member and its commission. Precinct lists:
``register.view`` on the precinct's scope (``precinct_scope``) — the secretariat and the
members of that precinct's PEC. The public finds only its own entry, by personal number and
date of birth (``register_lookup``); observers see aggregates only (the dashboard panel).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from accounts.permissions import Scope, can
from elections.models import AuditEntry, CalendarActivity, Election, OutboxMail
from elections.outbox import batch_counts
from elections.selectors import calendar_of
from groups.models import Commission, ElectoralGroup, TerritorialUnit

from .models import (
    DEFAULT_ACTIVITIES,
    CorrectionRequest,
    RegisterEntry,
    RegisterImport,
    VoterRegistration,
    VoterSettings,
    VotingCredential,
)
from .regions import REGION_LABELS

R = VoterRegistration.Status


def _get_or_404(qs, **lookup):
    try:
        return qs.get(**lookup)
    except (qs.model.DoesNotExist, ValueError):
        raise Http404 from None


# --- settings and windows --------------------------------------------------------------------


def voter_settings(election: Election) -> VoterSettings:
    """The election's settings, or unsaved defaults when none were stored yet."""
    found = VoterSettings.objects.filter(election=election).first()
    return found or VoterSettings(election=election)


@dataclass(frozen=True)
class Window:
    """A window of the calendar: ``opens_at``/``closes_at`` (None when not set), where they come
    from, and the status at a given instant (server clock)."""

    opens_at: datetime | None
    closes_at: datetime | None
    activity: CalendarActivity | None = None

    def status(self, now: datetime | None = None) -> str:
        now = now or timezone.now()
        if self.opens_at and now < self.opens_at:
            return "before"
        if self.closes_at and now >= self.closes_at:
            return "closed"
        if self.opens_at is None and self.closes_at is None:
            return "not_set"
        return "open"

    @property
    def is_complete(self) -> bool:
        return self.opens_at is not None and self.closes_at is not None


def _activity(election: Election, number: int | None, window: str) -> CalendarActivity | None:
    calendar = calendar_of(election)
    if calendar is None:
        return None
    if number is None:
        number = DEFAULT_ACTIVITIES.get(calendar.template.slug, {}).get(window)
    if number is None:
        return None
    return calendar.activities.filter(number=number).first()


def registration_window(election: Election, settings: VoterSettings | None = None) -> Window:
    """Seed 000 items 13–14: the exact date and time when registration opens and closes. The
    settings' instants win over the calendar activity's start and deadline."""
    settings = settings or voter_settings(election)
    activity = _activity(election, settings.registration_activity, "registration")
    return Window(
        opens_at=settings.registration_opens_at or (activity.starts_at if activity else None),
        closes_at=settings.registration_closes_at or (activity.due_at if activity else None),
        activity=activity,
    )


def corrections_window(election: Election, settings: VoterSettings | None = None) -> Window:
    """Seed 003 item 12: Form 3 requests are received until 11 days before voting day."""
    settings = settings or voter_settings(election)
    activity = _activity(election, settings.corrections_activity, "corrections")
    return Window(
        opens_at=settings.corrections_open_at or (activity.starts_at if activity else None),
        closes_at=settings.corrections_close_at or (activity.due_at if activity else None),
        activity=activity,
    )


# --- registered voters of groups (seed 000) --------------------------------------------------


def registrations_of(group: ElectoralGroup, status: str | None = None) -> QuerySet[VoterRegistration]:
    qs = VoterRegistration.objects.filter(group=group).select_related("decision__recorded_by")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("status", "name")


def registration_for(election: Election, pk: int) -> VoterRegistration:
    return _get_or_404(
        VoterRegistration.objects.filter(election=election).select_related(
            "group", "decision__recorded_by", "user"
        ),
        pk=pk,
    )


def registration_counts(election: Election, group: ElectoralGroup | None = None) -> dict:
    """Registered (accepted) voters by region and by organisation — the protocol's "number of
    voters and their geography, number of organisations or groups they represent" (seed 000
    stage 5). ``group=None`` counts the whole election."""
    qs = VoterRegistration.objects.filter(election=election, status=R.ACCEPTED)
    if group is not None:
        qs = qs.filter(group=group)
    regions: Counter = Counter()
    organisations: Counter = Counter()
    names: dict[str, str] = {}
    persons = organisations_registered = without = 0
    # in the order of registration: an organisation is named as its first registrant wrote it,
    # whatever order the database returns the rows in
    rows = qs.order_by("pk").values_list("kind", "region", "name", "organisation")
    for kind, region, name, organisation in rows:
        regions[region] += 1
        counted = name if kind == VoterRegistration.Kind.ORGANISATION else organisation
        key = " ".join(counted.split()).casefold()
        if kind == VoterRegistration.Kind.ORGANISATION:
            organisations_registered += 1
        else:
            persons += 1
        if key:
            organisations[key] += 1
            names.setdefault(key, " ".join(counted.split()))
        else:
            without += 1
    return {
        "total": persons + organisations_registered,
        "persons": persons,
        "organisations": organisations_registered,
        "by_region": [
            {"code": code, "label": str(REGION_LABELS.get(code, code)), "count": n}
            for code, n in sorted(
                regions.items(), key=lambda item: (-item[1], str(REGION_LABELS.get(item[0])))
            )
        ],
        "by_organisation": [
            {"name": names[key], "count": n}
            for key, n in sorted(organisations.items(), key=lambda item: (-item[1], item[0]))
        ],
        "organisations_represented": len(organisations),
        "without_organisation": without,
    }


def registration_status_counts(election: Election) -> list[dict]:
    """Per group: registrations by status (aggregates only; observer dashboard and guard)."""
    rows = (
        VoterRegistration.objects.filter(election=election)
        .values("group_id")
        .annotate(
            accepted=Count("pk", filter=Q(status=R.ACCEPTED)),
            confirmed=Count("pk", filter=Q(status=R.CONFIRMED)),
            unconfirmed=Count("pk", filter=Q(status=R.UNCONFIRMED)),
            rejected=Count("pk", filter=Q(status=R.REJECTED)),
        )
    )
    by_group = {r["group_id"]: r for r in rows}
    result = []
    for group in ElectoralGroup.objects.filter(election=election).order_by("order", "name_ru"):
        counts = by_group.get(group.pk, {"accepted": 0, "confirmed": 0, "unconfirmed": 0, "rejected": 0})
        result.append(
            {"group": group, **{k: counts[k] for k in ("accepted", "confirmed", "unconfirmed", "rejected")}}
        )
    return result


def deciding_commission(user, group: ElectoralGroup) -> Commission | None:
    """The commission of ``group`` in which ``user`` holds an active seat (mandate/counting/other)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return (
        Commission.objects.filter(group=group, members__user=user, members__is_active=True)
        .order_by("kind", "pk")
        .first()
    )


def group_commission(group: ElectoralGroup) -> Commission | None:
    """The commission a group's registrations are addressed to: its first commission (the
    mandate commission before the counting one), the body of a decision the secretariat records."""
    return Commission.objects.filter(group=group).order_by("kind", "pk").first()


# --- the voter register (seed 003) ----------------------------------------------------------


def pec_of(precinct: TerritorialUnit) -> Commission | None:
    return Commission.objects.filter(
        election_id=precinct.election_id, kind=Commission.Kind.PEC, unit=precinct
    ).first()


def precinct_scope(precinct: TerritorialUnit) -> Scope:
    """The permission scope of a precinct's list: its PEC's commission (so its members reach
    it), or — with no PEC — a commission no one holds (only election-wide roles reach it)."""
    cached = getattr(precinct, "_voters_scope", None)
    if cached is None:
        pec = pec_of(precinct)
        cached = Scope(election_id=precinct.election_id, commission_id=pec.pk if pec else 0)
        precinct._voters_scope = cached
    return cached


def uses_register(election: Election) -> bool:
    return RegisterEntry.objects.filter(election=election).exists()


def precincts_of(election: Election) -> QuerySet[TerritorialUnit]:
    return (
        TerritorialUnit.objects.filter(election=election, kind=TerritorialUnit.Kind.PRECINCT)
        .select_related("parent")
        .annotate(
            listed=Count("register_entries", filter=Q(register_entries__status=RegisterEntry.Status.LISTED)),
        )
        .order_by("number")
    )


def precincts_visible_to(user, election: Election) -> list[TerritorialUnit]:
    """The precincts whose list ``user`` may read, with counts of entries and pending requests."""
    pending = dict(
        CorrectionRequest.objects.filter(election=election, status=CorrectionRequest.Status.SUBMITTED)
        .values_list("precinct_id")
        .annotate(n=Count("pk"))
    )
    pecs = dict(
        Commission.objects.filter(
            election=election, kind=Commission.Kind.PEC, unit__isnull=False
        ).values_list("unit_id", "pk")
    )
    result = []
    for precinct in precincts_of(election):
        precinct._voters_scope = Scope(election_id=election.pk, commission_id=pecs.get(precinct.pk, 0))
        if can(user, "register.view", precinct._voters_scope):
            precinct.pending_corrections = pending.get(precinct.pk, 0)
            result.append(precinct)
    return result


def precinct_by_number(election: Election, number: int) -> TerritorialUnit:
    return _get_or_404(
        TerritorialUnit.objects.filter(election=election, kind=TerritorialUnit.Kind.PRECINCT).select_related(
            "parent"
        ),
        number=number,
    )


def entries_of(
    precinct: TerritorialUnit, query: str = "", status: str | None = None
) -> QuerySet[RegisterEntry]:
    qs = RegisterEntry.objects.filter(precinct=precinct)
    if status:
        qs = qs.filter(status=status)
    query = query.strip()
    if query:
        if query.isdigit():
            qs = qs.filter(personal_number__startswith=query)
        else:
            qs = qs.filter(last_name__istartswith=query)
    return qs.order_by("last_name", "first_name", "middle_name", "pk")


def entry_for(election: Election, pk: int) -> RegisterEntry:
    return _get_or_404(RegisterEntry.objects.filter(election=election).select_related("precinct"), pk=pk)


def lookup_digest(personal_number: str) -> str:
    """A keyed hash of a personal number for logs (never the number in clear)."""
    import hmac

    from django.conf import settings

    return hmac.new(settings.SECRET_KEY.encode(), personal_number.encode(), hashlib.sha256).hexdigest()[:16]


def register_lookup(election: Election, personal_number: str, birth_date) -> RegisterEntry | None:
    """Public: the one entry whose personal number *and* date of birth match, or None. The
    public cannot browse the list; the view limits the number of lookups per address."""
    if not (personal_number and birth_date):
        return None
    return (
        RegisterEntry.objects.filter(
            election=election, personal_number=personal_number, birth_date=birth_date
        )
        .select_related("precinct")
        .first()
    )


def mask_name(entry: RegisterEntry) -> str:
    """ "Асанов Бакыт Жумабекович" → "Ас**** Б. Ж." (shown to whoever knows the number and date)."""
    last = entry.last_name
    masked = last[:2] + "*" * max(len(last) - 2, 0)
    initials = " ".join(f"{p[0]}." for p in (entry.first_name, entry.middle_name) if p)
    return f"{masked} {initials}".strip()


def corrections_for(user, election: Election, status: str | None = None) -> list[CorrectionRequest]:
    """The Form 3 requests ``user`` may decide (their PEC's precinct; all for the secretariat)."""
    qs = CorrectionRequest.objects.filter(election=election).select_related(
        "precinct", "entry", "decision__recorded_by"
    )
    if status:
        qs = qs.filter(status=status)
    pecs = dict(
        Commission.objects.filter(
            election=election, kind=Commission.Kind.PEC, unit__isnull=False
        ).values_list("unit_id", "pk")
    )
    result = []
    for request in qs.order_by("status", "-submitted_at"):
        request.precinct._voters_scope = Scope(
            election_id=election.pk, commission_id=pecs.get(request.precinct_id, 0)
        )
        if can(user, "register.decide", request.precinct._voters_scope):
            result.append(request)
    return result


def correction_for(election: Election, pk: int) -> CorrectionRequest:
    return _get_or_404(
        CorrectionRequest.objects.filter(election=election).select_related("precinct", "entry__precinct"),
        pk=pk,
    )


def imports_of(election: Election) -> QuerySet[RegisterImport]:
    return (
        RegisterImport.objects.filter(election=election).select_related("created_by").order_by("-created_at")
    )


def import_for(election: Election, pk: int) -> RegisterImport:
    return _get_or_404(RegisterImport.objects.filter(election=election), pk=pk)


def precinct_list_sizes(election: Election, precincts=None) -> dict[int, int]:
    """Voters on each precinct's list — the one definition used by the dashboard and the precinct
    protocol's line 1: the precinct's listed entries of the register when the register has any
    for it, else the number recorded with the precinct (before the register is loaded)."""

    units = TerritorialUnit.objects.filter(election=election, kind=TerritorialUnit.Kind.PRECINCT)
    if precincts is not None:
        units = units.filter(pk__in=[p.pk for p in precincts])
    recorded = dict(units.values_list("pk", "voters_on_list"))
    in_register = _register_sizes(election, recorded)
    return {pk: (in_register[pk] if pk in in_register else (recorded[pk] or 0)) for pk in recorded}


def _register_sizes(election: Election, precinct_ids) -> dict[int, int]:
    """The listed (not removed) entries of each precinct that has entries in the register."""
    rows = (
        RegisterEntry.objects.filter(election=election, precinct_id__in=precinct_ids)
        .values("precinct_id")
        .annotate(listed=Count("pk", filter=~Q(status=RegisterEntry.Status.REMOVED)))
        .values_list("precinct_id", "listed")
    )
    return dict(rows)


def precinct_register_sizes(election: Election, precincts) -> dict[int, int]:
    """Voters on the list of each of ``precincts`` whose list is in the register, as counted by
    ``precinct_list_sizes``; a precinct without entries is left out (its number is the one
    recorded with it). One query; handed to ``groups`` for the page of districts and precincts."""
    return _register_sizes(election, [p.pk for p in precincts])


def voters_on_lists(election: Election) -> dict:
    """The total of ``precinct_list_sizes`` and where it comes from: ``register`` (every precinct
    has its list in the register), ``recorded`` (none has: the numbers recorded with the
    precincts) or ``mixed``."""

    sizes = precinct_list_sizes(election)
    with_entries = set(
        RegisterEntry.objects.filter(election=election).values_list("precinct_id", flat=True).distinct()
    )
    precincts = set(sizes)
    source = (
        "register"
        if precincts and precincts <= with_entries
        else "recorded"
        if not (precincts & with_entries)
        else "mixed"
    )
    recorded_total = (
        TerritorialUnit.objects.filter(pk__in=precincts).aggregate(n=Sum("voters_on_list"))["n"] or 0
    )
    return {
        "total": sum(sizes.values()),
        "precincts": len(precincts),
        "source": source,
        "recorded_total": recorded_total,
    }


def register_counts(election: Election) -> dict:
    """Aggregates of the register (no personal data), for the dashboard and the overview."""
    entries = RegisterEntry.objects.filter(election=election).aggregate(
        listed=Count("pk", filter=Q(status=RegisterEntry.Status.LISTED)),
        removed=Count("pk", filter=Q(status=RegisterEntry.Status.REMOVED)),
    )
    corrections = CorrectionRequest.objects.filter(election=election).aggregate(
        submitted=Count("pk", filter=Q(status=CorrectionRequest.Status.SUBMITTED)),
        accepted=Count("pk", filter=Q(status=CorrectionRequest.Status.ACCEPTED)),
        rejected=Count("pk", filter=Q(status=CorrectionRequest.Status.REJECTED)),
    )
    precincts = (
        RegisterEntry.objects.filter(election=election).values("precinct_id").distinct().count()
        if entries["listed"] or entries["removed"]
        else 0
    )
    settings = voter_settings(election)
    return {
        "entries": entries,
        "precincts": precincts,
        "corrections": corrections,
        "frozen_at": settings.list_frozen_at,
    }


# --- voting credentials --------------------------------------------------------------------


def token_digest(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode("utf-8")).hexdigest()


def credential_for_token(election: Election, raw_token: str) -> VotingCredential | None:
    """The usable-or-used credential behind a link's token (None when unknown or revoked). The
    voting issue calls this, then ``voters.services.credential_mark_used`` in its transaction."""
    if not raw_token or len(raw_token) > 128:
        return None
    return (
        VotingCredential.objects.filter(
            election=election, token_hash=token_digest(raw_token), revoked_at__isnull=True
        )
        .select_related("registration__group", "entry__precinct")
        .first()
    )


#: checks ``(election, elector_key) -> bool`` of the apps that record votes: the voting app
#: registers "a participation in any channel" (ballots.apps); voters sits below it and cannot
#: import it
_VOTE_RECORDS: list = []


def register_vote_record(check) -> None:
    if check not in _VOTE_RECORDS:
        _VOTE_RECORDS.append(check)


def has_voted(election: Election, voter) -> bool:
    """Whether ``voter`` (a ``VoterRegistration`` or a ``RegisterEntry``) has voted in any channel:
    a participation recorded by the voting app, or a used credential."""
    field = "registration" if isinstance(voter, VoterRegistration) else "entry"
    if any(check(election, f"{field}:{voter.pk}") for check in _VOTE_RECORDS):
        return True
    return VotingCredential.objects.filter(
        election=election, used_at__isnull=False, **{field: voter}
    ).exists()


def credential_counts(election: Election) -> dict:
    """Credentials issued, used, revoked, resent; ``sent``: invitations the mail server took and
    ``waiting``: link mails (invitations, resends, reminders) still in the outbox — read from the
    outbox, not from what was queued."""

    counts = VotingCredential.objects.filter(election=election).aggregate(
        issued=Count("pk"),
        used=Count("pk", filter=Q(used_at__isnull=False)),
        revoked=Count("pk", filter=Q(revoked_at__isnull=False)),
        resent=Count("pk", filter=Q(resend_count__gt=0)),
    )
    mails = OutboxMail.objects.filter(election=election, kind__startswith="voters.credential_").aggregate(
        sent=Count("pk", filter=Q(kind="voters.credential_invitation", status=OutboxMail.Status.DONE)),
        waiting=Count("pk", filter=Q(status__in=[OutboxMail.Status.PENDING, OutboxMail.Status.SENDING])),
    )
    return {**counts, **mails}


def credentials_of(election: Election, query: str = "") -> QuerySet[VotingCredential]:
    qs = VotingCredential.objects.filter(election=election).select_related("registration__group", "entry")
    if query.strip():
        qs = qs.filter(email__icontains=query.strip())
    return qs.order_by("email", "pk")


def credential_for(election: Election, pk: int) -> VotingCredential:
    return _get_or_404(VotingCredential.objects.filter(election=election), pk=pk)


def reminder_batch(election: Election, round_: int) -> str:
    """The outbox batch of a reminder round (its mails are counted by it)."""
    return f"voters.reminders:{election.pk}:{round_}"


def reminder_rounds(election: Election) -> list[dict]:
    """The reminder rounds of an election, newest first: when, how many were queued (from the
    round's audit entry) and how many mails the mail server took, are waiting or were replaced
    by a newer link (from the outbox)."""

    rounds = []
    for entry in AuditEntry.objects.filter(
        election=election, action="voters.credential.reminders_queued"
    ).order_by("-seq"):
        number = entry.data.get("round")
        counts = batch_counts(reminder_batch(election, number))
        rounds.append(
            {
                "round": number,
                "at": entry.created_at,
                "queued": entry.data.get("queued", 0),
                "sent": counts["sent"],
                "waiting": counts["waiting"],
                "replaced": counts["cancelled"],
            }
        )
    return rounds
