"""Candidates' applications and party lists.

An application stands in one *contest*: an electoral group (seed 000, CCM) or an electoral
district (seed 003, local councils) — exactly one of ``group`` / ``unit``. It is verified by the
commission stored in ``commission`` when it was received: the group's mandate commission or the
district's territorial election commission (TEC). A party list is an ordered list of candidates
of one party for one district; each candidate on it is an application with a ``list_position``.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.permissions import Scope
from elections.models import Election
from groups.models import Commission, ElectoralGroup, TerritorialUnit

from ..files import document_path, photo_path, private_storage, validate_document, validate_photo


def _new_code() -> str:
    return secrets.token_urlsafe(18)


class PartyList(models.Model):
    """A party's ordered list of candidates for one district (seed 003 items 16, 18, 21), kept by
    the party's authorised representative."""

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="party_lists", verbose_name=_("election")
    )
    unit = models.ForeignKey(
        TerritorialUnit, on_delete=models.PROTECT, related_name="party_lists", verbose_name=_("district")
    )
    commission = models.ForeignKey(
        Commission,
        on_delete=models.PROTECT,
        related_name="party_lists",
        verbose_name=_("verifying commission"),
    )
    party_name = models.CharField(_("party"), max_length=300)
    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="party_lists",
        verbose_name=_("authorised representative"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("list recalled at"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason of the recall"), blank=True)

    class Meta:
        verbose_name = _("party list")
        verbose_name_plural = _("party lists")
        ordering = ["election", "unit__number", "party_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "unit", "party_name"],
                name="one_list_per_party_and_district",
                violation_error_message=_("This party already has a list in this district."),
            )
        ]

    def __str__(self):
        return f"{self.party_name} — {self.unit.name}"

    def permission_scope(self):

        return Scope(election_id=self.election_id, commission_id=self.commission_id)


class Application(models.Model):
    """A candidate's application: who, for which contest, nominated how, with which documents;
    then the commission's reviews and decision, and a withdrawal or cancellation."""

    class Nomination(models.TextChoices):
        SELF = "self", _("Self-nomination")
        ORGANISATION = "organisation", _("Nominated by the group or an organisation")
        PARTY_LIST = "party_list", _("Party list")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", _("Under review")
        ADMITTED = "admitted", _("Registered")
        REFUSED = "refused", _("Refused")
        WITHDRAWN = "withdrawn", _("Withdrawn from the race")
        CANCELLED = "cancelled", _("Registration cancelled")

    #: statuses of an application still in the race (one per person and election)
    STANDING = (Status.SUBMITTED, Status.UNDER_REVIEW, Status.ADMITTED)
    #: statuses awaiting the commission's decision
    UNDECIDED = (Status.SUBMITTED, Status.UNDER_REVIEW)

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="candidate_applications", verbose_name=_("election")
    )
    group = models.ForeignKey(
        ElectoralGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidate_applications",
        verbose_name=_("electoral group"),
    )
    unit = models.ForeignKey(
        TerritorialUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidate_applications",
        verbose_name=_("district"),
    )
    commission = models.ForeignKey(
        Commission,
        on_delete=models.PROTECT,
        related_name="candidate_applications",
        verbose_name=_("verifying commission"),
    )
    nomination = models.CharField(_("nomination"), max_length=16, choices=Nomination.choices)
    nominated_by = models.CharField(
        _("nominated by"),
        max_length=300,
        blank=True,
        help_text=_("The group, organisation or meeting that nominated the candidate."),
    )
    party_list = models.ForeignKey(
        PartyList,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidates",
        verbose_name=_("party list"),
    )
    list_position = models.PositiveSmallIntegerField(_("position on the list"), null=True, blank=True)
    # the person
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidate_applications",
        verbose_name=_("candidate's account"),
    )
    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    organisation = models.CharField(_("organisation"), max_length=300, blank=True)
    occupation = models.CharField(_("position or occupation"), max_length=300, blank=True)
    region = models.CharField(_("region or place of residence"), max_length=300, blank=True)
    programme = models.TextField(_("programme or statement"), blank=True)
    photo = models.FileField(
        _("photo"),
        storage=private_storage,
        upload_to=photo_path,
        blank=True,
        validators=[validate_photo],
    )
    document = models.FileField(
        _("signed application form"),
        storage=private_storage,
        upload_to=document_path,
        blank=True,
        validators=[validate_document],
    )
    document_sha256 = models.CharField(_("SHA-256 of the form"), max_length=64, blank=True)
    consent_at = models.DateTimeField(_("consent to personal-data processing given at"))
    consent_text = models.TextField(_("consent as given"))
    language = models.CharField(
        _("language of e-mails"), max_length=8, choices=settings.LANGUAGES, default="ru"
    )
    # the procedure
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    decision_due_at = models.DateTimeField(_("decision due"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    decision = models.ForeignKey(
        "elections.Decision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decision on admission"),
    )
    admitted_at = models.DateTimeField(_("registered at"), null=True, blank=True)
    refused_at = models.DateTimeField(_("refused at"), null=True, blank=True)
    refusal_reason = models.TextField(_("reasons of the refusal"), blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    withdrawal_reason = models.TextField(_("reason of the withdrawal"), blank=True)
    cancellation_decision = models.ForeignKey(
        "elections.Decision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decision on cancellation"),
    )
    cancelled_at = models.DateTimeField(_("registration cancelled at"), null=True, blank=True)
    cancellation_reason = models.TextField(_("reasons of the cancellation"), blank=True)
    left_after_ballot_approval = models.BooleanField(
        _("left the race after the ballot was approved"),
        default=False,
        help_text=_("Then the name stays on the ballot and is marked in the results."),
    )
    certificate_code = models.CharField(max_length=32, unique=True, default=_new_code, editable=False)
    notified_status = models.CharField(_("candidate notified of"), max_length=16, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    #: every decision of the commission on the application, adopted or not
    decisions = GenericRelation(
        "elections.Decision", content_type_field="subject_type", object_id_field="subject_id"
    )

    class Meta:
        verbose_name = _("candidate's application")
        verbose_name_plural = _("candidates' applications")
        ordering = ["election", "received_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(group__isnull=False) & Q(unit__isnull=True))
                | (Q(group__isnull=True) & Q(unit__isnull=False)),
                name="application_stands_in_a_group_or_a_district",
                violation_error_message=_("An application stands either in a group or in a district."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(nomination="party_list") & Q(party_list__isnull=False) & Q(list_position__isnull=False)
                )
                | (~Q(nomination="party_list") & Q(party_list__isnull=True) & Q(list_position__isnull=True)),
                name="party_list_candidates_have_a_position",
                violation_error_message=_("A candidate on a party list has a position on it."),
            ),
            models.UniqueConstraint(
                fields=["election", "email"],
                condition=Q(status__in=["submitted", "under_review", "admitted"]),
                name="one_standing_application_per_person",
                violation_error_message=_("This person already has an application in this election."),
            ),
            models.UniqueConstraint(
                fields=["party_list", "list_position"],
                condition=Q(status__in=["submitted", "under_review", "admitted"]),
                name="one_candidate_per_list_position",
                violation_error_message=_("This position on the list is taken."),
            ),
        ]
        indexes = [models.Index(fields=["status", "decision_due_at"], name="application_status_due_idx")]

    def __str__(self):
        return f"{self.full_name} — {self.contest_name}"

    def permission_scope(self):

        return Scope(election_id=self.election_id, group_id=self.group_id, commission_id=self.commission_id)

    @property
    def contest(self):
        from ..contests import Contest

        return Contest.of(self)

    @property
    def contest_key(self) -> str:
        return f"g-{self.group.slug}" if self.group_id else f"d-{self.unit.number}"

    @property
    def contest_name(self) -> str:
        target = self.group if self.group_id else self.unit
        return target.name if target is not None else ""

    @property
    def is_standing(self) -> bool:
        return self.status in self.STANDING

    @property
    def is_registered(self) -> bool:
        """Admitted by the commission at some point (the public list shows these)."""
        return self.admitted_at is not None

    @property
    def is_undecided(self) -> bool:
        return self.status in self.UNDECIDED

    @property
    def birth_year(self):
        return self.birth_date.year if self.birth_date else None

    def is_overdue(self, now=None) -> bool:
        now = now or timezone.now()
        return self.is_undecided and self.decision_due_at is not None and now >= self.decision_due_at
