"""Archives of an election or of one electoral group (seed 000 item 23)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.permissions import Scope
from elections.files import private_storage


class ElectionArchive(models.Model):
    """A ZIP with the protocol PDFs, the list of voters who voted, the anonymised ballots, the
    candidate applications, observer reports, an audit extract and a manifest of SHA-256 hashes."""

    election = models.ForeignKey(
        "elections.Election", on_delete=models.CASCADE, related_name="archives", verbose_name=_("election")
    )
    group = models.ForeignKey(
        "groups.ElectoralGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="archives",
        verbose_name=_("electoral group"),
    )
    #: private: an archive holds the list of voters who voted and the candidates' signed forms;
    #: it is served only by ``protocols:archive_download``, which checks ``archive.manage``
    file = models.FileField(_("file"), storage=private_storage, upload_to="archives/%Y/", max_length=300)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    size = models.PositiveBigIntegerField(_("size, bytes"), default=0)
    manifest = models.JSONField(_("manifest"), default=dict)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    purged_at = models.DateTimeField(_("personal data purged at"), null=True, blank=True)

    class Meta:
        verbose_name = _("archive")
        verbose_name_plural = _("archives")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.election} {self.group or ''} {self.created_at:%Y-%m-%d}".strip()

    def permission_scope(self):

        return Scope(election_id=self.election_id, group_id=self.group_id)
