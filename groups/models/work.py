"""The commissions' own work around an election (seed 003 items 7, 35, 37).

* ``TrainingSession`` / ``TrainingAttendance`` — training of TEC and PEC members (item 7: "by a
  separate plan and schedule"): topic, time, trainer, place, the commissions invited; each invited
  member's attendance.
* ``BudgetLine`` / ``Spending`` — the CEC's estimate of the election's costs by commission and by
  article (item 35), the lines of a TEC or PEC being its allocation, and what each commission spent
  against them with its documents (item 37: the control of the targeted use of the money).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from elections.files import private_storage


class TrainingSession(models.Model):
    election = models.ForeignKey(
        "elections.Election", on_delete=models.CASCADE, related_name="training_sessions"
    )
    topic = models.CharField(_("topic"), max_length=300)
    starts_at = models.DateTimeField(_("starts at"))
    trainer = models.CharField(_("trainer"), max_length=300)
    place = models.CharField(_("place"), max_length=300)
    commissions = models.ManyToManyField(
        "groups.Commission", related_name="training_sessions", verbose_name=_("commissions invited")
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    attendance_recorded_at = models.DateTimeField(_("attendance recorded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["election", "starts_at", "pk"]

    def __str__(self):
        return self.topic


class TrainingAttendance(models.Model):
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey("groups.CommissionMember", on_delete=models.CASCADE, related_name="training")
    attended = models.BooleanField(_("attended"), default=False)

    class Meta:
        verbose_name = _("attendance at a training session")
        verbose_name_plural = _("attendance at training sessions")
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="one_attendance_per_member")
        ]

    def __str__(self):
        return f"{self.member} — {self.session}"


class Article(models.TextChoices):
    PAY = "pay", _("Pay of commission members and staff")
    PRINTING = "printing", _("Printing (ballots, forms, notices)")
    EQUIPMENT = "equipment", _("Equipment and ballot boxes")
    PREMISES = "premises", _("Premises and utilities")
    TRANSPORT = "transport", _("Transport and communications")
    TRAINING = "training", _("Training")
    INFORMATION = "information", _("Informing voters")
    OTHER = "other", _("Other")


class BudgetLine(models.Model):
    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="budget_lines")
    commission = models.ForeignKey("groups.Commission", on_delete=models.PROTECT, related_name="budget_lines")
    article = models.CharField(_("article"), max_length=16, choices=Article.choices)
    planned = models.DecimalField(_("planned"), max_digits=14, decimal_places=2)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("line of the estimate")
        verbose_name_plural = _("lines of the estimate")
        ordering = ["election", "commission", "article"]
        constraints = [
            models.UniqueConstraint(fields=["commission", "article"], name="one_budget_line_per_article")
        ]

    def __str__(self):
        return f"{self.commission} — {self.get_article_display()}"


class Spending(models.Model):
    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="spendings")
    commission = models.ForeignKey("groups.Commission", on_delete=models.PROTECT, related_name="spendings")
    article = models.CharField(_("article"), max_length=16, choices=Article.choices)
    on_date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    description = models.CharField(_("what was paid for"), max_length=300)
    document_ref = models.CharField(
        _("payment document"),
        max_length=120,
        help_text=_("Its number and date, e.g. payment order № 15 of 02.12.2016."),
    )
    document = models.FileField(
        _("scan of the document"), storage=private_storage, upload_to="budget/%Y/", blank=True, max_length=300
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("spending")
        verbose_name_plural = _("spendings")
        ordering = ["election", "on_date", "pk"]

    def __str__(self):
        return f"{self.on_date} {self.amount}"
