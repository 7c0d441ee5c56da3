"""Protocols: the legal record of a count (seed 000 item 21; seed 003 items 46–58).

A ``Protocol`` is one version of the record of one contest at one level:

* ``group`` — a CCM electoral group's protocol, signed by the group's counting commission;
* ``precinct`` — a KG precinct protocol (PEC), figures entered from the paper count;
* ``territorial`` — a TEC summary table of the precincts of a district (council);
* ``central`` — the CEC's determination of the result of a contest.

Its numbers live in ``figures`` (line code → integer, the lines of ``protocols.forms_spec``) and
``votes`` (ballot option code → votes). ``prefilled`` keeps what the portal computed when the
draft was made (online ballots, counted paper batches, voter lists), so the form can show where
a number came from. A failing control check blocks signing unless it is explained; explanations
are kept in ``check_explanations``.

Every present member signs (``ProtocolSignature``); after the last signature the protocol is
frozen (``status = signed``) with the SHA-256 of its data. A correction never edits a signed
protocol: it creates the next version with a reason; the old one stays visible as
``superseded``. Complaints and their decisions are attached to the protocol of the body that
decided them.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Position
from accounts.permissions import Scope
from elections.files import private_storage
from elections.models import DecidedRequest


class Protocol(models.Model):
    class Level(models.TextChoices):
        GROUP = "group", _("Protocol of an electoral group")
        PRECINCT = "precinct", _("Precinct protocol")
        TERRITORIAL = "territorial", _("Summary table of a territorial commission")
        CENTRAL = "central", _("Result determined by the central commission")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SIGNING = "signing", _("Being signed")
        SIGNED = "signed", _("Signed")
        SUPERSEDED = "superseded", _("Superseded by a correction")

    class Transmission(models.TextChoices):
        NOT_SENT = "", _("Not transmitted")
        RECEIVED = "received", _("Received by the higher commission")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned for correction")

    election = models.ForeignKey(
        "elections.Election", on_delete=models.CASCADE, related_name="protocols", verbose_name=_("election")
    )
    contest = models.ForeignKey(
        "ballots.Contest", on_delete=models.PROTECT, related_name="protocols", verbose_name=_("contest")
    )
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    unit = models.ForeignKey(
        "groups.TerritorialUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="protocols",
        verbose_name=_("precinct or district"),
    )
    commission = models.ForeignKey(
        "groups.Commission", on_delete=models.PROTECT, related_name="protocols", verbose_name=_("commission")
    )
    #: "<level>:<contest id>:<unit id or ->": all versions of one protocol share it
    series = models.CharField(max_length=64, editable=False)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("corrects version"),
    )
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)

    figures = models.JSONField(_("figures"), default=dict, blank=True)
    votes = models.JSONField(_("votes per option"), default=dict, blank=True)
    prefilled = models.JSONField(_("figures computed by the portal"), default=dict, blank=True)
    check_explanations = models.JSONField(
        _("explanations of failed control checks"), default=dict, blank=True
    )
    #: texts of a CCM group protocol (seed 000 item 21) and notes of a precinct protocol
    process_description = models.TextField(_("description of the election process"), blank=True)
    observers_note = models.TextField(_("participation of independent observers"), blank=True)
    decision_text = models.TextField(_("decision"), blank=True)
    #: elected / seats as the counting engine determined them: {"elected": [...], "alternates": [...],
    #: "seats": {...}, "count_id": ..., "engine_version": ...}
    outcome = models.JSONField(_("outcome"), default=dict, blank=True)
    present_members = models.ManyToManyField(
        "groups.CommissionMember", blank=True, related_name="+", verbose_name=_("members present")
    )

    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signing_started_at = models.DateTimeField(_("signing started at"), null=True, blank=True)
    frozen_at = models.DateTimeField(_("signed by all present members at"), null=True, blank=True)
    data_sha256 = models.CharField(_("SHA-256 of the protocol data"), max_length=64, blank=True)
    ballots_fingerprint = models.CharField(_("SHA-256 of the ballot set"), max_length=64, blank=True)
    audit_head = models.CharField(_("audit log head at signing"), max_length=64, blank=True)

    #: a precinct protocol as received by the TEC (seed 003 items 51–53)
    transmission = models.CharField(
        _("transmission"), max_length=16, choices=Transmission.choices, default="", blank=True
    )
    transmission_note = models.TextField(_("note on the transmission"), blank=True)
    transmission_at = models.DateTimeField(_("transmission status changed at"), null=True, blank=True)

    #: the decisions taken on this protocol (a TEC's return for correction)
    decisions = GenericRelation(
        "elections.Decision", content_type_field="subject_type", object_id_field="subject_id"
    )

    class Meta:
        verbose_name = _("protocol")
        verbose_name_plural = _("protocols")
        ordering = ["election", "level", "series", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["series", "version"], name="one_protocol_version_per_series"),
            models.UniqueConstraint(
                fields=["series"],
                condition=~Q(status="superseded"),
                name="one_current_protocol_per_series",
            ),
        ]
        indexes = [models.Index(fields=["election", "level", "status"])]

    def __str__(self):
        return f"{self.get_level_display()} — {self.contest} {self.unit or ''} (v{self.version})".strip()

    def permission_scope(self):

        return Scope(
            election_id=self.election_id,
            group_id=self.contest.group_id if self.contest_id else None,
            commission_id=self.commission_id,
        )

    @property
    def return_decision(self):
        """The territorial commission's adopted decision returning this version for correction."""
        if self.transmission != self.Transmission.RETURNED:
            return None
        return self.decisions.filter(kind="protocol_return", is_adopted=True).order_by("-recorded_at").first()

    @staticmethod
    def series_key(level: str, contest_id: int, unit_id: int | None) -> str:
        return f"{level}:{contest_id}:{unit_id or '-'}"

    @property
    def is_frozen(self) -> bool:
        return self.status in (self.Status.SIGNED, self.Status.SUPERSEDED)

    @property
    def is_current(self) -> bool:
        return self.status != self.Status.SUPERSEDED


class ProtocolSignature(models.Model):
    """A present member's signature, given after re-entering the password (seed 003 item 50)."""

    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="signatures")
    member = models.ForeignKey(
        "groups.CommissionMember", on_delete=models.PROTECT, related_name="protocol_signatures"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    #: as printed on the signature sheet, kept even if the account changes later
    full_name = models.CharField(_("name"), max_length=300)
    position = models.CharField(_("position"), max_length=64, choices=Position.choices)
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)
    dissent = models.TextField(
        _("dissenting opinion"),
        blank=True,
        help_text=_("A member who disagrees signs and states a dissenting opinion; it is attached."),
    )

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["protocol", "signed_at"]
        constraints = [
            models.UniqueConstraint(fields=["protocol", "member"], name="one_signature_per_member")
        ]

    def __str__(self):
        return f"{self.full_name} — {self.protocol}"


class ProtocolDocument(models.Model):
    """A rendered (and digitally signed) PDF of a protocol: copy 1 or 2, in one language."""

    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="documents")
    copy = models.PositiveSmallIntegerField(_("copy"), default=1)
    language = models.CharField(_("language"), max_length=8, default="ru")
    #: private: a document is served only by ``protocols:document``, which checks who may read it
    file = models.FileField(_("file"), storage=private_storage, upload_to="protocols/%Y/", max_length=300)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    size = models.PositiveIntegerField(_("size, bytes"), default=0)
    is_signed = models.BooleanField(_("digitally signed"), default=False)
    rendered_at = models.DateTimeField(_("rendered at"), default=timezone.now)

    class Meta:
        verbose_name = _("protocol document")
        verbose_name_plural = _("protocol documents")
        ordering = ["protocol", "language", "copy"]
        constraints = [
            models.UniqueConstraint(fields=["protocol", "copy", "language"], name="one_document_per_copy")
        ]

    def __str__(self):
        return f"{self.protocol} — copy {self.copy} ({self.language})"


class Complaint(DecidedRequest):
    """A complaint by a voter, candidate or observer and the commission's decision on it
    (seed 003 items 49, 52–53). Attached to the protocol of the body that decided it."""

    class Kind(models.TextChoices):
        VOTER = "voter", _("Voter")
        CANDIDATE = "candidate", _("Candidate or party")
        OBSERVER = "observer", _("Observer")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received, not yet decided")
        UPHELD = "upheld", _("Upheld")
        PARTLY = "partly", _("Partly upheld")
        REJECTED = "rejected", _("Rejected")
        NOT_CONSIDERED = "not_considered", _("Left without consideration")

    election = models.ForeignKey(
        "elections.Election", on_delete=models.CASCADE, related_name="complaints", verbose_name=_("election")
    )
    commission = models.ForeignKey(
        "groups.Commission",
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("commission that decides"),
    )
    protocol = models.ForeignKey(
        Protocol,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("protocol it is attached to"),
    )
    number = models.PositiveIntegerField(_("number"))
    complainant_kind = models.CharField(_("complainant is a"), max_length=16, choices=Kind.choices)
    complainant_name = models.CharField(_("name of the complainant"), max_length=300)
    complainant_email = models.EmailField(_("e-mail for the answer"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("what happened and what you ask for"))
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["election", "number"]
        constraints = [
            models.UniqueConstraint(fields=["election", "number"], name="one_complaint_number_per_election")
        ]

    def __str__(self):
        return f"№ {self.number} — {self.complainant_name}"

    def permission_scope(self):
        return self.commission.permission_scope()

    @property
    def decision_text(self) -> str:
        """The commission's decision and its reasons, as the complainant reads them."""
        return self.reason


class PreliminaryResult(models.Model):
    """Preliminary figures of a precinct (seed 003 item 46: the automated count sent over secure
    channels), entered or imported before the protocol. Append-only: a newer row never overwrites
    an older one, and the final protocol figures are kept apart."""

    class Source(models.TextChoices):
        AUTOMATED = "automated", _("Automated count (ballot scanner)")
        IMPORT = "import", _("Imported file")
        MANUAL = "manual", _("Entered by hand")

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    contest = models.ForeignKey("ballots.Contest", on_delete=models.CASCADE, related_name="preliminary")
    unit = models.ForeignKey("groups.TerritorialUnit", on_delete=models.PROTECT, related_name="preliminary")
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    votes = models.JSONField(_("votes per option"), default=dict, blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("preliminary result")
        verbose_name_plural = _("preliminary results")
        ordering = ["contest", "unit", "-received_at"]

    def __str__(self):
        return f"{self.contest} / {self.unit} ({self.get_source_display()})"
