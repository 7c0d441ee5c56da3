"""Authorised representatives of candidates and parties, for the election and for financial
matters, and proxies (seed 003 items 15, 27): registered by the territorial commission within two
calendar days of the documents, or refused with the reasons; a registered one carries a credential
whose code opens a public verification page; the registration can be cancelled."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from elections.files import private_storage
from elections.models import DecidedRequest


def new_credential_code() -> str:
    return secrets.token_urlsafe(12)


class Representative(DecidedRequest):
    class Kind(models.TextChoices):
        ELECTION = "election", _("Authorised representative for the election")
        FINANCIAL = "financial", _("Authorised representative for financial matters")
        PROXY = "proxy", _("Proxy")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Documents received, awaiting the decision")
        REGISTERED = "registered", _("Registered")
        REFUSED = "refused", _("Registration refused")
        CANCELLED = "cancelled", _("Registration cancelled")

    election = models.ForeignKey(
        "elections.Election",
        on_delete=models.CASCADE,
        related_name="representatives",
        verbose_name=_("election"),
    )
    commission = models.ForeignKey(
        "groups.Commission",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registering commission"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    party_list = models.ForeignKey(
        "candidates.PartyList",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="representatives",
        verbose_name=_("party (its list)"),
    )
    application = models.ForeignKey(
        "candidates.Application",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="representatives",
        verbose_name=_("candidate"),
    )
    full_name = models.CharField(_("full name"), max_length=300)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    document = models.FileField(
        _("documents (decision or power of attorney)"),
        storage=private_storage,
        upload_to="campaign/representatives/%Y/",
        blank=True,
        max_length=300,
    )
    received_at = models.DateTimeField(_("documents received at"))
    due_at = models.DateTimeField(_("to be decided by"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    credential_code = models.CharField(
        max_length=32, default=new_credential_code, unique=True, editable=False
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")
        ordering = ["election", "received_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(party_list__isnull=False, application__isnull=True)
                | Q(party_list__isnull=True, application__isnull=False),
                name="representative_of_a_party_or_a_candidate",
            )
        ]

    def __str__(self):
        return f"{self.full_name} — {self.get_kind_display()}"

    def permission_scope(self):
        return self.commission.permission_scope()

    @property
    def principal(self):
        return self.party_list or self.application

    @property
    def principal_name(self) -> str:
        if self.party_list_id:
            return self.party_list.party_name
        return self.application.full_name
