"""The outbox: mails and tasks that must happen, written in the transaction of the change that
causes them and carried out by ``elections.outbox.outbox_drain`` until the mail server (or the
task) takes them. See ``elections/outbox.py``."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxStatus(models.TextChoices):
    """The state of an outgoing mail (tasks have the same values, see ``TaskStatus``)."""

    PENDING = "pending", _("waiting")
    #: claimed by a worker and being handed to the mail server (until ``next_attempt_at``, the lease)
    SENDING = "sending", _("being sent")
    DONE = "done", _("sent")
    CANCELLED = "cancelled", _("cancelled")


class TaskStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


class OutboxMail(models.Model):
    """One mail to one address. Once sent, its body is erased (it may hold a single-use link);
    recipient, subject and times stay for the record."""

    Status = OutboxStatus

    election = models.ForeignKey(
        "elections.Election",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("election"),
    )
    kind = models.CharField(_("kind"), max_length=100)
    to = models.CharField(_("recipient"), max_length=254)
    subject = models.CharField(_("subject"), max_length=998)
    body = models.TextField(_("text"), blank=True)
    headers = models.JSONField(default=dict, blank=True)
    #: idempotency: a second mail with the same key is not queued
    key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    #: a group of mails counted together, e.g. one reminder round
    batch = models.CharField(_("mailing"), max_length=100, blank=True, db_index=True)
    #: a newer mail with the same topic cancels the waiting older ones (a link that was replaced)
    topic = models.CharField(max_length=100, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=OutboxStatus.choices, default="pending")
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mails")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_mail_due")]

    def __str__(self):
        return f"{self.subject} → {self.to}"


#: what each background task does, in words (the task names are the code's)
TASK_LABELS = {
    "voters.send_credential_mails": _("Voting invitations or reminders (a batch)"),
    "voters.send_correction_decision": _("Mail about a decision on a correction request (Form 3)"),
    "voters.send_registration_duplicate_notice": _("Mail about a repeated voter registration"),
    "voters.send_registration_confirmation": _("Mail confirming a voter registration"),
    "voters.send_registration_decision": _("Mail about a decision on a voter registration"),
    "candidates.send_account_link": _("Mail with a link to set up an account"),
    "candidates.send_application_status": _("Mail about a candidate application"),
    "protocols.render_protocol_documents": _("Signed PDF documents of a protocol"),
    "protocols.mail_results": _("Mailing of the published results"),
    "protocols.build_archive": _("Building an archive"),
    "groups.send_member_invitation": _("Invitation of a commission member"),
    "groups.send_nomination_decision": _("Mail about a nomination to the organising committee"),
    "groups.send_observer_decision": _("Mail about an observer's accreditation"),
}


class OutboxTask(models.Model):
    """A background task that must run (by its Celery name, with JSON arguments). The drain runs
    it in the transaction that marks it done, so its writes and "done" commit together."""

    Status = TaskStatus

    name = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=TaskStatus.choices, default="pending")
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("background task")
        verbose_name_plural = _("background tasks")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_task_due")]

    def __str__(self):
        return str(TASK_LABELS.get(self.name, _("A background task")))
