"""The secretariat's settings of candidacy: the announcement (seed 000 items 10–11), the calendar
activities that bound applications, withdrawals and cancellations, the application form's
fields, and the commission's checklist."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import require
from elections.audit import audit_log

from ..models import CandidacySettings, Criterion
from ..selectors import settings_for
from ._common import file_digest, refuse_observers

EDITABLE = (
    "announcement_ru",
    "announcement_en",
    "announcement_kk",
    "announcement_ky",
    "criteria_ru",
    "criteria_en",
    "criteria_kk",
    "criteria_ky",
    "duties_ru",
    "duties_en",
    "duties_kk",
    "duties_ky",
    "application_form",
    "window_activity",
    "window_opens_activity",
    "party_list_window_activity",
    "withdrawal_activity",
    "cancellation_activity",
    "ballot_approval_activity",
    "decision_case_kind",
    "decision_activity",
    "allow_self",
    "allow_organisation",
    "allow_party_list",
    "fields",
    "max_document_mb",
    "publish_birth_year",
)


def _locked_settings(election) -> CandidacySettings:
    """The saved row, locked; created from the template's defaults on the first save."""
    current = settings_for(election)
    if current.pk is None:
        current.save()
    return CandidacySettings.objects.select_for_update().get(pk=current.pk)


def _audit_value(field, value):
    if field == "application_form":
        return file_digest(value) if value and not getattr(value, "_committed", False) else bool(value)
    return value


@transaction.atomic
def candidacy_settings_update(*, election, actor, **fields) -> CandidacySettings:
    """Change the settings (secretariat). Dates are never entered here: they come from the
    calendar plan, whose activities are named by number."""
    if actor is not None:
        require(actor, "candidate.manage", election)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"Unknown settings fields: {sorted(unknown)}")
    settings = _locked_settings(election)
    changed = {}
    for name, value in fields.items():
        if name == "application_form" and not value:
            continue  # keep the stored form unless a new one is uploaded
        if getattr(settings, name) != value:
            changed[name] = _audit_value(name, value)
            setattr(settings, name, value)
    if not changed:
        return settings
    settings.updated_at = timezone.now()
    settings.full_clean()
    settings.save()
    audit_log(
        action="candidates.settings.updated", actor=actor, obj=settings, election=election, data=changed
    )
    return settings


@transaction.atomic
def announcement_publish(*, election, actor, publish: bool = True) -> CandidacySettings:
    """Publish the announcement on the public page (seed 000 item 11), or take it down."""
    if actor is not None:
        require(actor, "candidate.manage", election)
    refuse_observers(actor, election)
    settings = _locked_settings(election)
    if publish:
        if not settings.announcement_ru.strip():
            raise ValidationError(_("Write the text of the announcement in Russian before publishing it."))
        if settings.is_published:
            return settings
        settings.published_at = timezone.now()
    else:
        if not settings.is_published:
            return settings
        settings.published_at = None
    settings.save(update_fields=["published_at"])
    audit_log(
        action="candidates.announcement.published" if publish else "candidates.announcement.unpublished",
        actor=actor,
        obj=settings,
        election=election,
        data={"published_at": settings.published_at},
    )
    return settings


@transaction.atomic
def criterion_add(*, election, actor, text_ru: str, text_en: str = "", order: int | None = None) -> Criterion:
    """Add a line to the commission's verification checklist."""
    if actor is not None:
        require(actor, "candidate.manage", election)
    if order is None:
        last = Criterion.objects.filter(election=election).order_by("-order").first()
        order = (last.order + 1) if last else 1
    criterion = Criterion(election=election, text_ru=text_ru.strip(), text_en=text_en.strip(), order=order)
    criterion.full_clean()
    criterion.save()
    audit_log(
        action="candidates.criterion.created",
        actor=actor,
        obj=criterion,
        election=election,
        data={"criterion_id": criterion.pk, "text_ru": criterion.text_ru, "order": order},
    )
    return criterion


@transaction.atomic
def criterion_delete(*, criterion: Criterion, actor) -> None:
    """Remove a line of the checklist; one already used in a member's review stays."""
    election = criterion.election
    if actor is not None:
        require(actor, "candidate.manage", election)
    data = {"criterion_id": criterion.pk, "text_ru": criterion.text_ru}
    try:
        with transaction.atomic():
            criterion.delete()
    except ProtectedError:
        raise ValidationError(
            _("This criterion is already used in the members' reviews and cannot be removed.")
        ) from None
    audit_log(action="candidates.criterion.deleted", actor=actor, election=election, data=data)
