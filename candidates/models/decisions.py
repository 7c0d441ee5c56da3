"""The commission's work on an application: each member's review against the checklist and the
records that make deadline reminders idempotent. The numbered decision with the members' votes
(seed 000 items 15–16, seed 003 items 20–22, 26) is an ``elections.Decision``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models import CommissionMember

from .applications import Application
from .settings import Criterion


class Review(models.Model):
    """One member's review of one application (changeable until the decision)."""

    class Recommendation(models.TextChoices):
        ADMIT = "admit", _("Admit")
        REFUSE = "refuse", _("Refuse")
        UNDECIDED = "undecided", _("No recommendation yet")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("application")
    )
    member = models.ForeignKey(
        CommissionMember, on_delete=models.PROTECT, related_name="candidate_reviews", verbose_name=_("member")
    )
    recommendation = models.CharField(
        _("recommendation"), max_length=16, choices=Recommendation.choices, default=Recommendation.UNDECIDED
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["application", "member__position", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["application", "member"], name="one_review_per_member")
        ]

    def __str__(self):
        return f"{self.member.user} — {self.application}"


class ReviewCheck(models.Model):
    """A criterion of the checklist as one member found it."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="checks")
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="checks", verbose_name=_("criterion")
    )
    is_met = models.BooleanField(_("met"))
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("checked criterion")
        verbose_name_plural = _("checked criteria")
        ordering = ["review", "criterion__order", "criterion__pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="one_check_per_criterion")
        ]

    def __str__(self):
        return f"{self.criterion}: {self.is_met}"


class DecisionReminder(models.Model):
    """One reminder sent about an undecided application: unique per application, member and kind,
    so a second run or a retried task sends nothing twice."""

    class Kind(models.TextChoices):
        DAYS_3 = "d3", _("3 days before")
        DAYS_1 = "d1", _("1 day before")
        DUE_DAY = "d0", _("on the last day")
        OVERDUE = "overdue", _("overdue")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("decision reminder")
        verbose_name_plural = _("decision reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "user", "kind"], name="unique_decision_reminder_per_kind"
            )
        ]

    def __str__(self):
        return f"{self.application} → {self.user} ({self.kind})"
