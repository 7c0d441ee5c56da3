"""Drawing up, receiving and refusing acts of hand-over (seed 003 items 14, 51, 55).

* ``protocol_hand_over`` — a member of the commission that signed a protocol hands its first copy
  to the higher commission: a precinct protocol to the TEC, a TEC's summary table to the CEC. Only
  the current signed version; one standing act per version.
* ``voter_lists_hand_over`` — a member of the CEC or of the precinct's TEC hands the precinct's
  paper voter list (numbered, bound, sealed: books and sheets as counted) to the PEC.
* ``act_receive`` / ``act_refuse`` — a member of the receiving commission signs the receipt, or
  refuses it with the reason (the handing side then draws up a new act).

Each side signs by re-entering the password. Receiving a protocol's act marks the protocol
received by the higher commission (its transmission status); accepting or returning it stays the
higher commission's decision (``aggregation.protocol_transmission_set``). Once every precinct (or
every district) of the election has its act received, the calendar plan's activity is marked done
(``services.plan``). One transaction and an audit entry each.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import refuse_observers, require
from elections.audit import audit_log
from elections.models import Election
from groups.models import Commission, CommissionMember, TerritorialUnit

from .. import acts_selectors
from ..models import HandoverAct, Protocol
from . import plan
from .protocol import ProtocolRefused

A = HandoverAct
T = Protocol.Transmission
#: lines of a precinct protocol whose counts go with the protocol (unused and invalid ballots)
BALLOT_LINES = ("ballots_received", "ballots_cancelled", "ballots_invalid")


def _refuse(message, code):
    raise ProtocolRefused(message, code=code)


def _signer(actor, commission: Commission, password: str) -> CommissionMember:
    """The actor's active membership of ``commission``, after the password is checked."""
    require(actor, "act.sign", commission)
    refuse_observers(actor, commission.election)
    member = CommissionMember.objects.filter(commission=commission, user=actor, is_active=True).first()
    if member is None:
        _refuse(
            _("Only a member of %(commission)s signs for it.") % {"commission": commission.name}, "not_member"
        )
    if not password or not actor.check_password(password):
        _refuse(_("The password is not correct; the act was not signed."), "password")
    return member


def _next_number(election: Election) -> int:
    Election.objects.select_for_update().filter(pk=election.pk).first()  # one number at a time
    return (HandoverAct.objects.filter(election=election).aggregate(n=Max("number"))["n"] or 0) + 1


def _protocol_contents(protocol: Protocol) -> dict:
    complaints = [{"number": c.number, "status": c.status} for c in protocol.complaints.order_by("number")]
    contents = {
        "protocol": {
            "level": protocol.level,
            "version": protocol.version,
            "sha256": protocol.data_sha256,
            "unit_number": protocol.unit.number if protocol.unit_id else None,
            "unit_name": protocol.unit.name_ru if protocol.unit_id else "",
            "contest": protocol.contest.title_ru,
        },
        "copy": 1,
        "complaints": complaints,
        "dissents": protocol.signatures.exclude(dissent="").count(),
        "ballots": {
            code: protocol.figures[code] for code in BALLOT_LINES if code in (protocol.figures or {})
        },
    }
    if protocol.level == Protocol.Level.TERRITORIAL:
        contents["summary_table"] = {
            "copy": 1,
            "precincts": len((protocol.prefilled or {}).get("precincts", [])),
            "included": (protocol.prefilled or {}).get("included", 0),
        }
    return contents


@transaction.atomic
def protocol_hand_over(*, protocol: Protocol, actor, password: str) -> HandoverAct:
    """A member of the commission that signed ``protocol`` hands its first copy, with the
    election documentation, to the higher commission and signs the act."""
    protocol = (
        Protocol.objects.select_for_update(of=("self",))
        .select_related("election", "commission", "commission__parent", "unit", "unit__parent", "contest")
        .get(pk=protocol.pk)
    )
    receiver = acts_selectors.receiver_of(protocol)
    if receiver is None:
        _refuse(
            _(
                "This protocol is not handed to a higher commission: no territorial or central commission receives it."
            ),
            "no_receiver",
        )
    member = _signer(actor, protocol.commission, password)
    if protocol.status != Protocol.Status.SIGNED:
        _refuse(_("Only the current protocol signed by all present members is handed over."), "not_signed")
    if protocol.handover_acts.exclude(status=A.Status.REFUSED).exists():
        _refuse(_("This protocol has been handed over already; see its act."), "already_handed")
    kind = (
        A.Kind.PRECINCT_PROTOCOL if protocol.level == Protocol.Level.PRECINCT else A.Kind.TERRITORIAL_PROTOCOL
    )
    act = HandoverAct(
        election=protocol.election,
        number=_next_number(protocol.election),
        kind=kind,
        from_commission=protocol.commission,
        to_commission=receiver,
        protocol=protocol,
        unit=protocol.unit,
        contents=_protocol_contents(protocol),
        handed_by=actor,
        handed_by_name=actor.get_full_name() or actor.email,
        handed_by_position=member.position,
    )
    try:
        with transaction.atomic():
            act.save()
    except IntegrityError:
        _refuse(_("This protocol has been handed over already; see its act."), "already_handed")
    audit_log(
        action="protocols.act.handed",
        actor=actor,
        obj=act,
        election=protocol.election,
        data={
            "number": act.number,
            "kind": kind,
            "protocol": protocol.pk,
            "version": protocol.version,
            "to": receiver.pk,
        },
    )
    return act


@transaction.atomic
def voter_lists_hand_over(
    *, unit: TerritorialUnit, commission: Commission, actor, password: str, books: int, sheets: int
) -> HandoverAct:
    """The CEC or the precinct's TEC (``commission``) hands the precinct's paper voter list —
    ``books`` bound books of ``sheets`` numbered sheets in all — to the precinct's PEC."""
    if unit.kind != TerritorialUnit.Kind.PRECINCT:
        _refuse(_("Choose a precinct."), "not_precinct")
    pec = Commission.objects.filter(election_id=unit.election_id, kind=Commission.Kind.PEC, unit=unit).first()
    if pec is None:
        _refuse(_("The precinct has no precinct commission to receive the list."), "no_pec")
    allowed = commission.kind == Commission.Kind.CEC or (
        commission.kind == Commission.Kind.TEC and pec.parent_id == commission.pk
    )
    if commission.election_id != unit.election_id or not allowed:
        _refuse(
            _(
                "The voter list of a precinct is handed over by the central commission or the precinct's territorial commission."
            ),
            "wrong_commission",
        )
    member = _signer(actor, commission, password)
    if books < 1 or sheets < books:
        _refuse(_("Give the number of bound books (at least one) and of numbered sheets in them."), "counts")
    if (
        HandoverAct.objects.filter(kind=A.Kind.VOTER_LISTS, unit=unit)
        .exclude(status=A.Status.REFUSED)
        .exists()
    ):
        _refuse(
            _("The voter list of this precinct has been handed over already; see its act."), "already_handed"
        )
    election = Election.objects.get(pk=unit.election_id)
    act = HandoverAct(
        election=election,
        number=_next_number(election),
        kind=A.Kind.VOTER_LISTS,
        from_commission=commission,
        to_commission=pec,
        unit=unit,
        contents={
            "precinct": unit.number,
            "voters_on_list": acts_selectors.voters_on_list(unit),
            "books": books,
            "sheets": sheets,
            "sealed": True,
        },
        handed_by=actor,
        handed_by_name=actor.get_full_name() or actor.email,
        handed_by_position=member.position,
    )
    try:
        with transaction.atomic():
            act.save()
    except IntegrityError:
        _refuse(
            _("The voter list of this precinct has been handed over already; see its act."), "already_handed"
        )
    audit_log(
        action="protocols.act.handed",
        actor=actor,
        obj=act,
        election=election,
        data={
            "number": act.number,
            "kind": act.kind,
            "precinct": unit.number,
            "books": books,
            "sheets": sheets,
        },
    )
    return act


def _locked(act: HandoverAct, actor, password: str) -> tuple[HandoverAct, CommissionMember]:
    act = (
        HandoverAct.objects.select_for_update(of=("self",))
        .select_related("election", "to_commission", "from_commission", "protocol")
        .get(pk=act.pk)
    )
    member = _signer(actor, act.to_commission, password)
    if act.status != A.Status.HANDED:
        _refuse(_("This act has been received or refused already."), "decided")
    return act, member


@transaction.atomic
def act_receive(*, act: HandoverAct, actor, password: str) -> HandoverAct:
    """A member of the receiving commission signs the receipt; a protocol handed over is then
    received by the higher commission."""
    act, member = _locked(act, actor, password)
    now = timezone.now()
    act.status = A.Status.RECEIVED
    act.received_by = actor
    act.received_by_name = actor.get_full_name() or actor.email
    act.received_by_position = member.position
    act.received_at = now
    act.save()
    protocol = act.protocol
    if protocol is not None and protocol.transmission == "":
        protocol.transmission = T.RECEIVED
        protocol.transmission_note = _("Received by act № %(number)s.") % {"number": act.number}
        protocol.transmission_at = now
        protocol.save(update_fields=["transmission", "transmission_note", "transmission_at"])
    audit_log(
        action="protocols.act.received",
        actor=actor,
        obj=act,
        election=act.election,
        data={"number": act.number, "kind": act.kind, "protocol": act.protocol_id},
    )
    plan.acts_fulfil(act.election, act.kind, now)
    return act


@transaction.atomic
def act_refuse(*, act: HandoverAct, actor, password: str, reason: str) -> HandoverAct:
    """A member of the receiving commission refuses the receipt, saying why."""
    reason = (reason or "").strip()
    if not reason:
        _refuse(_("Say why the receipt is refused; the handing commission reads it."), "reason")
    act, member = _locked(act, actor, password)
    act.status = A.Status.REFUSED
    act.received_by = actor
    act.received_by_name = actor.get_full_name() or actor.email
    act.received_by_position = member.position
    act.received_at = timezone.now()
    act.refusal_reason = reason
    act.save()
    audit_log(
        action="protocols.act.refused",
        actor=actor,
        obj=act,
        election=act.election,
        data={"number": act.number, "kind": act.kind, "reason": reason},
    )
    return act
