"""The campaign in public (seed 003 items 28–32, 40): events notified to the TEC and its answer,
the places for printed material, the media's rates, the precincts' notices to voters.

Each deadline comes from the calendar plan (``ACTIVITIES``): the campaign period of item 30 (from
the end of registration — the list contests' start, the candidates' milestone ``aiyl_start`` — to
24 hours before voting), item 32's term for places, item 28's for the media, item 40's for the
notices. A notice or filing after its term is kept and shown as late; an event outside the
campaign period is refused.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.permissions import refuse_observers, require, roles_in
from ballots.models import Contest
from elections.audit import audit_log
from elections.selectors import calendar_of
from groups.models import Commission, CommissionMember, TerritorialUnit

from .. import plan
from ..models import CampaignEvent, CampaignPlace, MediaRate, VoterNotice
from ._common import cec_or_secretariat, commission_member, refuse

ACTIVITIES = {"kg-local-2016": {"period": 30, "places": 32, "media": 28, "notices": 40, "events": 31}}


def activity(election, what: str):
    calendar = calendar_of(election)
    number = ACTIVITIES.get(calendar.template.slug, {}).get(what) if calendar is not None else None
    return calendar.activities.filter(number=number).first() if number else None


def campaign_period(contest: Contest) -> tuple[dt.datetime | None, dt.datetime | None]:
    """When campaigning for ``contest`` is allowed: lists from the activity's start, candidates
    from its milestone (the end of their registration), until 24 hours before voting."""
    found = activity(contest.election, "period")
    if found is None:
        return None, None
    start = found.starts_at
    if not contest.is_list:
        for milestone in found.milestones or []:
            if milestone.get("at"):
                start = dt.datetime.fromisoformat(milestone["at"])
    return start, found.due_at


def _tec_of(contest: Contest) -> Commission:
    tec = Commission.objects.filter(
        election_id=contest.election_id, kind=Commission.Kind.TEC, unit_id=contest.unit_id
    ).first()
    if tec is None:
        refuse(_("No territorial commission keeps the events of this ballot."), "no_tec")
    return tec


@transaction.atomic
def event_notify(
    *,
    contest: Contest,
    actor,
    organiser: str,
    kind: str,
    place: str,
    starts_at,
    ends_at,
    expected: int,
    notified_at=None,
) -> CampaignEvent:
    """The TEC records a candidate's or party's notice of a campaign event (item 31)."""
    tec = _tec_of(contest)
    commission_member(actor, tec, "campaign.record")
    if kind not in CampaignEvent.Kind.values:
        refuse(_("Choose the kind of event."), "kind")
    if not organiser.strip() or not place.strip():
        refuse(_("Name who organises the event and where it takes place."), "incomplete")
    if starts_at is None or ends_at is None or ends_at <= starts_at:
        refuse(_("The event ends after it starts."), "times")
    if expected is None or expected < 1:
        refuse(_("Give the expected number of participants."), "expected")
    start, end = campaign_period(contest)
    if (start and starts_at < start) or (end and ends_at > end):
        tz = contest.election.tz
        refuse(
            _("Campaigning for this ballot runs from %(start)s to %(end)s: the event is outside it.")
            % {
                "start": timezone.localtime(start, tz).strftime("%d.%m.%Y %H:%M") if start else "—",
                "end": timezone.localtime(end, tz).strftime("%d.%m.%Y %H:%M") if end else "—",
            },
            "outside_period",
        )
    event = CampaignEvent.objects.create(
        election=contest.election,
        commission=tec,
        contest=contest,
        organiser=organiser.strip(),
        kind=kind,
        place=place.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        expected=expected,
        notified_at=notified_at or timezone.now(),
        recorded_by=actor,
    )
    audit_log(
        action="campaign.event.notified",
        actor=actor,
        obj=event,
        election=contest.election,
        data={
            "kind": kind,
            "organiser": event.organiser,
            "place": event.place,
            "starts_at": starts_at.isoformat(),
            "expected": expected,
        },
    )
    return event


@transaction.atomic
def event_answer(*, event: CampaignEvent, actor, status: str, answer: str) -> CampaignEvent:
    event = (
        CampaignEvent.objects.select_for_update().select_related("commission", "election").get(pk=event.pk)
    )
    commission_member(actor, event.commission, "campaign.record")
    if status not in (CampaignEvent.Status.AGREED, CampaignEvent.Status.MOVED, CampaignEvent.Status.REFUSED):
        refuse(_("Choose the commission's answer."), "status")
    if status != CampaignEvent.Status.AGREED and not answer.strip():
        refuse(_("Say why, and where or when the event may take place instead."), "answer")
    event.status, event.answer = status, answer.strip()
    event.save(update_fields=["status", "answer"])
    audit_log(
        action="campaign.event.answered",
        actor=actor,
        obj=event,
        election=event.election,
        data={"status": status, "answer": event.answer},
    )
    return event


def _precinct_body(actor, unit: TerritorialUnit, capability: str) -> None:
    """A member of the precinct's PEC, of its TEC or of the CEC, or the secretariat."""
    election = unit.election
    if actor is None:
        return
    require(actor, capability, election)
    refuse_observers(actor, election)
    if actor.is_superuser or Role.SECRETARIAT in roles_in(actor, election):
        return
    related = Commission.objects.filter(election=election).filter(
        kind=Commission.Kind.CEC
    ) | Commission.objects.filter(election=election, unit_id__in=[unit.pk, unit.parent_id])
    if not CommissionMember.objects.filter(commission__in=related, user=actor, is_active=True).exists():
        raise PermissionDenied(_("Only the precinct's commissions record this."))


@transaction.atomic
def place_record(
    *, unit: TerritorialUnit, actor, address: str, allocated_by: str, allocated_on
) -> CampaignPlace:
    """A place for printed campaign material at a precinct, as the local authority allocated it."""
    if unit.kind != TerritorialUnit.Kind.PRECINCT:
        refuse(_("Choose a precinct."), "not_precinct")
    _precinct_body(actor, unit, "campaign.record")
    if not address.strip() or not allocated_by.strip():
        refuse(_("Give the address and the local authority that allocated the place."), "incomplete")
    if allocated_on is None or allocated_on > timezone.localdate():
        refuse(_("Give the date of the allocation; it cannot be in the future."), "date")
    place = CampaignPlace.objects.create(
        election=unit.election,
        unit=unit,
        address=address.strip(),
        allocated_by=allocated_by.strip(),
        allocated_on=allocated_on,
        recorded_by=actor,
    )
    audit_log(
        action="campaign.place.recorded",
        actor=actor,
        obj=place,
        election=unit.election,
        data={"precinct": unit.number, "address": place.address, "allocated_on": str(allocated_on)},
    )
    plan.places_fulfil(unit.election)
    return place


@transaction.atomic
def media_rate_record(
    *, election, actor, outlet: str, medium: str, conditions: str, published_on, filed_on, document=None
) -> MediaRate:
    """An outlet's rates and conditions, as filed with the CEC (item 28)."""
    cec_or_secretariat(actor, election, "campaign.media")
    if medium not in MediaRate.Medium.values:
        refuse(_("Choose the medium."), "medium")
    if not outlet.strip() or not conditions.strip():
        refuse(_("Name the outlet and give its rates and conditions."), "incomplete")
    today = timezone.localdate()
    if published_on is None or filed_on is None or published_on > today or filed_on > today:
        refuse(_("Give when the rates were published and filed; not in the future."), "dates")
    rate = MediaRate(
        election=election,
        outlet=outlet.strip(),
        medium=medium,
        conditions=conditions.strip(),
        published_on=published_on,
        filed_on=filed_on,
        recorded_by=actor,
    )
    if document is not None:
        rate.document = document
    rate.save()
    audit_log(
        action="campaign.media_rate.recorded",
        actor=actor,
        obj=rate,
        election=election,
        data={"outlet": rate.outlet, "medium": medium, "filed_on": str(filed_on)},
    )
    plan.media_fulfil(election)
    return rate


def notice_text(unit: TerritorialUnit) -> str:
    """The notice as the precinct commission publishes it, in Russian (the official language)."""
    election = unit.election
    starts = timezone.localtime(election.voting_starts_at, election.tz) if election.voting_starts_at else None
    ends = timezone.localtime(election.voting_ends_at, election.tz) if election.voting_ends_at else None
    when = f"{starts:%d.%m.%Y} с {starts:%H:%M} до {ends:%H:%M}" if starts and ends else "в день голосования"
    return (
        f"Участковая избирательная комиссия № {unit.number} извещает: голосование на выборах «{election.title_ru}» "
        f"состоится {when} в помещении для голосования по адресу: {unit.address or unit.name_ru}. "
        "Избиратель, который не может прийти в помещение для голосования по уважительной причине, вправе "
        "до дня, предшествующего дню голосования, подать заявление о голосовании вне помещения."
    )


@transaction.atomic
def voter_notice_publish(*, unit: TerritorialUnit, actor, channels: str, published_at=None) -> VoterNotice:
    """The precinct's notice of the time and place of voting (item 40)."""
    if unit.kind != TerritorialUnit.Kind.PRECINCT:
        refuse(_("Choose a precinct."), "not_precinct")
    _precinct_body(actor, unit, "campaign.record")
    if not channels.strip():
        refuse(_("Say how the notice was published (posted, newspaper, delivered)."), "channels")
    published_at = published_at or timezone.now()
    if published_at > timezone.now():
        refuse(_("The time cannot be in the future."), "future")
    if VoterNotice.objects.select_for_update().filter(election=unit.election, unit=unit).exists():
        refuse(_("The notice of this precinct is published already."), "exists")
    notice = VoterNotice.objects.create(
        election=unit.election,
        unit=unit,
        text=notice_text(unit),
        published_at=published_at,
        channels=channels.strip(),
        published_by=actor,
    )
    audit_log(
        action="campaign.voter_notice.published",
        actor=actor,
        obj=notice,
        election=unit.election,
        data={"precinct": unit.number, "published_at": published_at.isoformat(), "channels": notice.channels},
    )
    plan.notices_fulfil(unit.election)
    return notice
