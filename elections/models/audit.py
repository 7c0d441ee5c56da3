"""Heads of the audit log that the portal has published (the anchors of ``verify_audit``)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PublishedHead(models.Model):
    """The audit log's head (entry count and the last entry's hash) as the portal published it.

    A row is added by the Celery beat task ``elections.publish_audit_head`` and at significant
    events (a protocol frozen after its last signature, an archive built, results published, an
    election archived). Each row is signed with the portal's key (``statement`` is the exact
    signed text, ``signature`` the detached signature, base64), so a copy kept outside the
    portal can be checked offline. Rows are never changed or deleted by the portal, except that
    the signature is added once. ``verify_audit`` checks that the log still holds entry number
    ``seq`` with this ``hash``.
    """

    class Occasion(models.TextChoices):
        SCHEDULED = "scheduled", _("regular publication")
        PROTOCOL_SIGNED = "protocol_signed", _("a protocol was signed")
        ARCHIVE_BUILT = "archive_built", _("an archive was built")
        RESULTS_PUBLISHED = "results_published", _("results were published")
        ELECTION_ARCHIVED = "election_archived", _("an election was archived")

    seq = models.BigIntegerField(_("entries"))
    hash = models.CharField(_("head hash"), max_length=64)
    published_at = models.DateTimeField(_("published at"), default=timezone.now, db_index=True)
    occasion = models.CharField(_("occasion"), max_length=32, choices=Occasion.choices)
    election = models.ForeignKey(
        "elections.Election",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("election"),
    )
    statement = models.TextField(_("signed statement"), blank=True)
    signature = models.TextField(_("signature"), blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("published audit head")
        verbose_name_plural = _("published audit heads")
        ordering = ["published_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(seq__gte=0), name="published_head_seq_gte_0")
        ]

    def __str__(self):
        return f"#{self.seq} {self.hash}"

    @property
    def is_signed(self) -> bool:
        return bool(self.signature)
