"""The campaign in public (seed 003 items 28, 30–32, 40).

* ``CampaignEvent`` — a meeting, debate, rally or march notified to the territorial commission by
  a candidate or party (item 31), with its place, time and expected size, and the commission's
  answer; inside the contest's campaign period only (item 30).
* ``CampaignPlace`` — a special place for printed campaign material at a precinct, allocated by
  the local authority within 7 days of the call (item 32).
* ``MediaRate`` — an outlet's published rates and conditions for air time and print space, filed
  with the CEC not later than 7 days after the call (item 28).
* ``VoterNotice`` — the precinct commission's notice of the time and place of voting, published
  not later than 7 days before voting (item 40).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from elections.files import private_storage


class CampaignEvent(models.Model):
    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting with voters")
        DEBATE = "debate", _("Public debate or discussion")
        RALLY = "rally", _("Rally")
        MARCH = "march", _("Demonstration or march")

    class Status(models.TextChoices):
        NOTIFIED = "notified", _("Notified")
        AGREED = "agreed", _("Agreed by the commission")
        MOVED = "moved", _("Agreed at another place or time")
        REFUSED = "refused", _("Refused")

    election = models.ForeignKey(
        "elections.Election", on_delete=models.CASCADE, related_name="campaign_events"
    )
    commission = models.ForeignKey("groups.Commission", on_delete=models.PROTECT, related_name="+")
    contest = models.ForeignKey(
        "ballots.Contest", on_delete=models.PROTECT, related_name="+", verbose_name=_("ballot")
    )
    organiser = models.CharField(_("organised by"), max_length=300, help_text=_("The candidate or party."))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    place = models.CharField(_("place"), max_length=300)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    expected = models.PositiveIntegerField(_("expected participants"))
    notified_at = models.DateTimeField(_("notified at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NOTIFIED)
    answer = models.TextField(_("the commission's answer"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("campaign event")
        verbose_name_plural = _("campaign events")
        ordering = ["election", "starts_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.organiser}"

    def permission_scope(self):
        return self.commission.permission_scope()


class CampaignPlace(models.Model):
    election = models.ForeignKey(
        "elections.Election", on_delete=models.CASCADE, related_name="campaign_places"
    )
    unit = models.ForeignKey(
        "groups.TerritorialUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("precinct")
    )
    address = models.CharField(_("address"), max_length=300)
    allocated_by = models.CharField(_("allocated by"), max_length=300, help_text=_("The local authority."))
    allocated_on = models.DateField(_("allocated on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("place for campaign material")
        verbose_name_plural = _("places for campaign material")
        ordering = ["election", "unit__number", "pk"]

    def __str__(self):
        return self.address


class MediaRate(models.Model):
    class Medium(models.TextChoices):
        TV = "tv", _("Television")
        RADIO = "radio", _("Radio")
        PRINT = "print", _("Newspaper or magazine")
        ONLINE = "online", _("Online outlet")

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="media_rates")
    outlet = models.CharField(_("outlet"), max_length=300)
    medium = models.CharField(_("medium"), max_length=8, choices=Medium.choices)
    conditions = models.TextField(_("rates and conditions"))
    published_on = models.DateField(_("published on"))
    filed_on = models.DateField(_("filed with the central commission on"))
    document = models.FileField(
        _("document"), storage=private_storage, upload_to="campaign/media/%Y/", blank=True, max_length=300
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("media rates")
        verbose_name_plural = _("media rates")
        ordering = ["election", "outlet"]

    def __str__(self):
        return self.outlet


class VoterNotice(models.Model):
    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="voter_notices")
    unit = models.ForeignKey(
        "groups.TerritorialUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("precinct")
    )
    text = models.TextField(_("notice"))
    published_at = models.DateTimeField(_("published at"))
    channels = models.CharField(
        _("published through"),
        max_length=300,
        help_text=_("e.g. posted at the school, the district newspaper, delivered to homes"),
    )
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("notice to voters")
        verbose_name_plural = _("notices to voters")
        constraints = [
            models.UniqueConstraint(fields=["election", "unit"], name="one_voter_notice_per_precinct")
        ]

    def __str__(self):
        return str(self.unit)
