"""Members of commissions and the representatives of groups in the organising committee."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Position
from accounts.permissions import Scope
from elections.models import DecidedRequest

from ..files import nomination_document_path, private_storage, validate_document
from .structure import Commission, ElectoralGroup


class CommissionMember(models.Model):
    """A person's seat in a commission (seed 000 items 7–8; seed 003 CEC/TEC/PEC).

    The matching ``accounts.RoleAssignment`` (role commission member, scoped to the commission)
    is what permissions look at; this row holds what the role does not: who nominated the
    member, the invitation, and the conflict-of-interest declaration the member signs before
    acting as a member.
    """

    commission = models.ForeignKey(
        Commission, on_delete=models.CASCADE, related_name="members", verbose_name=_("commission")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="commission_memberships",
        verbose_name=_("person"),
    )
    position = models.CharField(_("position"), max_length=16, choices=Position.choices)
    nominated_by = models.CharField(
        _("nominated by"),
        max_length=300,
        blank=True,
        help_text=_("The party, organisation or community that proposed the member."),
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)
    invited_at = models.DateTimeField(_("invitation sent at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("membership accepted at"), null=True, blank=True)
    coi_declared_at = models.DateTimeField(
        _("conflict-of-interest declaration signed at"), null=True, blank=True
    )
    coi_text = models.TextField(_("text of the declaration signed"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("commission member")
        verbose_name_plural = _("commission members")
        ordering = ["commission", "-is_active", "position", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["commission", "user"],
                condition=Q(is_active=True),
                name="one_active_seat_per_person",
                violation_error_message=_("This person is already a member of the commission."),
            ),
            models.UniqueConstraint(
                fields=["commission", "position"],
                condition=Q(is_active=True, position__in=["chair", "secretary"]),
                name="one_chair_and_one_secretary",
                violation_error_message=_(
                    "The commission already has a member in this position; change that member's position first."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_position_display()}, {self.commission}"

    @property
    def election(self):
        return self.commission.election

    @property
    def election_id(self):
        return self.commission.election_id

    def permission_scope(self):
        return self.commission.permission_scope()

    @property
    def has_declared(self) -> bool:
        return self.coi_declared_at is not None


class OrgCommitteeNomination(DecidedRequest):
    """A group's representative in the organising committee (seed 000 items 3–6).

    Each group nominates one person (item 4, by its own decision procedure); the secretariat
    forms the committee from the nominations (item 5). An approved representative holds the
    organising-committee role for the group.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting decision")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    commission = models.ForeignKey(
        Commission,
        on_delete=models.CASCADE,
        related_name="nominations",
        verbose_name=_("organising committee"),
    )
    group = models.ForeignKey(
        ElectoralGroup,
        on_delete=models.CASCADE,
        related_name="nominations",
        verbose_name=_("electoral group"),
    )
    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    organisation = models.CharField(_("organisation"), max_length=300, blank=True)
    group_decision = models.TextField(
        _("how the group decided"),
        blank=True,
        help_text=_("E.g. “meeting of community leaders on 9 August, 14 of 17 votes”."),
    )
    decision_document = models.FileField(
        _("the group's decision (document)"),
        storage=private_storage,
        upload_to=nomination_document_path,
        blank=True,
        validators=[validate_document],
        help_text=_("PDF, PNG or JPEG, at most 10 MB."),
    )
    language = models.CharField(
        _("language of e-mails"), max_length=8, choices=settings.LANGUAGES, default="ru"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="org_committee_nominations",
        verbose_name=_("portal account"),
    )
    notified_status = models.CharField(_("nominee notified of"), max_length=16, blank=True, editable=False)

    class Meta:
        verbose_name = _("organising-committee nomination")
        verbose_name_plural = _("organising-committee nominations")
        ordering = ["commission", "group__order", "-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["commission", "group"],
                condition=Q(status="approved"),
                name="one_representative_per_group",
                violation_error_message=_("This group already has a representative."),
            )
        ]

    def __str__(self):
        return f"{self.full_name} — {self.group}"

    @property
    def election(self):
        return self.commission.election

    @property
    def election_id(self):
        return self.commission.election_id

    def permission_scope(self):

        return Scope(election_id=self.commission.election_id, group_id=self.group_id)
