"""The precinct lists after import (seed 003 items 11–14): "Form 3" correction requests decided
by the precinct commission, the freeze of the final list, and changes to it afterwards.

* Form 3 (item 12): a voter who found their entry asks for a correction (last name, first name,
  patronymic, date of birth, address, or the precinct where they live). The PEC of the entry's
  precinct (a member who declared no conflict of interest) or the secretariat accepts it — the
  entry is corrected — or rejects it with a reason; the requester is told by e-mail if they gave
  one. Requests are received within the window of calendar item 12 and until the list is frozen.
* The final list (item 13) is frozen by the secretariat (``voter_list_freeze``); the lifecycle
  step "open voting" is blocked until it is, for an election that has a voter list. After the
  freeze a change to an entry needs a recorded decision (number and reason).

Changes keep their values in ``RegisterEntryChange``; the audit log names the entry, the fields
changed and the decision, without personal data.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.permissions import require
from elections.audit import audit_log
from elections.models import Decision, Election
from elections.notify import election_context, notify
from elections.outbox import task_enqueue
from elections.services.decisions import decision_take
from groups.models import TerritorialUnit

from .. import selectors
from ..models import CorrectionRequest, RegisterEntry, RegisterEntryChange, RegisterImport
from ._common import (
    audit_actor,
    has_reached,
    locked_settings,
    refuse_observers,
    refuse_when_archived,
    require_member_acting,
    require_system,
)

C = CorrectionRequest.Status
ENTRY_FIELDS = (
    "last_name",
    "first_name",
    "middle_name",
    "birth_date",
    "address",
    "email",
    "precinct",
    "status",
)


# --- freezing the final list ----------------------------------------------------------------


def freeze_blockers(election: Election) -> list[str]:
    """What stands in the way of freezing the list (shown next to the button)."""
    found = []
    if not RegisterEntry.objects.filter(election=election).exists():
        found.append(_("The election has no voter list yet."))
    pending = CorrectionRequest.objects.filter(election=election, status=C.SUBMITTED).count()
    if pending:
        found.append(
            ngettext(
                "%(count)s correction request (Form 3) awaits a decision.",
                "%(count)s correction requests (Form 3) await a decision.",
                pending,
            )
            % {"count": pending}
        )
    if RegisterImport.objects.filter(election=election, status__in=RegisterImport.ACTIVE).exists():
        found.append(_("An import of the voter list is still running."))
    return found


def list_digest(election: Election) -> tuple[str, int]:
    """SHA-256 over the list in personal-number order (one line per entry), and the count."""
    digest = hashlib.sha256()
    count = 0
    rows = (
        RegisterEntry.objects.filter(election=election)
        .order_by("personal_number")
        .values_list(
            "personal_number",
            "precinct__number",
            "last_name",
            "first_name",
            "middle_name",
            "birth_date",
            "address",
            "status",
        )
        .iterator(chunk_size=10000)
    )
    for row in rows:
        digest.update(("\t".join(str(v) for v in row) + "\n").encode("utf-8"))
        count += 1
    return digest.hexdigest(), count


@transaction.atomic
def voter_list_freeze(*, election: Election, actor):
    """Freeze the final voter list (seed 003 item 13). Refused while Form 3 requests await a
    decision or an import runs; recorded with the number of entries and a SHA-256 of the list."""
    if actor is not None:
        require(actor, "voter.manage", election)
    refuse_observers(actor, election)
    refuse_when_archived(election)
    settings = locked_settings(election)
    if settings.is_list_frozen:
        raise ValidationError(_("The voter list is already frozen."))
    if has_reached(election, Election.State.COUNTING):
        raise ValidationError(_("Voting has ended; the list can no longer be frozen."))
    blockers = freeze_blockers(election)
    if blockers:
        raise ValidationError(blockers)
    sha256, count = list_digest(election)
    settings.list_frozen_at = timezone.now()
    settings.list_frozen_by = actor if actor is not None and actor.is_authenticated else None
    settings.list_frozen_entries = count
    settings.list_frozen_sha256 = sha256
    settings.save()
    per_precinct = dict(
        RegisterEntry.objects.filter(election=election, status=RegisterEntry.Status.LISTED)
        .values_list("precinct__number")
        .annotate(n=Count("pk"))
    )
    audit_log(
        action="voters.register.frozen",
        actor=actor,
        obj=settings,
        election=election,
        data={
            "entries": count,
            "sha256": sha256,
            "listed_per_precinct": {str(k): v for k, v in per_precinct.items()},
        },
    )
    return settings


# --- changes to entries -----------------------------------------------------------------------


def _check_actor_on_entry(actor, entry: RegisterEntry) -> None:
    if actor is not None:
        require(actor, "register.decide", entry)
    refuse_observers(actor, entry.election)
    require_member_acting(actor, selectors.pec_of(entry.precinct), entry.election)


def _display(value) -> str:
    if isinstance(value, TerritorialUnit):
        return str(value.number)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _apply(entry: RegisterEntry, changes: dict, *, actor, decision_number: str, reason: str, request=None):
    """Apply ``changes`` to a locked entry, keep their values and audit the fields changed."""
    election = entry.election
    if "precinct" in changes:
        precinct = changes["precinct"]
        if precinct.election_id != election.pk or precinct.kind != TerritorialUnit.Kind.PRECINCT:
            raise ValidationError({"precinct": _("Choose a precinct of this election.")})
    changed = {f: v for f, v in changes.items() if getattr(entry, f) != v}
    if not changed:
        raise ValidationError(_("Nothing changes: the values are those on the list."))
    before = {f: _display(getattr(entry, f)) for f in changed}
    for field, value in changed.items():
        setattr(entry, field, value)
    entry.updated_at = timezone.now()
    entry.correction_count += 1
    entry.full_clean(validate_constraints=False)
    entry.save()
    frozen = selectors.voter_settings(election).is_list_frozen
    change = RegisterEntryChange.objects.create(
        entry=entry,
        changed_by=actor if actor is not None and actor.is_authenticated else None,
        changes={f: [before[f], _display(v)] for f, v in changed.items()},
        decision_number=decision_number,
        reason=reason,
        correction_request=request,
        after_freeze=frozen,
    )
    audit_log(
        action="voters.register.entry_changed",
        actor=actor,
        obj=entry,
        election=election,
        data={
            "entry_id": entry.pk,
            "change_id": change.pk,
            "fields": sorted(changed),
            "precinct": entry.precinct.number,
            "decision_number": decision_number,
            "after_freeze": frozen,
            "correction_request_id": request.pk if request else None,
        },
    )
    return change


@transaction.atomic
def register_entry_change(
    *, entry: RegisterEntry, actor, reason: str, decision_number: str = "", **changes
) -> RegisterEntry:
    """Change an entry by a decision of the PEC or the secretariat (e.g. a court decision, a
    voter who died). After the list was frozen the decision's number and reason are required."""
    unknown = set(changes) - set(ENTRY_FIELDS)
    if unknown:
        raise TypeError(f"Unknown entry fields: {sorted(unknown)}")
    entry = (
        RegisterEntry.objects.select_for_update(of=("self",))
        .select_related("election", "precinct")
        .get(pk=entry.pk)
    )
    _check_actor_on_entry(actor, entry)
    election = entry.election
    refuse_when_archived(election)
    if has_reached(election, Election.State.COUNTING):
        raise ValidationError(_("Voting has ended; the voter list can no longer change."))
    errors = {}
    if not reason.strip():
        errors["reason"] = _("Give the reason for the change.")
    if selectors.voter_settings(election).is_list_frozen and not decision_number.strip():
        errors["decision_number"] = _("The final list is frozen: give the number of the decision.")
    if errors:
        raise ValidationError(errors)
    _apply(entry, changes, actor=actor, decision_number=decision_number.strip(), reason=reason.strip())
    return entry


# --- Form 3 ---------------------------------------------------------------------------------


def check_corrections_open(election: Election, now=None) -> None:
    """Form 3 requests are received while the list is published for checking: before the list
    is frozen, before voting, and within the window of the calendar (item 12)."""
    refuse_when_archived(election)
    if has_reached(election, Election.State.VOTING) or selectors.voter_settings(election).is_list_frozen:
        raise ValidationError(_("The voter list is final; correction requests are no longer received."))
    window = selectors.corrections_window(election)
    status = window.status(now)
    if status == "before":
        raise ValidationError(
            _("Correction requests are received from %(time)s.")
            % {"time": formats.date_format(election.local(window.opens_at), "DATETIME_FORMAT")}
        )
    if status == "closed":
        raise ValidationError(
            _("Correction requests were received until %(time)s.")
            % {"time": formats.date_format(election.local(window.closes_at), "DATETIME_FORMAT")}
        )


def _requested(entry: RegisterEntry, field: str, value: str):
    """The value a request asks for, as the entry stores it (or a ValidationError)."""
    value = value.strip()
    if not value:
        raise ValidationError({"requested_value": _("Give the correct value.")})
    if field == CorrectionRequest.Field.BIRTH_DATE:
        for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
            try:
                return dt.datetime.strptime(value, pattern).date()
            except ValueError:
                continue
        raise ValidationError({"requested_value": _("Write the date as DD.MM.YYYY.")})
    if field == CorrectionRequest.Field.PRECINCT:
        precinct = TerritorialUnit.objects.filter(
            election=entry.election,
            kind=TerritorialUnit.Kind.PRECINCT,
            number=value if value.isdigit() else -1,
        ).first()
        if precinct is None:
            raise ValidationError({"requested_value": _("There is no precinct with this number.")})
        return precinct
    limit = 300 if field == CorrectionRequest.Field.ADDRESS else 100
    if len(value) > limit:
        raise ValidationError(
            {"requested_value": _("Too long: at most %(max)s characters.") % {"max": limit}}
        )
    return value


@transaction.atomic
def correction_submit(
    *,
    entry: RegisterEntry,
    actor,
    field: str,
    requested_value: str,
    explanation: str = "",
    contact_email: str = "",
    document=None,
    language: str = "ru",
    system_import: bool = False,
) -> CorrectionRequest:
    """File a Form 3 request for one's own entry (found by personal number and date of birth).
    ``system_import=True`` (only with ``actor=None``: the historical demo, requests received on
    paper) skips the calendar window, not the freeze."""
    entry = RegisterEntry.objects.select_related("election", "precinct").get(pk=entry.pk)
    election = entry.election
    refuse_observers(actor, election)
    if system_import:
        require_system(actor, "A system import of Form 3 requests")
        if has_reached(election, Election.State.VOTING) or selectors.voter_settings(election).is_list_frozen:
            check_corrections_open(election)  # raises: the list is final
    else:
        check_corrections_open(election)
    if field not in CorrectionRequest.Field.values:
        raise ValidationError({"field": _("Choose what is wrong.")})
    value = _requested(entry, field, requested_value)
    if getattr(entry, field) == value:
        raise ValidationError({"requested_value": _("This is already the value on the list.")})
    request = CorrectionRequest(
        election=election,
        entry=entry,
        precinct=entry.precinct,
        field=field,
        current_value=_display(getattr(entry, field)),
        requested_value=_display(value),
        explanation=explanation.strip(),
        contact_email=contact_email.strip().lower(),
        document=document or "",
        language=language,
    )
    request.full_clean()
    request.save()
    audit_log(
        action="voters.correction.submitted",
        **audit_actor(actor),
        obj=request,
        election=election,
        data={
            "request_id": request.pk,
            "entry_id": entry.pk,
            "precinct": entry.precinct.number,
            "field": field,
            "with_document": bool(request.document),
        },
    )
    return request


def correction_decisions_open(election: Election) -> bool:
    """Whether a PEC may still decide Form 3 requests (the page shows the form only then): until the
    list is frozen or voting has begun, and never in an archived election."""
    return (
        election.state != Election.State.ARCHIVED
        and not selectors.voter_settings(election).is_list_frozen
        and not has_reached(election, Election.State.VOTING)
    )


@transaction.atomic
def correction_decide(
    *, request: CorrectionRequest, actor, decision: str, reason: str = ""
) -> CorrectionRequest:
    """The PEC of the entry's precinct (or the secretariat) decides a Form 3 request: "accept"
    corrects the entry, "reject" needs the reason the requester will read."""
    request = (
        CorrectionRequest.objects.select_for_update(of=("self",))
        .select_related("election", "precinct", "entry")
        .get(pk=request.pk)
    )
    election = request.election
    if actor is not None:
        require(actor, "register.decide", request)
    refuse_observers(actor, election)
    refuse_when_archived(election)
    require_member_acting(actor, selectors.pec_of(request.precinct), election)
    if request.status != C.SUBMITTED:
        raise ValidationError(_("This request is already decided."))
    if selectors.voter_settings(election).is_list_frozen or has_reached(election, Election.State.VOTING):
        raise ValidationError(_("The voter list is final; a change needs a recorded decision on the entry."))
    if decision not in ("accept", "reject"):
        raise ValidationError(_("Unknown decision."))
    if decision == "reject" and not reason.strip():
        raise ValidationError({"reason": _("Give the reason; the requester will read it.")})

    def on_adopted(record) -> dict:
        if decision == "accept":
            entry = (
                RegisterEntry.objects.select_for_update(of=("self",))
                .select_related("election", "precinct")
                .get(pk=request.entry_id)
            )
            value = _requested(entry, request.field, request.requested_value)
            _apply(
                entry,
                {request.field: value},
                actor=actor,
                decision_number=str(record.number),
                reason=_("Form 3 request No. %(number)s") % {"number": request.pk},
                request=request,
            )
        request.status = C.ACCEPTED if decision == "accept" else C.REJECTED
        request.decision = record
        request.save(update_fields=["status", "decision"])
        return {"reason": record.reasons}

    decision_take(
        election=election,
        kind=Decision.Kind.VOTER_CORRECTION,
        subject=request,
        subject_label=_("Form 3 request No. %(number)s") % {"number": request.pk},
        body=selectors.pec_of(request.precinct),
        outcome=Decision.Outcome.GRANTED if decision == "accept" else Decision.Outcome.REFUSED,
        actor=actor,
        action=f"voters.correction.{C.ACCEPTED if decision == 'accept' else C.REJECTED}",
        on_adopted=on_adopted,
        data={"request_id": request.pk, "entry_id": request.entry_id, "field": request.field},
        reasons=reason,
        received_at=request.submitted_at,
    )
    if request.contact_email:
        request_id = request.pk
        from .. import tasks

        task_enqueue(tasks.send_correction_decision.name, request_id)
    return request


@transaction.atomic
def correction_notify(*, request_id: int) -> bool:
    """E-mail the requester about the decision, once. True when sent."""
    request = (
        CorrectionRequest.objects.select_for_update(of=("self",))
        .select_related("election", "precinct")
        .filter(pk=request_id, status__in=[C.ACCEPTED, C.REJECTED])
        .exclude(contact_email="")
        .first()
    )
    if request is None or request.notified_status == request.status:
        return False
    notify(
        app="voters",
        to=request.contact_email,
        language=request.language,
        template=f"correction_{request.status}",
        election=request.election,
        time_zone=request.election.tz,
        defaults=election_context(request.election),
        context={"request": request, "field": lambda: request.get_field_display()},
    )
    request.notified_status = request.status
    request.save(update_fields=["notified_status"])
    return True
