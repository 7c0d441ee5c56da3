"""Observers and their accreditation (seed 000 items 7–9; seed 003 items 33–34)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.permissions import Scope
from elections.models import DecidedRequest, Election

from ..files import observer_document_path, private_storage, validate_document
from .structure import Commission, ElectoralGroup


def new_credential_code() -> str:
    return secrets.token_urlsafe(18)


class ObserverApplication(DecidedRequest):
    """An application for accreditation as an observer, and the decision on it.

    The responsible body decides (``commission``): the CEC in local-council elections
    (seed 003 item 34), the organising committee in CCM elections, where the committee member of
    the observed group invites and admits observers (seed 000 item 9). The secretariat may always
    decide. An accredited observer carries a credential whose code opens a public verification
    page.
    """

    class Kind(models.TextChoices):
        INDEPENDENT = "independent", _("Independent observer")
        PARTNER = "partner", _("Partner organisation")
        INTERNATIONAL = "international", _("International observer")

    class ApplicantType(models.TextChoices):
        PERSON = "person", _("A person")
        ORGANISATION = "organisation", _("An organisation")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting decision")
        ACCREDITED = "accredited", _("Accredited")
        REFUSED = "refused", _("Refused")
        REVOKED = "revoked", _("Accreditation revoked")

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="observer_applications", verbose_name=_("election")
    )
    commission = models.ForeignKey(
        Commission,
        on_delete=models.PROTECT,
        related_name="observer_applications",
        verbose_name=_("responsible body"),
    )
    group = models.ForeignKey(
        ElectoralGroup,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="observer_applications",
        verbose_name=_("electoral group observed"),
        help_text=_("Leave empty to observe the whole election."),
    )
    kind = models.CharField(_("kind of observer"), max_length=16, choices=Kind.choices)
    applicant_type = models.CharField(
        _("applicant"), max_length=16, choices=ApplicantType.choices, default=ApplicantType.PERSON
    )
    name = models.CharField(
        _("name"), max_length=300, help_text=_("Full name of the person, or the organisation's name.")
    )
    organisation = models.CharField(
        _("organisation"),
        max_length=300,
        blank=True,
        help_text=_("The organisation the person represents, if any."),
    )
    country = models.CharField(_("country"), max_length=100, blank=True)
    contact_email = models.EmailField(_("contact e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    document = models.FileField(
        _("supporting document"),
        storage=private_storage,
        upload_to=observer_document_path,
        blank=True,
        validators=[validate_document],
        help_text=_("A letter of the organisation or an identity document: PDF, PNG or JPEG, at most 10 MB."),
    )
    language = models.CharField(
        _("language of e-mails"), max_length=8, choices=settings.LANGUAGES, default="ru"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    credential_code = models.CharField(
        _("credential code"), max_length=32, unique=True, default=new_credential_code, editable=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="observer_applications",
        verbose_name=_("portal account"),
    )
    notified_status = models.CharField(_("applicant notified of"), max_length=16, blank=True, editable=False)

    class Meta:
        verbose_name = _("observer application")
        verbose_name_plural = _("observer applications")
        ordering = ["election", "-submitted_at"]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"

    def permission_scope(self):
        """Deciders: members of the responsible commission; in CCM elections the organising-
        committee member of the observed group (a scope of group + organising committee)."""

        return Scope(election_id=self.election_id, group_id=self.group_id, commission_id=self.commission_id)

    @property
    def is_valid_credential(self) -> bool:
        return self.status == self.Status.ACCREDITED


class ObserverInvitation(models.Model):
    """An invitation to an international organisation or a foreign election body to observe the
    election (seed 003 item 33), sent by e-mail with the link to apply for accreditation."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="observer_invitations")
    organisation = models.CharField(_("organisation"), max_length=300)
    country = models.CharField(_("country"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"))
    language = models.CharField(_("language of the letter"), max_length=8, default="ru")
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("invitation to observe")
        verbose_name_plural = _("invitations to observe")
        ordering = ["election", "-sent_at"]

    def __str__(self):
        return self.organisation
