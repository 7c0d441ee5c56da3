"""Who takes part and where: electoral groups and commissions.

Issue "Electoral structure" grows this app (territorial units, members, observers); the
foundation keeps what roles are scoped to.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from elections.models import Election, Translated


class ElectoralGroup(models.Model):
    """A community or association of organisations that elects its own seats (seed 000)."""

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="groups", verbose_name=_("election")
    )
    slug = models.SlugField(_("short name"), max_length=64)
    name_ru = models.CharField(_("name (Russian)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    seats_members = models.PositiveSmallIntegerField(_("member seats"), default=1)
    seats_alternates = models.PositiveSmallIntegerField(_("alternate seats"), default=1)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    name = Translated("name")
    description = Translated("description")

    class Meta:
        verbose_name = _("electoral group")
        verbose_name_plural = _("electoral groups")
        ordering = ["election", "order", "name_ru"]
        constraints = [
            models.UniqueConstraint(fields=["election", "slug"], name="unique_group_slug_per_election")
        ]

    def __str__(self):
        return self.name

    def permission_scope(self):
        from accounts.permissions import Scope

        return Scope(election_id=self.election_id, group_id=self.pk)


class Commission(models.Model):
    class Kind(models.TextChoices):
        ORG_COMMITTEE = "org_committee", _("Organising committee")
        MANDATE = "mandate", _("Mandate commission")
        COUNTING = "counting", _("Counting commission")
        CEC = "cec", _("Central election commission")
        TEC = "tec", _("Territorial election commission")
        PEC = "pec", _("Precinct election commission")
        CUSTOM = "custom", _("Other commission")

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="commissions", verbose_name=_("election")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name_ru = models.CharField(_("name (Russian)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    group = models.ForeignKey(
        ElectoralGroup,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="commissions",
        verbose_name=_("electoral group served"),
    )

    name = Translated("name")

    class Meta:
        verbose_name = _("commission")
        verbose_name_plural = _("commissions")
        ordering = ["election", "kind", "name_ru"]

    def __str__(self):
        return self.name

    def permission_scope(self):
        from accounts.permissions import Scope

        return Scope(election_id=self.election_id, group_id=self.group_id, commission_id=self.pk)

    def clean(self):
        if self.group_id and self.group.election_id != self.election_id:
            raise ValidationError({"group": _("The group belongs to another election.")})
        if self.parent_id and self.parent.election_id != self.election_id:
            raise ValidationError({"parent": _("The parent commission belongs to another election.")})
