"""Role assignments: one role of one user, in a scope (issue 17: beside what they scope).

``accounts`` names the roles (``Role``, ``Position``) and decides what each may do
(``accounts.permissions``); the assignment lives here because its scope is an election, an
electoral group or a commission, and ``accounts`` points at no domain model. ``GroupsConfig.ready``
hands ``accounts.permissions`` the way to read them. The table keeps its first name,
``accounts_roleassignment``.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Position, Role


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
        db_table = "accounts_roleassignment"
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
