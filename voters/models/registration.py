"""Voters registered inside an electoral group (seed 000 items 13–16).

Voters are natural persons (for community-based organisations and initiative groups) or legally
registered organisations without collective membership that provide HIV and TB services. An
organisation registers through its representative, whose e-mail receives the mails.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.permissions import Scope
from elections.models import DecidedRequest, Election
from groups.models import ElectoralGroup

from ..regions import REGIONS


class VoterRegistration(DecidedRequest):
    class Kind(models.TextChoices):
        PERSON = "person", _("Natural person")
        ORGANISATION = "organisation", _("Organisation")

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("E-mail not confirmed")
        CONFIRMED = "confirmed", _("Awaiting the commission's decision")
        ACCEPTED = "accepted", _("Registered")
        REJECTED = "rejected", _("Rejected")

    class Source(models.TextChoices):
        FORM = "form", _("Registration form")
        SYSTEM = "system", _("Entered by the system (import)")

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="voter_registrations", verbose_name=_("election")
    )
    group = models.ForeignKey(
        ElectoralGroup,
        on_delete=models.CASCADE,
        related_name="voter_registrations",
        verbose_name=_("electoral group"),
    )
    kind = models.CharField(_("voter"), max_length=16, choices=Kind.choices)
    name = models.CharField(
        _("name"), max_length=300, help_text=_("Full name of the person, or the organisation's name.")
    )
    registration_number = models.CharField(
        _("registration number"),
        max_length=50,
        blank=True,
        help_text=_("The organisation's state registration number (BIN)."),
    )
    representative_name = models.CharField(_("representative's full name"), max_length=200, blank=True)
    email = models.EmailField(
        _("e-mail"), help_text=_("The person's e-mail, or the organisation's representative's e-mail.")
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    region = models.CharField(_("region"), max_length=32, choices=REGIONS)
    organisation = models.CharField(
        _("organisation or community group"),
        max_length=300,
        blank=True,
        help_text=_("For a person: the organisation or initiative group they belong to, if any."),
    )
    consent_text = models.TextField(_("consent to the processing of personal data, as given"))
    consent_given_at = models.DateTimeField(_("consent given at"))
    language = models.CharField(
        _("language of e-mails"), max_length=8, choices=settings.LANGUAGES, default="ru"
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.FORM)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.UNCONFIRMED, db_index=True
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    confirm_token_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    confirmation_sent_at = models.DateTimeField(_("confirmation e-mail sent at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("e-mail confirmed at"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="voter_registrations",
        verbose_name=_("portal account"),
    )
    notified_status = models.CharField(max_length=16, blank=True, editable=False)

    class Meta:
        verbose_name = _("voter registration")
        verbose_name_plural = _("voter registrations")
        ordering = ["group", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "email"],
                condition=~Q(status="rejected"),
                name="one_live_registration_per_email_and_group",
            ),
            models.UniqueConstraint(
                fields=["group", "registration_number"],
                condition=Q(kind="organisation") & ~Q(status="rejected"),
                name="one_live_registration_per_organisation_and_group",
            ),
        ]
        indexes = [models.Index(fields=["election", "status"])]

    def __str__(self):
        return f"{self.name} — {self.group}"

    def permission_scope(self):

        return Scope(election_id=self.election_id, group_id=self.group_id)

    @property
    def is_organisation(self) -> bool:
        return self.kind == self.Kind.ORGANISATION

    @property
    def organisation_counted(self) -> str:
        """The organisation the protocol counts this voter under (seed 000 stage 5)."""
        return self.name if self.is_organisation else self.organisation.strip()
