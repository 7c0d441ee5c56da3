"""Reads of acts of hand-over: who may see which, what is expected and received, and what of the
calendar plan they fulfil.

``ACTIVITY_OF`` names, per shipped plan template, the activity each kind of act carries out (seed
003: item 14 the voter lists, 51 the precinct protocols, 55 the TEC protocols) and the activity
the TEC's signed summary table carries out (53). A plan written from another template links
nothing automatically: its activities are marked done by hand as before."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.permissions import can, roles_in
from elections.selectors import calendar_of
from groups.models import Commission, CommissionMember, TerritorialUnit
from polling import plan as polling_plan
from voters.models import RegisterEntry

from .aggregation_selectors import election_cec, precinct_tec
from .models import HandoverAct, Protocol
from .selectors import may_read

A = HandoverAct
ACTIVITY_OF: dict[str, dict[str, int]] = {
    "kg-local-2016": {A.Kind.VOTER_LISTS: 14, A.Kind.PRECINCT_PROTOCOL: 51, A.Kind.TERRITORIAL_PROTOCOL: 55},
}
SUMMARY_ACTIVITY: dict[str, int] = {"kg-local-2016": 53}


def template_slug(election) -> str:
    calendar = calendar_of(election)
    return calendar.template.slug if calendar is not None else ""


def activity_number(election, kind: str) -> int | None:
    return ACTIVITY_OF.get(template_slug(election), {}).get(kind)


def voters_on_list(unit: TerritorialUnit) -> int:
    """The voters on the precinct's list: the register's entries, else the number entered for
    the precinct."""
    return RegisterEntry.objects.filter(precinct=unit).count() or (unit.voters_on_list or 0)


def expected_units(election, kind: str) -> set[int]:
    """The precincts (or districts) that should each have an act of ``kind`` received."""
    commission_kind = Commission.Kind.TEC if kind == A.Kind.TERRITORIAL_PROTOCOL else Commission.Kind.PEC
    return set(
        Commission.objects.filter(election=election, kind=commission_kind, unit__isnull=False).values_list(
            "unit_id", flat=True
        )
    )


def all_received(election, kind: str) -> bool:
    expected = expected_units(election, kind)
    received = set(
        HandoverAct.objects.filter(election=election, kind=kind, status=A.Status.RECEIVED).values_list(
            "unit_id", flat=True
        )
    )
    return bool(expected) and expected <= received


def may_see(user, act: HandoverAct) -> bool:
    """The secretariat and the observers of the election, the members of either commission and of
    the CEC, and whoever may read the protocol handed over (the act is part of its record)."""
    if not can(user, "act.view", act.election):
        return False
    if {Role.SECRETARIAT, Role.OBSERVER} & set(roles_in(user, act.election)):
        return True
    if CommissionMember.objects.filter(
        Q(commission_id__in=(act.from_commission_id, act.to_commission_id))
        | Q(commission__election_id=act.election_id, commission__kind=Commission.Kind.CEC),
        user=user,
    ).exists():
        return True
    return act.protocol_id is not None and may_read(user, act.protocol)


def acts_for(user, election, *, kind: str = "") -> list[HandoverAct]:
    acts = HandoverAct.objects.filter(election=election).select_related(
        "from_commission", "to_commission", "protocol", "unit", "election"
    )
    if kind:
        acts = acts.filter(kind=kind)
    return [act for act in acts.order_by("-number") if may_see(user, act)]


def acts_of_protocol(protocol: Protocol) -> list[HandoverAct]:
    return list(protocol.handover_acts.select_related("to_commission").order_by("number"))


def signable_by(user, act: HandoverAct) -> bool:
    """Offered the receipt (or refusal): an active member of the receiving commission."""
    return (
        act.status == A.Status.HANDED
        and can(user, "act.sign", act.to_commission)
        and act.to_commission.members.filter(user=user, is_active=True).exists()
    )


def calendar_work(user, election) -> dict[int, list[tuple[str, str]]]:
    """Links on the calendar plan's rows: the acts of each kind (for those who may see acts), and
    the TEC summary tables signed (activity 53)."""
    slug = template_slug(election)
    numbers = ACTIVITY_OF.get(slug, {})
    links: dict[int, list[tuple[str, str]]] = {}
    if not numbers or not can(user, "act.view", election):
        return links
    for what in ("to_tec", "to_pec"):
        number = polling_plan.activity_number(election, what)
        if number:
            links.setdefault(number, []).append(
                (
                    _("Ballot papers: who holds how many"),
                    reverse("protocols:ballot_stock", args=[election.slug]),
                )
            )
            links[number].append(
                (
                    _("Acts of hand-over of ballots"),
                    reverse("protocols:acts", args=[election.slug]) + f"?kind={A.Kind.BALLOTS}",
                )
            )
    counts = {
        kind: HandoverAct.objects.filter(election=election, kind=kind)
        .filter(Q(status=A.Status.RECEIVED))
        .count()
        for kind in numbers
    }
    for kind, number in numbers.items():
        label = _("Acts of hand-over: %(kind)s (received: %(count)s)") % {
            "kind": A.Kind(kind).label,
            "count": counts[kind],
        }
        links.setdefault(number, []).append(
            (label, reverse("protocols:acts", args=[election.slug]) + f"?kind={kind}")
        )
    summary_number = SUMMARY_ACTIVITY.get(slug)
    if summary_number and can(user, "protocol.view_draft", election):
        summaries = (
            Protocol.objects.filter(election=election, level=Protocol.Level.TERRITORIAL)
            .exclude(status=Protocol.Status.SUPERSEDED)
            .select_related("unit", "contest")
            .order_by("unit__number")
        )
        for protocol in summaries:
            if not may_read(user, protocol):
                continue
            label = _("Protocol and summary table: %(unit)s (%(status)s)") % {
                "unit": protocol.unit,
                "status": protocol.get_status_display(),
            }
            links.setdefault(summary_number, []).append(
                (label, reverse("protocols:detail", args=[election.slug, protocol.pk]))
            )
    return links


def receiver_of(protocol: Protocol) -> Commission | None:
    """The commission a protocol's first copy is handed to: the TEC for a precinct protocol, the
    CEC for a TEC's summary table; None for the others."""
    if protocol.level == Protocol.Level.PRECINCT:
        return precinct_tec(protocol)
    if protocol.level == Protocol.Level.TERRITORIAL:
        return election_cec(protocol.election)
    return None


def may_hand_over(user, protocol: Protocol) -> bool:
    """Offered on the protocol's page: a signed protocol with a higher commission, no standing
    act, and the user an active member of the commission that signed it."""
    return (
        protocol.status == Protocol.Status.SIGNED
        and receiver_of(protocol) is not None
        and not protocol.handover_acts.exclude(status=A.Status.REFUSED).exists()
        and can(user, "act.sign", protocol.commission)
        and CommissionMember.objects.filter(
            commission=protocol.commission, user=user, is_active=True
        ).exists()
    )
