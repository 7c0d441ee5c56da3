"""A *contest* is what candidates stand in: an electoral group (seed 000) or an electoral
district (seed 003). Addressed in URLs as ``g-<group slug>`` or ``d-<district number>``."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from accounts.permissions import Scope
from groups.models import Commission, ElectoralGroup, TerritorialUnit


@dataclass(frozen=True)
class Contest:
    election: object
    group: ElectoralGroup | None = None
    unit: TerritorialUnit | None = None

    @classmethod
    def of(cls, application) -> Contest:
        return cls(election=application.election, group=application.group, unit=application.unit)

    @classmethod
    def parse(cls, election, key: str) -> Contest:
        """The contest named by ``key`` in ``election``, or 404."""
        prefix, _sep, rest = (key or "").partition("-")
        if prefix == "g" and rest:
            group = ElectoralGroup.objects.filter(election=election, slug=rest).first()
            if group is not None:
                return cls(election=election, group=group)
        elif prefix == "d" and rest.isdigit():
            unit = TerritorialUnit.objects.filter(
                election=election, kind=TerritorialUnit.Kind.DISTRICT, number=int(rest)
            ).first()
            if unit is not None:
                return cls(election=election, unit=unit)
        raise Http404

    @property
    def key(self) -> str:
        return f"g-{self.group.slug}" if self.group is not None else f"d-{self.unit.number}"

    @property
    def kind(self) -> str:
        return "group" if self.group is not None else "district"

    @property
    def target(self):
        return self.group if self.group is not None else self.unit

    @property
    def name(self) -> str:
        return self.target.name

    @property
    def number(self):
        return self.unit.number if self.unit is not None else None

    def verifying_commission(self) -> Commission | None:
        """The group's mandate commission (seed 000 item 16) or the district's territorial
        election commission (seed 003 item 20)."""
        if self.group is not None:
            qs = Commission.objects.filter(group=self.group, kind=Commission.Kind.MANDATE)
        else:
            qs = Commission.objects.filter(unit=self.unit, kind=Commission.Kind.TEC)
        return qs.select_related("election").order_by("pk").first()

    def filter(self, qs):
        """Narrow a queryset of applications (or anything with group/unit) to this contest."""
        if self.group is not None:
            return qs.filter(group=self.group)
        return qs.filter(unit=self.unit)

    def permission_scope(self):

        if self.group is not None:
            return Scope(election_id=self.election.pk, group_id=self.group.pk)
        commission = self.verifying_commission()
        # a district without its commission is reached by election-wide roles only (id 0 is no
        # commission), never by a member of some group or commission
        return Scope(election_id=self.election.pk, commission_id=commission.pk if commission else 0)


def contests_of(election) -> list[Contest]:
    """Every contest of the election: its groups in their order, then its districts by number."""
    groups = ElectoralGroup.objects.filter(election=election).order_by("order", "name_ru")
    districts = TerritorialUnit.objects.filter(
        election=election, kind=TerritorialUnit.Kind.DISTRICT
    ).order_by("number")
    return [Contest(election=election, group=g) for g in groups] + [
        Contest(election=election, unit=u) for u in districts
    ]
