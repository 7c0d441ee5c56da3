"""Calendar plans: templates, an election's calendar and its activities, reminders, notifications.

The rules themselves live in the pure-Python engine ``elections.calendar``; these models store a
template's YAML, the calendar instantiated for an election (a snapshot of the template and the
anchor values), one row per activity with its planned instants and its actual completion, and the
records that make reminders idempotent.
"""

import dataclasses
import secrets
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .election import Election, Translated


class PlanTemplate(models.Model):
    """A calendar plan template, written in YAML (format: elections/calendar/README.md)."""

    slug = models.SlugField(_("short name"), max_length=64, unique=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300, blank=True)
    name_ky = models.CharField(_("name (Kyrgyz)"), max_length=300, blank=True)
    source_yaml = models.TextField(_("template (YAML)"))
    is_builtin = models.BooleanField(
        _("shipped with the portal"), default=False, help_text=_("Loaded from the portal's template files.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    name = Translated("name")

    class Meta:
        verbose_name = _("calendar plan template")
        verbose_name_plural = _("calendar plan templates")
        ordering = ["slug"]

    def __str__(self):
        return self.name

    def parsed(self):
        """The engine's PlanTemplate (raises elections.calendar.TemplateError)."""
        from elections.calendar import parse_template
        from elections.calendar.loader import safe_load

        return parse_template(safe_load(self.source_yaml), source=f"{self.slug}.yaml")


class ElectionCalendar(models.Model):
    """The calendar of one election: a snapshot of its template and the anchor values."""

    election = models.OneToOneField(
        Election, on_delete=models.CASCADE, related_name="calendar", verbose_name=_("election")
    )
    template = models.ForeignKey(
        PlanTemplate, on_delete=models.PROTECT, related_name="calendars", verbose_name=_("template")
    )
    template_yaml = models.TextField(_("template as instantiated"))
    anchors = models.JSONField(_("anchors"), default=dict)
    holidays = models.JSONField(_("holidays"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)

    class Meta:
        verbose_name = _("election calendar")
        verbose_name_plural = _("election calendars")

    def __str__(self):
        return f"{self.election} — {self.template}"

    def permission_scope(self):
        return self.election.permission_scope()

    @cached_property
    def template_obj(self):
        """The instantiated template, computed in the election's own time zone."""
        from elections.calendar import parse_template
        from elections.calendar.loader import safe_load

        parsed = parse_template(safe_load(self.template_yaml), source=f"{self.template.slug}.yaml")
        return dataclasses.replace(parsed, time_zone=self.election.time_zone)


class CalendarActivity(models.Model):
    """One activity of an election's calendar, with planned instants and actual completion."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        OVERDUE = "overdue", _("overdue")
        MISSED = "missed", _("not recorded as done")
        NOT_APPLICABLE = "not_applicable", _("not applicable")

    calendar = models.ForeignKey(ElectionCalendar, on_delete=models.CASCADE, related_name="activities")
    number = models.PositiveIntegerField(_("number"))
    section = models.PositiveIntegerField(_("section"))
    section_title_ru = models.CharField(max_length=500)
    section_title_en = models.CharField(max_length=500, blank=True)
    section_title_kk = models.CharField(max_length=500, blank=True)
    section_title_ky = models.CharField(max_length=500, blank=True)
    title_ru = models.TextField(_("activity (Russian)"))
    title_en = models.TextField(_("activity (English)"), blank=True)
    title_kk = models.TextField(_("activity (Kazakh)"), blank=True)
    title_ky = models.TextField(_("activity (Kyrgyz)"), blank=True)
    responsible_ru = models.TextField(_("responsible (Russian)"), blank=True)
    responsible_en = models.TextField(_("responsible (English)"), blank=True)
    responsible_kk = models.TextField(_("responsible (Kazakh)"), blank=True)
    responsible_ky = models.TextField(_("responsible (Kyrgyz)"), blank=True)
    responsible_roles = models.JSONField(default=list, blank=True)
    participants_ru = models.TextField(blank=True)
    participants_en = models.TextField(blank=True)
    participants_kk = models.TextField(blank=True)
    participants_ky = models.TextField(blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    legal_basis_en = models.CharField(max_length=300, blank=True)
    legal_basis_kk = models.CharField(max_length=300, blank=True)
    legal_basis_ky = models.CharField(max_length=300, blank=True)
    deadline_text_ru = models.TextField(_("deadline as written"), blank=True)
    deadline_text_en = models.TextField(blank=True)
    deadline_text_kk = models.TextField(blank=True)
    deadline_text_ky = models.TextField(blank=True)
    kind = models.CharField(_("kind of deadline"), max_length=32)
    case_kind = models.CharField(max_length=64, blank=True)
    per_case = models.JSONField(null=True, blank=True)
    undated_reason = models.CharField(max_length=32, blank=True)
    depends_on = models.JSONField(default=list, blank=True)
    milestones = models.JSONField(default=list, blank=True)
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    completion_note = models.TextField(_("note"), blank=True)
    completion_file = models.FileField(_("document"), upload_to="calendar/%Y/%m/", blank=True)
    is_not_applicable = models.BooleanField(_("not applicable"), default=False)
    not_applicable_reason = models.TextField(_("why not applicable"), blank=True)

    section_title = Translated("section_title")
    title = Translated("title")
    responsible = Translated("responsible")
    participants = Translated("participants")
    deadline_text = Translated("deadline_text")

    class Meta:
        verbose_name = _("calendar activity")
        verbose_name_plural = _("calendar activities")
        ordering = ["calendar", "section", "number"]
        constraints = [models.UniqueConstraint(fields=["calendar", "number"], name="unique_activity_number")]
        indexes = [models.Index(fields=["due_at"])]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def permission_scope(self):
        return self.calendar.election.permission_scope()

    def status_at(self, now: datetime | None = None) -> str:
        now = now or timezone.now()
        if self.is_not_applicable:
            return self.Status.NOT_APPLICABLE
        if self.completed_at:
            return self.Status.DONE
        if self.due_at and now >= self.due_at:
            return self.Status.MISSED if self.can_no_longer_be_done() else self.Status.OVERDUE
        if self.starts_at and now >= self.starts_at:
            return self.Status.IN_PROGRESS
        return self.Status.PLANNED

    def can_no_longer_be_done(self) -> bool:
        """ "Overdue" is for what can still be done (issue 15). Past its deadline and not recorded as
        done, an activity can no longer be done once the election is archived, or once voting has
        opened if it was due before the vote (the lists, the ballots, the registration...)."""
        election = self.calendar.election
        state = election.state
        if state == election.State.ARCHIVED:
            return True
        after_vote = (
            election.State.VOTING,
            election.State.COUNTING,
            election.State.CERTIFIED,
            election.State.PUBLISHED,
        )
        return bool(
            state in after_vote
            and election.voting_starts_at
            and self.due_at
            and self.due_at <= election.voting_starts_at
        )

    @property
    def status(self) -> str:
        return self.status_at()

    def get_status_display(self):
        return self.Status(self.status).label


class CalendarReminder(models.Model):
    """One reminder sent: unique per activity, user and kind, so a rerun sends nothing twice."""

    class Kind(models.TextChoices):
        DAYS_7 = "d7", _("7 days before")
        DAYS_3 = "d3", _("3 days before")
        DAYS_1 = "d1", _("1 day before")
        DUE_DAY = "d0", _("on the due day")
        OVERDUE = "overdue", _("overdue")

    activity = models.ForeignKey(CalendarActivity, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("calendar reminder")
        verbose_name_plural = _("calendar reminders")
        constraints = [
            models.UniqueConstraint(fields=["activity", "user", "kind"], name="unique_reminder_per_kind")
        ]

    def __str__(self):
        return f"{self.activity} → {self.user} ({self.kind})"


class Notification(models.Model):
    """An in-app notification, written in both languages when it is created."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    election = models.ForeignKey(Election, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=64)
    title_ru = models.CharField(max_length=500)
    title_en = models.CharField(max_length=500, blank=True)
    title_kk = models.CharField(max_length=500, blank=True)
    title_ky = models.CharField(max_length=500, blank=True)
    body_ru = models.TextField(blank=True)
    body_en = models.TextField(blank=True)
    body_kk = models.TextField(blank=True)
    body_ky = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    title = Translated("title")
    body = Translated("body")

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return self.title


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeedToken(models.Model):
    """The secret part of a user's personal iCalendar feed URL."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed token")

    def __str__(self):
        return f"{self.user}"
