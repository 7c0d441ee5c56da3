"""An uploaded CSV read by a Celery task, never in the request (issue 16: uploads that always
end): districts and precincts (this app) and preliminary figures (protocols registers its reader).
The request stores the file and queues the task; the page shows the result, or why nothing was
imported, row by row."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from elections.models import Election

from ..files import file_import_path, private_storage


class FileImport(models.Model):
    class Kind(models.TextChoices):
        UNITS = "units", _("Districts and precincts")
        PRELIMINARY = "preliminary", _("Preliminary figures")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be read")
        RUNNING = "running", _("Being read")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Not imported")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="file_imports", verbose_name=_("election")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    file = models.FileField(_("file"), storage=private_storage, upload_to=file_import_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.BigIntegerField(_("size, bytes"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="ru")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    #: [{"line": int | None, "column": str, "message": str}], in the uploader's language
    errors = models.JSONField(_("problems"), default=list, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("file import")
        verbose_name_plural = _("file imports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"

    def permission_scope(self):
        return self.election.permission_scope()

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE
