"""What the secretariat sets per election: the announcement (seed 000 items 10–11), which
calendar activities are the application window, the withdrawal and cancellation deadlines and
the ballot approval, which fields the application form asks for, and the verification checklist.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from elections.models import Election, Translated

from ..files import private_storage, settings_form_path, validate_document


class FieldMode(models.TextChoices):
    REQUIRED = "required", _("required")
    OPTIONAL = "optional", _("optional")
    HIDDEN = "hidden", _("not asked")


#: the fields of the application form the secretariat configures, in form order, with labels
CONFIGURABLE_FIELDS: list[tuple[str, object]] = [
    ("organisation", _("Organisation")),
    ("occupation", _("Position or occupation")),
    ("region", _("Region or place of residence")),
    ("birth_date", _("Date of birth")),
    ("phone", _("Phone")),
    ("programme", _("Programme or statement")),
    ("photo", _("Photo")),
    ("document", _("Signed application form")),
]
FIELD_NAMES = [name for name, _label in CONFIGURABLE_FIELDS]
FIELD_DEFAULTS = {
    "organisation": FieldMode.OPTIONAL,
    "occupation": FieldMode.OPTIONAL,
    "region": FieldMode.OPTIONAL,
    "birth_date": FieldMode.HIDDEN,
    "phone": FieldMode.OPTIONAL,
    "programme": FieldMode.REQUIRED,
    "photo": FieldMode.OPTIONAL,
    "document": FieldMode.REQUIRED,
}

#: calendar template slug -> defaults of CandidacySettings (activity numbers of that template)
TEMPLATE_DEFAULTS: dict[str, dict] = {
    # seed 000: the announcement (item 11, 11 August) opens the applications; registration closes
    # with item 16 (15 August); the commission decides by item 16 too (no per-case rule in the
    # plan); withdrawals until the assembly (item 20, voting day). Ballots are fixed when voting
    # opens (no ballot-approval activity).
    "ccm-ngo-2024": {
        "window_activity": 16,
        "window_opens_activity": 11,
        "party_list_window_activity": None,
        "withdrawal_activity": 20,
        "cancellation_activity": 20,
        "ballot_approval_activity": None,
        "decision_activity": 16,
        "allow_self": True,
        "allow_organisation": True,
        "allow_party_list": False,
        "publish_birth_year": False,
        "fields": {
            "organisation": "required",
            "occupation": "optional",
            "region": "required",
            "birth_date": "hidden",
            "phone": "optional",
            "programme": "required",
            "photo": "optional",
            "document": "required",
        },
    },
    # seed 003: nomination of party lists for city councils (item 16) and of candidates for
    # aiyl councils (item 17); verification within 7 days of acceptance (item 20, per case);
    # withdrawal and cancellation not later than 2 days before voting (items 25, 26); the ballot
    # text is approved by item 39. Publication gives the year of birth, occupation and residence
    # (item 24).
    "kg-local-2016": {
        "window_activity": 17,
        "window_opens_activity": None,
        "party_list_window_activity": 16,
        "withdrawal_activity": 25,
        "cancellation_activity": 26,
        "ballot_approval_activity": 39,
        "decision_activity": None,
        "allow_self": True,
        "allow_organisation": False,
        "allow_party_list": True,
        "publish_birth_year": True,
        "fields": {
            "organisation": "optional",
            "occupation": "required",
            "region": "required",
            "birth_date": "required",
            "phone": "optional",
            "programme": "optional",
            "photo": "optional",
            "document": "required",
        },
    },
}

ACTIVITY_FIELDS = (
    "window_activity",
    "window_opens_activity",
    "party_list_window_activity",
    "withdrawal_activity",
    "cancellation_activity",
    "ballot_approval_activity",
    "decision_activity",
)


def _activity_field(verbose_name, help_text):
    return models.PositiveIntegerField(verbose_name, null=True, blank=True, help_text=help_text)


class CandidacySettings(models.Model):
    """One per election; until the secretariat saves it, ``selectors.settings_for`` gives the
    defaults of the election's calendar template (``TEMPLATE_DEFAULTS``)."""

    election = models.OneToOneField(
        Election, on_delete=models.CASCADE, related_name="candidacy_settings", verbose_name=_("election")
    )
    # the announcement (seed 000 items 10-11)
    announcement_ru = models.TextField(_("announcement (Russian)"), blank=True)
    announcement_en = models.TextField(_("announcement (English)"), blank=True)
    announcement_kk = models.TextField(_("announcement (Kazakh)"), blank=True)
    announcement_ky = models.TextField(_("announcement (Kyrgyz)"), blank=True)
    criteria_ru = models.TextField(
        _("criteria for candidates (Russian)"),
        blank=True,
        help_text=_("Who may stand, as published; the commission's checklist is set separately."),
    )
    criteria_en = models.TextField(_("criteria for candidates (English)"), blank=True)
    criteria_kk = models.TextField(_("criteria for candidates (Kazakh)"), blank=True)
    criteria_ky = models.TextField(_("criteria for candidates (Kyrgyz)"), blank=True)
    duties_ru = models.TextField(_("rights and duties of the elected (Russian)"), blank=True)
    duties_en = models.TextField(_("rights and duties of the elected (English)"), blank=True)
    duties_kk = models.TextField(_("rights and duties of the elected (Kazakh)"), blank=True)
    duties_ky = models.TextField(_("rights and duties of the elected (Kyrgyz)"), blank=True)
    application_form = models.FileField(
        _("application form to download (PDF)"),
        storage=private_storage,
        upload_to=settings_form_path,
        blank=True,
        validators=[validate_document],
        help_text=_("The blank form candidates print, sign and upload; PDF, PNG or JPEG, at most 10 MB."),
    )
    published_at = models.DateTimeField(_("announcement published at"), null=True, blank=True)
    # the calendar (activity numbers of the election's calendar plan)
    window_activity = _activity_field(
        _("application window (activity №)"),
        _("Applications are accepted from its start to its deadline."),
    )
    window_opens_activity = _activity_field(
        _("applications open with (activity №)"),
        _("When the window activity has no start date: applications open when this activity starts."),
    )
    party_list_window_activity = _activity_field(
        _("window for party lists (activity №)"),
        _("A separate window for candidates on party lists; empty means the same window."),
    )
    withdrawal_activity = _activity_field(
        _("last day to withdraw (activity №)"),
        _("Candidates and parties may withdraw until this activity's deadline."),
    )
    cancellation_activity = _activity_field(
        _("last day to cancel a registration (activity №)"),
        _("The commission may cancel a registration until this activity's deadline."),
    )
    ballot_approval_activity = _activity_field(
        _("approval of the ballot (activity №)"),
        _(
            "Withdrawals after it are marked in the results instead of being removed from the "
            "ballot; empty means the ballot is fixed when voting opens."
        ),
    )
    decision_case_kind = models.CharField(
        _("per-case rule of the decision deadline"),
        max_length=64,
        default="candidate_application",
        blank=True,
        help_text=_("The case kind of the calendar's per-case rule, e.g. candidate_application."),
    )
    decision_activity = _activity_field(
        _("decisions due by (activity №)"),
        _("When the calendar has no per-case rule: every application is decided by this deadline."),
    )
    # the application form
    allow_self = models.BooleanField(_("self-nomination"), default=True)
    allow_organisation = models.BooleanField(_("nomination by the group or an organisation"), default=True)
    allow_party_list = models.BooleanField(_("party lists"), default=False)
    fields = models.JSONField(_("fields of the application form"), default=dict, blank=True)
    max_document_mb = models.PositiveSmallIntegerField(
        _("size limit of the signed form (MB)"), default=10, help_text=_("From 1 to 10 MB.")
    )
    publish_birth_year = models.BooleanField(
        _("publish the year of birth"),
        default=False,
        help_text=_("Seed 003 item 24 publishes the year of birth; the full date is never published."),
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    announcement = Translated("announcement")
    criteria = Translated("criteria")
    duties = Translated("duties")

    class Meta:
        verbose_name = _("candidacy settings")
        verbose_name_plural = _("candidacy settings")

    def __str__(self):
        return str(self.election)

    def permission_scope(self):
        return self.election.permission_scope()

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def field_mode(self, name: str) -> str:
        return (self.fields or {}).get(name) or FIELD_DEFAULTS[name]

    def field_modes(self) -> dict[str, str]:
        return {name: self.field_mode(name) for name in FIELD_NAMES}

    def clean(self):
        errors = {}
        unknown = set(self.fields or {}) - set(FIELD_NAMES)
        bad = {k: v for k, v in (self.fields or {}).items() if v not in FieldMode.values}
        if unknown or bad:
            errors["fields"] = _("Unknown field or mode in the form settings.")
        if not 1 <= (self.max_document_mb or 0) <= 10:
            errors["max_document_mb"] = _("Choose a limit from 1 to 10 MB.")
        if not (self.allow_self or self.allow_organisation or self.allow_party_list):
            errors["allow_self"] = _("Allow at least one kind of nomination.")
        if errors:
            raise ValidationError(errors)


class Criterion(models.Model):
    """One line of the commission's verification checklist (seed 000 item 16 (4))."""

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="candidate_criteria", verbose_name=_("election")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text_ru = models.CharField(_("criterion (Russian)"), max_length=500)
    text_en = models.CharField(_("criterion (English)"), max_length=500, blank=True)
    text_kk = models.CharField(_("criterion (Kazakh)"), max_length=500, blank=True)
    text_ky = models.CharField(_("criterion (Kyrgyz)"), max_length=500, blank=True)

    text = Translated("text")

    class Meta:
        verbose_name = _("verification criterion")
        verbose_name_plural = _("verification criteria")
        ordering = ["election", "order", "pk"]

    def __str__(self):
        return self.text

    def permission_scope(self):
        return self.election.permission_scope()
