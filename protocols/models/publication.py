"""Subscribers to published results (seed 000 item 24: "national mailing") and the record of
what was mailed, so a retried task never mails anybody twice."""

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    return secrets.token_urlsafe(24)


class ResultSubscription(models.Model):
    """An e-mail address that wants the results of one election (or of every election when
    ``election`` is empty). Confirmed by a link (double opt-in); unsubscribed by another."""

    election = models.ForeignKey(
        "elections.Election",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="result_subscriptions",
        verbose_name=_("election"),
    )
    email = models.EmailField(_("e-mail"))
    language = models.CharField(_("language"), max_length=8, default="ru")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("subscribed at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("results subscription")
        verbose_name_plural = _("results subscriptions")
        constraints = [
            models.UniqueConstraint(fields=["election", "email"], name="one_subscription_per_address")
        ]

    def __str__(self):
        return self.email

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


class ResultMailing(models.Model):
    """One results mail to one subscriber for one election (unique: sent once)."""

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    subscription = models.ForeignKey(ResultSubscription, on_delete=models.CASCADE, related_name="mailings")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["election", "subscription"], name="one_results_mail_per_subscriber"
            )
        ]

    def __str__(self):
        return f"{self.election} → {self.subscription}"
