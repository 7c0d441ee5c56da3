"""Ballot papers and the precinct's voting day (seed 003 items 41–45).

* ``PollingSettings`` — the election's norms, set by the CEC: the reserve printed on top of each
  precinct's list (a percentage, rounded up, with a minimum), whether ballots carry serial
  numbers, the hours at which precincts report turnout (voting's own hours are the election's).
* ``PrintRun`` / ``PrintRunRow`` — how many ballots are printed for each precinct and contest
  (the list plus the reserve) and, when ballots are numbered, their serial ranges (item 41). A run
  is calculated (draft), ordered from the printing house, and recorded as produced; a later
  change is a new version with its reason.
* ``HomeVotingRequest`` / ``MobileRun`` — voting out of the premises (item 44): the register of
  requests of voters who cannot come, and the run of the mobile ballot box with the members who
  went, the ballots taken, issued and returned.
* ``PrecinctDay`` / ``TurnoutReport`` / ``Incident`` — the precinct's voting day (item 45): the
  opening (time, members present, the empty boxes shown), turnout at the CEC's hours, incidents
  with their time, the closing with the ballots issued in the premises and the unused ones
  cancelled.

What the acts of hand-over carried (``protocols.HandoverAct`` of kind ``ballots``) and what these
records say fill the precinct protocol's lines 2–5 (``protocols.services.protocol``).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PollingSettings(models.Model):
    election = models.OneToOneField(
        "elections.Election", on_delete=models.CASCADE, related_name="polling_settings"
    )
    reserve_percent = models.DecimalField(
        _("reserve, percent of the voters on the list"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("1.0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("20"))],
        help_text=_(
            "Ballots printed for a precinct = voters on its list + this share of them, rounded up "
            "(never less than the minimum below). The norm is the central commission's decision."
        ),
    )
    reserve_minimum = models.PositiveSmallIntegerField(
        _("reserve, at least this many ballots per precinct"),
        default=5,
        validators=[MaxValueValidator(1000)],
    )
    numbered = models.BooleanField(
        _("ballots carry serial numbers"),
        default=False,
        help_text=_(
            "Then each precinct's ballots get a range of numbers, printed in the order and the acts."
        ),
    )
    turnout_times = models.JSONField(
        _("turnout is reported at"),
        default=list,
        blank=True,
        help_text=_(
            "The hours at which each precinct reports how many voters have received a ballot. Empty: every "
            "two hours after voting opens, and at the closing."
        ),
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("norms of ballots and voting day")
        verbose_name_plural = _("norms of ballots and voting day")

    def __str__(self):
        return str(self.election)


class PrintRun(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Calculated, not yet ordered")
        ORDERED = "ordered", _("Ordered from the printing house")
        PRODUCED = "produced", _("Produced")
        SUPERSEDED = "superseded", _("Replaced by a later version")

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="print_runs")
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    reason = models.TextField(_("why a new version"), blank=True)
    #: the norms and the list the quantities were calculated from
    reserve_percent = models.DecimalField(_("reserve, percent"), max_digits=4, decimal_places=1)
    reserve_minimum = models.PositiveSmallIntegerField(_("reserve, at least"))
    numbered = models.BooleanField(_("numbered"), default=False)
    list_frozen_at = models.DateTimeField(_("voter list frozen at"), null=True, blank=True)
    calculated_at = models.DateTimeField(_("calculated at"), default=timezone.now)
    calculated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ordered_at = models.DateTimeField(_("ordered at"), null=True, blank=True)
    produced_at = models.DateTimeField(_("produced at"), null=True, blank=True)
    printing_house = models.CharField(_("printing house"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("print run of ballots")
        verbose_name_plural = _("print runs of ballots")
        ordering = ["election", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["election", "version"], name="one_print_run_version"),
            models.UniqueConstraint(
                fields=["election"], condition=~Q(status="superseded"), name="one_current_print_run"
            ),
        ]

    def __str__(self):
        return f"{self.election} — v{self.version}"

    def permission_scope(self):
        from accounts.permissions import Scope

        return Scope(election_id=self.election_id)


class PrintRunRow(models.Model):
    run = models.ForeignKey(PrintRun, on_delete=models.CASCADE, related_name="rows")
    contest = models.ForeignKey("ballots.Contest", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("groups.TerritorialUnit", on_delete=models.PROTECT, related_name="+")
    voters_on_list = models.PositiveIntegerField(_("voters on the list"))
    reserve = models.PositiveIntegerField(_("reserve"))
    total = models.PositiveIntegerField(_("ballots"))
    serial_from = models.PositiveIntegerField(_("first number"), null=True, blank=True)
    serial_to = models.PositiveIntegerField(_("last number"), null=True, blank=True)

    class Meta:
        ordering = ["run", "contest", "unit__number"]
        constraints = [
            models.UniqueConstraint(fields=["run", "contest", "unit"], name="one_print_row_per_precinct"),
            models.CheckConstraint(
                condition=Q(total=models.F("voters_on_list") + models.F("reserve")),
                name="print_row_total_is_list_plus_reserve",
            ),
        ]

    def __str__(self):
        return f"{self.contest_id} / {self.unit_id}: {self.total}"


class HomeVotingRequest(models.Model):
    """A voter's request to vote out of the premises, registered by the PEC (item 44)."""

    class How(models.TextChoices):
        WRITTEN = "written", _("In writing")
        ORAL = "oral", _("Orally, by telephone or in person")
        THROUGH = "through", _("Through another person")

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered, awaiting the mobile ballot box")
        VOTED = "voted", _("Voted at home")
        NOT_VOTED = "not_voted", _("Did not vote")

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("groups.TerritorialUnit", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(_("number in the register"))
    voter_name = models.CharField(_("voter"), max_length=300)
    address = models.CharField(_("address"), max_length=500)
    reason = models.CharField(
        _("why the voter cannot come"),
        max_length=300,
        help_text=_("e.g. illness, disability, caring for a patient"),
    )
    how = models.CharField(_("request made"), max_length=16, choices=How.choices)
    received_at = models.DateTimeField(_("received at"))
    received_by_name = models.CharField(_("received by"), max_length=300)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.REGISTERED)
    run = models.ForeignKey(
        "MobileRun", on_delete=models.SET_NULL, null=True, blank=True, related_name="requests"
    )
    outcome_note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("request to vote out of the premises")
        verbose_name_plural = _("requests to vote out of the premises")
        ordering = ["unit", "number"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="one_home_request_number_per_precinct")
        ]

    def __str__(self):
        return f"№ {self.number}"


class MobileRun(models.Model):
    """A run of the mobile ballot box (item 44: only the day before voting day)."""

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("groups.TerritorialUnit", on_delete=models.PROTECT, related_name="+")
    box = models.CharField(_("mobile ballot box"), max_length=64, help_text=_("its number or seal"))
    left_at = models.DateTimeField(_("left the premises at"))
    returned_at = models.DateTimeField(_("returned at"))
    members = models.ManyToManyField(
        "groups.CommissionMember", related_name="+", verbose_name=_("members who went")
    )
    #: contest id (str) -> {"taken": n, "issued": n, "returned": n}
    counts = models.JSONField(_("ballots"), default=dict)
    explanation = models.TextField(_("explanation of a difference"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("run of the mobile ballot box")
        verbose_name_plural = _("runs of the mobile ballot box")
        ordering = ["unit", "left_at"]

    def __str__(self):
        return f"{self.box} — {self.left_at:%d.%m.%Y %H:%M}"

    def count(self, contest_id, key: str) -> int:
        return int((self.counts.get(str(contest_id)) or {}).get(key) or 0)


class PrecinctDay(models.Model):
    """The precinct's voting day: opened, turnout reported, incidents logged, closed (item 45)."""

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("groups.TerritorialUnit", on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("voting opened at"))
    members_present = models.ManyToManyField(
        "groups.CommissionMember", related_name="+", verbose_name=_("members present at the opening")
    )
    boxes_shown = models.BooleanField(_("the empty ballot boxes were shown and sealed"), default=False)
    witnesses = models.TextField(_("observers and others present at the opening"), blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("voting closed at"), null=True, blank=True)
    #: contest id (str) -> {"issued_premises": n, "cancelled": n}
    closing = models.JSONField(_("ballots at the closing"), default=dict, blank=True)
    closing_note = models.TextField(_("note on the closing"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("voting day of a precinct")
        verbose_name_plural = _("voting days of precincts")
        constraints = [models.UniqueConstraint(fields=["election", "unit"], name="one_day_per_precinct")]

    def __str__(self):
        return f"{self.unit}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def closing_count(self, contest_id, key: str) -> int | None:
        row = self.closing.get(str(contest_id))
        return None if row is None else int(row.get(key) or 0)


class TurnoutReport(models.Model):
    day = models.ForeignKey(PrecinctDay, on_delete=models.CASCADE, related_name="turnout")
    time = models.CharField(_("as of"), max_length=5)
    voters = models.PositiveIntegerField(_("voters who received a ballot"))
    reported_at = models.DateTimeField(default=timezone.now)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    correction_reason = models.CharField(_("why corrected"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("turnout report")
        verbose_name_plural = _("turnout reports")
        ordering = ["day", "time"]
        constraints = [models.UniqueConstraint(fields=["day", "time"], name="one_turnout_report_per_time")]

    def __str__(self):
        return f"{self.time}: {self.voters}"


class Incident(models.Model):
    day = models.ForeignKey(PrecinctDay, on_delete=models.CASCADE, related_name="incidents")
    occurred_at = models.DateTimeField(_("time"))
    text = models.TextField(_("what happened and what the commission did"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_by_name = models.CharField(max_length=300)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["day", "occurred_at", "pk"]

    def __str__(self):
        return f"{self.occurred_at:%H:%M} {self.text[:40]}"
