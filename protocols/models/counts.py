"""Stored counts of contests: the engine's result, report and version for one contest."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ContestCount(models.Model):
    """The result of counting one contest, with the engine's stage-by-stage report and version."""

    contest = models.ForeignKey("ballots.Contest", on_delete=models.PROTECT, related_name="counts")
    method = models.CharField(_("counting method"), max_length=16)
    seats = models.PositiveSmallIntegerField(_("seats"))
    tallies = models.JSONField(_("votes per option and special ballots"), default=dict)
    report = models.JSONField(_("report"), default=dict)
    engine_version = models.CharField(_("engine version"), max_length=16)
    ballots_fingerprint = models.CharField(_("SHA-256 of the ballot set"), max_length=64)
    counted_at = models.DateTimeField(_("counted at"), default=timezone.now)
    counted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("count of a contest")
        verbose_name_plural = _("counts of contests")
        ordering = ["-counted_at"]

    def __str__(self):
        return f"{self.contest} ({self.method}, {self.counted_at:%Y-%m-%d %H:%M})"
