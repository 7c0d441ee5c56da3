"""A meeting of a body (a commission, the organising committee, or the secretariat when no body is
set): when and where, its agenda, the people invited and who was present (seed 000 items 1, 2, 12,
15, 19–20, 25; seed 003 items 49, 52)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Position
from accounts.permissions import Scope
from elections.files import private_storage
from elections.models import Election
from groups.models import Commission


class Meeting(models.Model):
    class Kind(models.TextChoices):
        WORKING = "working", _("Working meeting")
        CONSULTATION = "consultation", _("Consultation meeting")
        ORIENTATION = "orientation", _("Orientation meeting of a commission")
        ASSEMBLY = "assembly", _("Assembly of voters")
        FINAL_SESSION = "final_session", _("Final session")
        OTHER = "other", _("Other meeting")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("election")
    )
    commission = models.ForeignKey(
        Commission,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("body"),
        help_text=_("The commission or committee that meets; empty for the secretariat."),
    )
    kind = models.CharField(_("kind of meeting"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    link = models.URLField(_("link to join online"), blank=True)
    observers_may_attend = models.BooleanField(
        _("observers may attend"),
        default=True,
        help_text=_("The election's accredited observers see the meeting and may come."),
    )
    activity = models.ForeignKey(
        "elections.CalendarActivity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("activity of the calendar plan"),
        help_text=_("The activity this meeting carries out; it is marked done when the meeting is held."),
    )
    announced_activity = models.ForeignKey(
        "elections.CalendarActivity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("activity its announcement carries out"),
        help_text=_(
            "An activity of informing people of the meeting and its programme; it is marked done "
            "when the meeting is scheduled and the invitations are sent."
        ),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    #: set when the chair and the secretary have both signed the minutes: nothing changes after
    minutes_signed_at = models.DateTimeField(_("minutes signed at"), null=True, blank=True)
    minutes_sha256 = models.CharField(_("SHA-256 of the minutes"), max_length=64, blank=True)
    cancel_reason = models.TextField(_("reason of the cancellation"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["election", "starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_it_starts",
                violation_error_message=_("A meeting ends after it starts."),
            )
        ]

    def __str__(self):
        return self.title

    def permission_scope(self):
        if self.commission_id:
            return self.commission.permission_scope()
        return Scope(election_id=self.election_id)

    @property
    def body_name(self) -> str:
        return str(self.commission.name) if self.commission_id else str(_("Secretariat"))

    @property
    def minutes_signed(self) -> bool:
        return self.minutes_signed_at is not None


class AgendaItem(models.Model):
    """An item of the agenda; at an assembly of voters, an item of its programme (seed 000 item 20).
    It may point at what it decides (an application, a complaint, a protocol, a tie …) and ends,
    in the minutes, in what was said, the decision taken and any dissenting opinions."""

    class Kind(models.TextChoices):
        ITEM = "item", _("Item of the agenda")
        PRESENTATION = "presentation", _("Presentation of a candidate")
        QUESTIONS = "questions", _("Questions to the candidates")
        OBSERVERS = "observers", _("Introduction of the observers")
        PROCEDURE = "procedure", _("Explanation of the voting and counting procedure")
        VOTE = "vote", _("Voting")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind of item"), max_length=16, choices=Kind.choices, default=Kind.ITEM)
    title = models.CharField(_("agenda item"), max_length=500)
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    notes = models.TextField(
        _("what was said and decided"),
        blank=True,
        help_text=_("As the minutes will say it: who spoke, what was proposed, what was decided."),
    )
    dissent = models.TextField(
        _("dissenting opinions"),
        blank=True,
        help_text=_("A member who disagrees with the decision may state it; it is part of the minutes."),
    )
    decision = models.ForeignKey(
        "elections.Decision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decision taken"),
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "order"]
        constraints = [models.UniqueConstraint(fields=["meeting", "order"], name="one_agenda_item_per_place")]

    def __str__(self):
        return f"{self.order}. {self.title}"


class Participant(models.Model):
    """A person invited to a meeting; a member of the body counts towards its quorum."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member of the body")
        CANDIDATE = "candidate", _("Candidate")
        OBSERVER = "observer", _("Observer")
        PARTNER = "partner", _("Partner or guest")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    role = models.CharField(_("invited as"), max_length=16, choices=Role.choices)
    position = models.CharField(_("position"), max_length=16, blank=True)
    present = models.BooleanField(_("present"), null=True, blank=True)
    invited_at = models.DateTimeField(_("invited at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["meeting", "role", "user__full_name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="one_invitation_per_person")]

    def __str__(self):
        return f"{self.user} — {self.meeting}"

    @property
    def is_member(self) -> bool:
        return self.role == self.Role.MEMBER

    @property
    def position_label(self) -> str:
        """The member's position in the body (chair, secretary …), else what the person was invited as."""
        if self.position in Position.values:
            return str(Position(self.position).label)
        return str(self.get_role_display())


class MinutesSignature(models.Model):
    """The chair's or the secretary's signature of the minutes, given after re-entering the
    password; both make the minutes final."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chairing the meeting")
        SECRETARY = "secretary", _("Secretary of the meeting")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes_signatures")
    role = models.CharField(_("signs as"), max_length=16, choices=Role.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    #: as printed in the minutes, kept even if the account changes later
    full_name = models.CharField(_("name"), max_length=300)
    position = models.CharField(_("position"), max_length=16, blank=True)
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)

    class Meta:
        verbose_name = _("signature of the minutes")
        verbose_name_plural = _("signatures of the minutes")
        ordering = ["meeting", "role"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "role"], name="one_minutes_signature_per_role"),
            models.UniqueConstraint(fields=["meeting", "user"], name="minutes_signed_by_two_people"),
        ]

    def __str__(self):
        return f"{self.full_name} — {self.meeting}"


class MinutesDocument(models.Model):
    """The signed minutes as a PDF in one language (PAdES, the portal's key)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes_documents")
    language = models.CharField(_("language"), max_length=8)
    #: private: served by ``meetings:minutes``, which checks who may read it
    file = models.FileField(_("file"), storage=private_storage, upload_to="minutes/%Y/", max_length=300)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    size = models.PositiveIntegerField(_("size, bytes"), default=0)
    is_signed = models.BooleanField(_("digitally signed"), default=False)
    rendered_at = models.DateTimeField(_("rendered at"), default=timezone.now)

    class Meta:
        verbose_name = _("minutes document")
        verbose_name_plural = _("minutes documents")
        ordering = ["meeting", "language"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "language"], name="one_minutes_document_per_language")
        ]

    def __str__(self):
        return f"{self.meeting} ({self.language})"
