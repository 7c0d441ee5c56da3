"""People and the roles they hold.

A user logs in by e-mail. What a user may do is decided by ``accounts.permissions`` from the
user's role assignments, each scoped to the whole portal (secretariat), an election, an electoral
group or a commission.
"""

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("Language of the e-mails the portal sends you."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Technical flag; admin access follows the secretariat role."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat")
    ORG_COMMITTEE = "org_committee", _("Organising-committee member")
    COMMISSION_MEMBER = "commission_member", _("Commission member")
    CANDIDATE = "candidate", _("Candidate")
    VOTER = "voter", _("Voter")
    OBSERVER = "observer", _("Observer")
    PARTY_REPRESENTATIVE = "party_representative", _("Authorised representative of a party")


class Position(models.TextChoices):
    CHAIR = "chair", _("Chair")
    DEPUTY = "deputy", _("Deputy chair")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")


class RoleAssignment(models.Model):
    """One role of one user, in a scope.

    The scope is the narrowest of: the whole portal (no election; secretariat only), an election,
    an electoral group of that election, or a commission of that election.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    election = models.ForeignKey(
        "elections.Election",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("election"),
    )
    group = models.ForeignKey(
        "groups.ElectoralGroup",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("electoral group"),
    )
    commission = models.ForeignKey(
        "groups.Commission",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("commission"),
    )
    position = models.CharField(_("position"), max_length=16, choices=Position.choices, blank=True)
    created_at = models.DateTimeField(_("assigned at"), default=timezone.now)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user__email", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "election", "group", "commission"],
                name="unique_role_assignment",
                nulls_distinct=False,
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.scope_label()}"

    def scope_label(self):
        parts = [str(self.get_role_display())]
        if self.position:
            parts.append(str(self.get_position_display()))
        for obj in (self.commission, self.group, self.election):
            if obj is not None:
                parts.append(str(obj))
                break
        return " · ".join(parts)

    def clean(self):
        errors = {}
        if self.role == Role.SECRETARIAT:
            if self.group_id or self.commission_id:
                errors["role"] = _("The secretariat role is held for the whole portal or one election.")
        elif self.election_id is None:
            errors["election"] = _("This role must be held within an election.")
        if self.role == Role.ORG_COMMITTEE and not self.group_id:
            errors["group"] = _("An organising-committee member represents one electoral group.")
        if self.role == Role.COMMISSION_MEMBER:
            if not self.commission_id:
                errors["commission"] = _("A commission member belongs to a commission.")
            if not self.position:
                errors["position"] = _("Choose the member's position in the commission.")
        elif self.position:
            errors["position"] = _("Only commission members hold a position.")
        if self.group_id and self.election_id and self.group.election_id != self.election_id:
            errors["group"] = _("The group belongs to another election.")
        if self.commission_id and self.election_id and self.commission.election_id != self.election_id:
            errors["commission"] = _("The commission belongs to another election.")
        if errors:
            raise ValidationError(errors)
