"""Electoral units and commissions: who takes part and where.

Seed 000 (CCM) works with electoral groups (communities) that each elect a member and an
alternate; seed 003 (local councils) with districts and precincts. Both have commissions: an
organising committee and a mandate/counting commission per group (000), or a CEC → TEC → PEC
hierarchy (003).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.permissions import Scope
from elections.models import Election, Translated

from ..files import private_storage, regulations_path, validate_pdf


class DecisionRule(models.TextChoices):
    """How the group's seats are decided in counting; values are the counting engine's methods."""

    PLURALITY = "plurality", _("Plurality: most votes — member, next — alternate")
    APPROVAL = "approval", _("Approval voting")
    IRV = "irv", _("Instant-runoff voting (ranked ballots)")
    STV_SCOTTISH = "stv-scottish", _("Single transferable vote (Scottish rules)")
    STV_MEEK = "stv-meek", _("Single transferable vote (Meek)")
    HARE = "hare", _("Party lists: largest remainder (Hare quota)")
    DHONDT = "dhondt", _("Party lists: D'Hondt")
    SAINTE_LAGUE = "sainte-lague", _("Party lists: Sainte-Laguë")


class ElectoralGroup(models.Model):
    """A community or association of organisations that elects its own seats (seed 000)."""

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="groups", verbose_name=_("election")
    )
    slug = models.SlugField(_("short name"), max_length=64)
    name_ru = models.CharField(_("name (Russian)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300, blank=True)
    name_ky = models.CharField(_("name (Kyrgyz)"), max_length=300, blank=True)
    description_ru = models.TextField(_("description (Russian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_kk = models.TextField(_("description (Kazakh)"), blank=True)
    description_ky = models.TextField(_("description (Kyrgyz)"), blank=True)
    eligibility_ru = models.TextField(
        _("who may stand and vote (Russian)"),
        blank=True,
        help_text=_("The criteria for candidates and voters of this group, as published."),
    )
    eligibility_en = models.TextField(_("who may stand and vote (English)"), blank=True)
    eligibility_kk = models.TextField(_("who may stand and vote (Kazakh)"), blank=True)
    eligibility_ky = models.TextField(_("who may stand and vote (Kyrgyz)"), blank=True)
    seats_members = models.PositiveSmallIntegerField(_("member seats"), default=1)
    seats_alternates = models.PositiveSmallIntegerField(_("alternate seats"), default=1)
    decision_rule = models.CharField(
        _("decision rule"),
        max_length=16,
        choices=DecisionRule.choices,
        default=DecisionRule.PLURALITY,
        help_text=_("The rule of the group's election regulations that the count applies."),
    )
    regulations = models.FileField(
        _("election regulations (PDF)"),
        storage=private_storage,
        upload_to=regulations_path,
        blank=True,
        validators=[validate_pdf],
        help_text=_("The group's own regulations on elections, as a PDF of at most 10 MB."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    name = Translated("name")
    description = Translated("description")
    eligibility = Translated("eligibility")

    class Meta:
        verbose_name = _("electoral group")
        verbose_name_plural = _("electoral groups")
        ordering = ["election", "order", "name_ru"]
        constraints = [
            models.UniqueConstraint(fields=["election", "slug"], name="unique_group_slug_per_election")
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.seats_members is not None and self.seats_members < 1:
            errors["seats_members"] = _("A group elects at least one member.")
        if self.seats_alternates and self.decision_rule not in (
            DecisionRule.PLURALITY,
            DecisionRule.APPROVAL,
        ):
            errors["seats_alternates"] = _(
                "Only plurality and approval voting name alternates (the next after the elected). "
                "With this rule set 0 alternates, or choose plurality."
            )
        if errors:
            raise ValidationError(errors)

    def permission_scope(self):

        return Scope(election_id=self.election_id, group_id=self.pk)


class TerritorialUnit(models.Model):
    """An electoral district or a precinct inside a district (seed 003, section 1)."""

    class Kind(models.TextChoices):
        DISTRICT = "district", _("Electoral district")
        PRECINCT = "precinct", _("Precinct")

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="units", verbose_name=_("election")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("district"),
    )
    number = models.PositiveIntegerField(_("number"))
    name_ru = models.CharField(_("name (Russian)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300, blank=True)
    name_ky = models.CharField(_("name (Kyrgyz)"), max_length=300, blank=True)
    address = models.CharField(_("address"), max_length=500, blank=True)
    voters_on_list = models.PositiveIntegerField(_("voters on the list"), null=True, blank=True)

    name = Translated("name")

    class Meta:
        verbose_name = _("territorial unit")
        verbose_name_plural = _("territorial units")
        ordering = ["election", "kind", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "kind", "number"],
                name="unique_unit_number_per_election",
                violation_error_message=_(
                    "A unit of this kind with this number already exists in the election."
                ),
            ),
            # the target of the voter list's foreign key (precinct, election): an entry's precinct
            # is a unit of the entry's own election (voters migration 0008). The id leads, so that
            # the key's check reads one row even before PostgreSQL has statistics of the table.
            models.UniqueConstraint(fields=["id", "election"], name="territorial_unit_of_its_election"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} № {self.number} — {self.name}"

    def permission_scope(self):

        return Scope(election_id=self.election_id)

    def clean(self):
        errors = {}
        if self.kind == self.Kind.PRECINCT:
            if not self.parent_id:
                errors["parent"] = _("A precinct lies in an electoral district.")
            if self.voters_on_list is None:
                errors["voters_on_list"] = _("Give the number of voters on the precinct's list.")
        elif self.parent_id:
            errors["parent"] = _("An electoral district has no parent unit.")
        if self.parent_id:
            if self.parent.election_id != self.election_id:
                errors["parent"] = _("The district belongs to another election.")
            elif self.parent.kind != self.Kind.DISTRICT:
                errors["parent"] = _("The parent of a precinct must be an electoral district.")
        if errors:
            raise ValidationError(errors)


class Commission(models.Model):
    """A body with members and powers: organising committee, mandate/counting commission, CEC,
    TEC, PEC or another. PEC reports to a TEC, a TEC to the CEC."""

    class Kind(models.TextChoices):
        ORG_COMMITTEE = "org_committee", _("Organising committee")
        MANDATE = "mandate", _("Mandate commission")
        COUNTING = "counting", _("Counting commission")
        CEC = "cec", _("Central election commission")
        TEC = "tec", _("Territorial election commission")
        PEC = "pec", _("Precinct election commission")
        CUSTOM = "custom", _("Other commission")

    #: kind -> the kind its parent must have (the hierarchy of seed 003)
    PARENT_KIND = {Kind.TEC: Kind.CEC, Kind.PEC: Kind.TEC}
    #: kind -> the kind of territorial unit it may serve
    UNIT_KIND = {Kind.TEC: TerritorialUnit.Kind.DISTRICT, Kind.PEC: TerritorialUnit.Kind.PRECINCT}
    #: kinds of which an election has at most one, serving no group
    SINGLE_KINDS = (Kind.ORG_COMMITTEE, Kind.CEC)

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="commissions", verbose_name=_("election")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name_ru = models.CharField(_("name (Russian)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300, blank=True)
    name_ky = models.CharField(_("name (Kyrgyz)"), max_length=300, blank=True)
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
    unit = models.ForeignKey(
        TerritorialUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commissions",
        verbose_name=_("territorial unit served"),
    )

    name = Translated("name")

    class Meta:
        verbose_name = _("commission")
        verbose_name_plural = _("commissions")
        ordering = ["election", "kind", "name_ru"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "kind"],
                condition=Q(kind__in=["org_committee", "cec"]),
                name="one_org_committee_and_cec_per_election",
                violation_error_message=_("The election already has a commission of this kind."),
            )
        ]

    def __str__(self):
        return self.name

    def permission_scope(self):

        return Scope(election_id=self.election_id, group_id=self.group_id, commission_id=self.pk)

    def clean(self):
        if self.group_id and self.group.election_id != self.election_id:
            raise ValidationError({"group": _("The group belongs to another election.")})
        if self.parent_id and self.parent.election_id != self.election_id:
            raise ValidationError({"parent": _("The parent commission belongs to another election.")})
        if self.unit_id and self.unit.election_id != self.election_id:
            raise ValidationError({"unit": _("The territorial unit belongs to another election.")})
        errors = {}
        needed_parent = self.PARENT_KIND.get(self.kind)
        if needed_parent and (not self.parent_id or self.parent.kind != needed_parent):
            errors["parent"] = (
                _("A territorial commission reports to the central election commission.")
                if self.kind == self.Kind.TEC
                else _("A precinct commission reports to a territorial commission.")
            )
        if self.kind in self.SINGLE_KINDS:
            if self.parent_id:
                errors["parent"] = _("This commission reports to no other commission.")
            if self.group_id:
                errors["group"] = _("This commission serves the whole election, not one group.")
            twin = Commission.objects.filter(election_id=self.election_id, kind=self.kind).exclude(pk=self.pk)
            if self.election_id and twin.exists():
                errors["kind"] = _("The election already has a commission of this kind.")
        if self.unit_id:
            expected = self.UNIT_KIND.get(self.kind)
            if self.kind != self.Kind.CUSTOM and (expected is None or self.unit.kind != expected):
                errors["unit"] = _("This kind of commission cannot serve this kind of territorial unit.")
            elif (
                self.kind == self.Kind.PEC
                and self.parent_id
                and self.parent.unit_id
                and self.unit.parent_id != self.parent.unit_id
            ):
                errors["unit"] = _("The precinct lies outside the district of the parent commission.")
        if self.pk and self.parent_id and self._parent_chain_contains_self():
            errors["parent"] = _("A commission cannot report to itself or to its own subordinate.")
        if errors:
            raise ValidationError(errors)

    def _parent_chain_contains_self(self) -> bool:
        seen = set()
        node = self.parent
        while node is not None and node.pk not in seen:
            if node.pk == self.pk:
                return True
            seen.add(node.pk)
            node = node.parent
        return False
