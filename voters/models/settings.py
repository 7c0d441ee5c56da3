"""Per-election settings of the voters area: the registration window, the window for "Form 3"
correction requests, and the freeze of the final voter list."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from elections.models import Election

#: calendar template -> {window: activity number} used when the settings name no activity.
#: ccm-ngo-2024 item 14 "opening of registration … exact date and time when acceptance of
#: applications opens and closes"; kg-local-2016 item 12 "receipt and processing of applications
#: for changes to personal data (Form 3)".
DEFAULT_ACTIVITIES = {
    "ccm-ngo-2024": {"registration": 14},
    "kg-local-2016": {"corrections": 12},
}


class VoterSettings(models.Model):
    """One row per election (created on first save by ``voters.services.voter_settings_update``).

    A window is taken from a calendar activity (its ``starts_at``/``due_at``), and explicit
    instants given here override either end: seed 000 has the organising committee announce the
    exact date and time, which the calendar template does not hold.
    """

    election = models.OneToOneField(
        Election, on_delete=models.CASCADE, related_name="voter_settings", verbose_name=_("election")
    )
    registration_activity = models.PositiveIntegerField(
        _("calendar activity of voter registration"),
        null=True,
        blank=True,
        help_text=_("Number of the calendar activity whose start and deadline are the registration window."),
    )
    registration_opens_at = models.DateTimeField(
        _("registration opens"),
        null=True,
        blank=True,
        help_text=_("Exact date and time; overrides the calendar activity's start."),
    )
    registration_closes_at = models.DateTimeField(
        _("registration closes"),
        null=True,
        blank=True,
        help_text=_("Exact date and time; overrides the calendar activity's deadline."),
    )
    corrections_activity = models.PositiveIntegerField(
        _("calendar activity of correction requests (Form 3)"),
        null=True,
        blank=True,
        help_text=_("Number of the calendar activity whose start and deadline limit Form 3 requests."),
    )
    corrections_open_at = models.DateTimeField(_("correction requests accepted from"), null=True, blank=True)
    corrections_close_at = models.DateTimeField(
        _("correction requests accepted until"), null=True, blank=True
    )
    list_frozen_at = models.DateTimeField(_("final voter list frozen at"), null=True, blank=True)
    list_frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    list_frozen_entries = models.PositiveIntegerField(_("entries on the frozen list"), null=True, blank=True)
    list_frozen_sha256 = models.CharField(_("SHA-256 of the frozen list"), max_length=64, blank=True)
    reminder_rounds = models.PositiveIntegerField(_("reminder rounds sent"), default=0)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("voter settings")
        verbose_name_plural = _("voter settings")

    def __str__(self):
        return str(self.election)

    def permission_scope(self):
        return self.election.permission_scope()

    @property
    def is_list_frozen(self) -> bool:
        return self.list_frozen_at is not None

    def clean(self):
        errors = {}
        opens, closes = self.registration_opens_at, self.registration_closes_at
        if opens and closes and closes <= opens:
            errors["registration_closes_at"] = _("Registration must close after it opens.")
        opens, closes = self.corrections_open_at, self.corrections_close_at
        if opens and closes and closes <= opens:
            errors["corrections_close_at"] = _("The end must come after the start.")
        if errors:
            raise ValidationError(errors)
