"""Tokens of the write API (issue 21; seed 003 item 46: the automated count sends a precinct's
preliminary figures "to the central server"). A token belongs to one precinct commission, is
shown once when created (only its SHA-256 is kept), and is revoked, never deleted."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="api_tokens")
    commission = models.ForeignKey(
        "groups.Commission",
        on_delete=models.PROTECT,
        related_name="api_tokens",
        verbose_name=_("precinct commission"),
    )
    label = models.CharField(
        _("what it is for"), max_length=200, help_text=_("e.g. the ballot scanner of the precinct")
    )
    prefix = models.CharField(_("first characters"), max_length=8)
    key_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["election", "-created_at"]

    def __str__(self):
        return f"{self.prefix}… — {self.label}"

    def permission_scope(self):
        return self.commission.permission_scope()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
