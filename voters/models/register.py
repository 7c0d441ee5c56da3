"""The voter register of an election (seed 003 items 8–14): entries per precinct imported from
the state register extract, the imports themselves, change requests on "Form 3" and the history
of changes to entries.

``RegisterImportRow`` and ``RegisterImportProblem`` are scratch tables of an import in progress
(rows parsed from the file, problems found); they are emptied when the import ends.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.permissions import Scope
from elections.files import private_storage, validate_document
from elections.models import DecidedRequest, Election
from groups.models import TerritorialUnit

from ..files import correction_document_path, import_file_path, import_report_path

#: Kyrgyz personal identification number (ПИН): exactly 14 digits.
personal_number_validator = RegexValidator(
    r"^[0-9]{14}$", _("A personal number has exactly 14 digits."), code="personal_number"
)


class RegisterImport(models.Model):
    """One upload of a register extract: validated in a task, then imported on confirmation."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be checked")
        VALIDATING = "validating", _("Being checked")
        VALIDATED = "validated", _("Checked")
        IMPORTING = "importing", _("Being imported")
        IMPORTED = "imported", _("Imported")
        FAILED = "failed", _("Failed")
        DISCARDED = "discarded", _("Discarded")

    class Mode(models.TextChoices):
        ALL_OR_NOTHING = "all", _("All or nothing")
        VALID_ONLY = "valid_only", _("Only the valid rows")

    ACTIVE = (Status.QUEUED, Status.VALIDATING, Status.IMPORTING)

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="register_imports", verbose_name=_("election")
    )
    file = models.FileField(_("file"), storage=private_storage, upload_to=import_file_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(_("format"), max_length=8)
    size = models.BigIntegerField(_("size, bytes"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    encoding = models.CharField(_("encoding"), max_length=16, blank=True)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="ru")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    mode = models.CharField(_("mode"), max_length=16, choices=Mode.choices, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress, %"), default=0)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_invalid = models.PositiveIntegerField(_("rows with errors"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("rows already on the list"), default=0)
    rows_imported = models.PositiveIntegerField(_("rows imported"), default=0)
    problems_total = models.PositiveIntegerField(_("problems found"), default=0)
    file_problems = models.JSONField(_("problems of the file as a whole"), default=list, blank=True)
    problems_preview = models.JSONField(_("first problems"), default=list, blank=True)
    error_report = models.FileField(
        _("error report"), storage=private_storage, upload_to=import_report_path, blank=True, max_length=200
    )
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    validated_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("import confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("register import")
        verbose_name_plural = _("register imports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"

    def permission_scope(self):

        return Scope(election_id=self.election_id)

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def rows_valid_new(self) -> int:
        return max(self.rows_total - self.rows_invalid - self.rows_unchanged, 0)


class RegisterImportRow(models.Model):
    """Scratch: one parsed row of an import (``batch`` is the import's id). No foreign keys and
    no secondary indexes, so that a million rows go in by COPY quickly; unlogged on PostgreSQL."""

    batch = models.BigIntegerField()
    line = models.PositiveIntegerField()
    personal_number = models.CharField(max_length=14)
    last_name = models.CharField(max_length=100)
    first_name = models.CharField(max_length=100)
    middle_name = models.CharField(max_length=100)
    birth_date = models.DateField(null=True)
    address = models.CharField(max_length=300)
    email = models.CharField(max_length=254)
    precinct_id = models.BigIntegerField(null=True)
    precinct_number = models.BigIntegerField(null=True)
    has_error = models.BooleanField(default=False)
    is_unchanged = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("register import row")

    def __str__(self):
        return f"{self.batch}:{self.line}"


class RegisterImportProblem(models.Model):
    """Scratch: one problem of one row of an import; the report is written from these."""

    batch = models.BigIntegerField()
    line = models.PositiveIntegerField()
    field_name = models.CharField(max_length=32)
    code = models.CharField(max_length=40)
    cell_value = models.CharField(max_length=100, blank=True)
    param = models.CharField(max_length=100, blank=True)
    param2 = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("register import problem")
        indexes = [models.Index(fields=["batch", "line"])]

    def __str__(self):
        return f"{self.batch}:{self.line} {self.field_name} {self.code}"


class RegisterEntry(models.Model):
    """A voter on the list of a precinct."""

    class Status(models.TextChoices):
        LISTED = "listed", _("On the list")
        REMOVED = "removed", _("Removed from the list")

    election = models.ForeignKey(
        Election,
        on_delete=models.CASCADE,
        related_name="register_entries",
        verbose_name=_("election"),
        db_index=False,  # the unique (election, personal_number) index serves it
        # On PostgreSQL one foreign key (precinct, election) → a unit of that election
        # (migration 0008) stands for this one and the precinct's: an entry's precinct is a unit
        # of its own election, and a million-row import pays one check per row instead of two.
        db_constraint=False,
    )
    precinct = models.ForeignKey(
        TerritorialUnit,
        on_delete=models.PROTECT,
        related_name="register_entries",
        verbose_name=_("precinct"),
        db_index=False,  # the (precinct, last_name, first_name) index serves it
        db_constraint=False,  # see election: the (precinct, election) foreign key
    )
    personal_number = models.CharField(
        _("personal number"), max_length=14, validators=[personal_number_validator]
    )
    last_name = models.CharField(_("last name"), max_length=100)
    first_name = models.CharField(_("first name"), max_length=100)
    middle_name = models.CharField(_("patronymic"), max_length=100, blank=True)
    birth_date = models.DateField(_("date of birth"))
    address = models.CharField(_("address"), max_length=300)
    email = models.EmailField(_("e-mail"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.LISTED)
    source_import = models.ForeignKey(
        RegisterImport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
        verbose_name=_("imported by"),
    )
    created_at = models.DateTimeField(_("added at"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed at"), default=timezone.now)
    correction_count = models.PositiveIntegerField(_("changes"), default=0)

    class Meta:
        verbose_name = _("voter list entry")
        verbose_name_plural = _("voter list entries")
        ordering = ["precinct", "last_name", "first_name", "middle_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "personal_number"],
                name="one_register_entry_per_personal_number",
                violation_error_message=_("This personal number is already on the election's voter list."),
            )
        ]
        indexes = [
            models.Index(fields=["precinct", "last_name", "first_name"], name="voters_entry_precinct_name")
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)

    def permission_scope(self):
        from ..selectors import precinct_scope

        return precinct_scope(self.precinct)


class CorrectionRequest(DecidedRequest):
    """A request to change one's entry on "Form 3" (seed 003 item 12), decided by the PEC."""

    class Field(models.TextChoices):
        LAST_NAME = "last_name", _("Last name")
        FIRST_NAME = "first_name", _("First name")
        MIDDLE_NAME = "middle_name", _("Patronymic")
        BIRTH_DATE = "birth_date", _("Date of birth")
        ADDRESS = "address", _("Address")
        PRECINCT = "precinct", _("Precinct (I live in another precinct)")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting decision")
        ACCEPTED = "accepted", _("Accepted: the list is corrected")
        REJECTED = "rejected", _("Rejected")

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="correction_requests", verbose_name=_("election")
    )
    entry = models.ForeignKey(
        RegisterEntry, on_delete=models.CASCADE, related_name="correction_requests", verbose_name=_("entry")
    )
    precinct = models.ForeignKey(
        TerritorialUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("precinct")
    )
    field = models.CharField(_("what is wrong"), max_length=16, choices=Field.choices)
    current_value = models.CharField(_("value on the list"), max_length=300, blank=True)
    requested_value = models.CharField(_("correct value"), max_length=300)
    explanation = models.TextField(_("explanation"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    document = models.FileField(
        _("supporting document"),
        storage=private_storage,
        upload_to=correction_document_path,
        blank=True,
        validators=[validate_document],
        max_length=200,
    )
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="ru")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    notified_status = models.CharField(max_length=16, blank=True, editable=False)

    class Meta:
        verbose_name = _("correction request (Form 3)")
        verbose_name_plural = _("correction requests (Form 3)")
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["election", "status"])]

    def __str__(self):
        return f"Form 3 #{self.pk}"

    def permission_scope(self):
        from ..selectors import precinct_scope

        return precinct_scope(self.precinct)


class RegisterEntryChange(models.Model):
    """A change to an entry: a Form 3 request accepted, or a decision after the list was frozen.
    Holds the values (the audit log holds only the fields changed and the decision)."""

    entry = models.ForeignKey(RegisterEntry, on_delete=models.CASCADE, related_name="changes")
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changes = models.JSONField(_("changes"), default=dict)
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    correction_request = models.ForeignKey(
        CorrectionRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    after_freeze = models.BooleanField(_("after the list was frozen"), default=False)

    class Meta:
        verbose_name = _("change to a voter list entry")
        verbose_name_plural = _("changes to voter list entries")
        ordering = ["-changed_at"]

    def __str__(self):
        return f"{self.entry_id}: {', '.join(self.changes)}"
