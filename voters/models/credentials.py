"""Voting credentials for online voting: one per eligible voter, a single-use link by e-mail.

Only the SHA-256 of the link's random token is stored. The token is created when the mail is
sent (in the sending task) and replaced on a resend or a reminder, so a link from an older mail
stops working once a newer one is sent. Using the credential is a conditional update
(``used_at`` is set only where it is still empty), so it can be used once whatever the race.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from elections.models import Election

from .register import RegisterEntry
from .registration import VoterRegistration


class VotingCredential(models.Model):
    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="voting_credentials", verbose_name=_("election")
    )
    registration = models.OneToOneField(
        VoterRegistration,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="credential",
        verbose_name=_("registered voter"),
    )
    entry = models.OneToOneField(
        RegisterEntry,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="credential",
        verbose_name=_("voter list entry"),
    )
    email = models.EmailField(_("e-mail"))
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="ru")
    token_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("issued at"), default=timezone.now)
    sent_at = models.DateTimeField(_("invitation sent at"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("last e-mail sent at"), null=True, blank=True)
    resend_count = models.PositiveIntegerField(_("resent"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(
        _("vote confirmation sent at"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("voting credential")
        verbose_name_plural = _("voting credentials")
        ordering = ["election", "email"]
        constraints = [
            models.CheckConstraint(
                condition=Q(registration__isnull=False, entry__isnull=True)
                | Q(registration__isnull=True, entry__isnull=False),
                name="credential_for_exactly_one_voter",
            ),
            models.UniqueConstraint(
                fields=["token_hash"], condition=~Q(token_hash=""), name="unique_credential_token"
            ),
        ]
        # No index holds used_at or confirmation_sent_at: casting a vote (and sending its
        # confirmation) then updates the row in place (a HOT update, with the table's fillfactor
        # set in migration 0004) instead of writing a new entry into each of its indexes.

    def __str__(self):
        return f"{self.email} — {self.election}"

    def permission_scope(self):
        return self.election.permission_scope()

    @property
    def voter_name(self) -> str:
        if self.registration_id:
            return self.registration.name
        return self.entry.full_name if self.entry_id else ""

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.revoked_at is None


class CredentialMail(models.Model):
    """One mail sent for a credential; unique per (credential, kind, round), so a retried task
    sends nothing twice (like ``elections.CalendarReminder``)."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        RESEND = "resend", _("Resent invitation")
        REMINDER = "reminder", _("Reminder")

    credential = models.ForeignKey(VotingCredential, on_delete=models.CASCADE, related_name="mails")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    round = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("voting credential e-mail")
        verbose_name_plural = _("voting credential e-mails")
        constraints = [
            models.UniqueConstraint(
                fields=["credential", "kind", "round"], name="one_credential_mail_per_round"
            )
        ]

    def __str__(self):
        return f"{self.kind} #{self.round} — {self.credential_id}"
