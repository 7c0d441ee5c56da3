"""A meeting of a body (a commission, the organising committee, or the secretariat when no body is
set): when and where, its agenda, the people invited and who was present (seed 000 items 1, 2, 12,
15, 19–20, 25; seed 003 items 49, 52)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Position
from accounts.permissions import Scope
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
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PLANNED)
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


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("agenda item"), max_length=500)
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
