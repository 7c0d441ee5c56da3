"""Scheduling a meeting, recording who came, cancelling. One transaction and an audit entry each;
the invited are told by e-mail with a calendar event (ICS) link."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.permissions import can, refuse_observers, require
from elections.audit import audit_log
from elections.models import Election
from elections.notify import absolute, election_context, notify
from elections.responsibility import is_responsible
from elections.selectors import calendar_of
from elections.services.calendar import activity_complete
from elections.services.decisions import body_key
from groups.models import Commission
from groups.services._common import refuse_when_archived

from .. import selectors
from ..models import AgendaItem, Meeting, Participant

P = Participant.Role


def _tell(meeting: Meeting, user, template: str) -> None:
    notify(
        to=user.email,
        app="meetings",
        template=template,
        language=user.language,
        election=meeting.election,
        time_zone=meeting.election.tz,
        defaults=election_context(meeting.election),
        key=f"meetings.{template}:{meeting.pk}:{user.pk}",
        context={
            "meeting": meeting,
            "body": lambda: meeting.body_name,
            "kind": lambda: meeting.get_kind_display(),
            "items": [item.title for item in meeting.items.all()],
            "page_link": absolute(reverse("meetings:detail", args=[meeting.election.slug, meeting.pk])),
            "ics_link": absolute(reverse("meetings:ics", args=[meeting.election.slug, meeting.pk])),
        },
    )


def _invite(meeting: Meeting, participant: Participant) -> None:
    _tell(meeting, participant.user, "invitation")
    participant.invited_at = timezone.now()
    participant.save(update_fields=["invited_at"])


@transaction.atomic
def meeting_schedule(
    *,
    election: Election,
    commission: Commission | None,
    kind: str,
    title: str,
    starts_at,
    actor,
    ends_at=None,
    place: str = "",
    link: str = "",
    agenda: list[str] | tuple[str, ...] = (),
    observers_may_attend: bool = True,
    activity_number: int | None = None,
    announced_activity_number: int | None = None,
) -> Meeting:
    """Schedule a meeting of ``commission`` (None: the secretariat) with its agenda; the body's
    members are invited and told by e-mail. ``activity_number``: the activity of the election's
    calendar plan the meeting carries out (marked done when the meeting is held);
    ``announced_activity_number``: an activity of announcing it and its programme (seed 000 item
    19), marked done now that the invitations go out."""
    if commission is not None and commission.election_id != election.pk:
        raise ValidationError({"commission": _("The commission belongs to another election.")})
    if actor is not None:
        require(actor, "meeting.manage", commission if commission is not None else election)
    refuse_observers(actor, election)
    refuse_when_archived(election)
    if not place.strip() and not link.strip():
        raise ValidationError({"place": _("Give the place of the meeting or the link to join it online.")})
    items = [line.strip() for line in agenda if line.strip()]
    if not items:
        raise ValidationError({"agenda": _("Write the agenda: one item per line.")})
    activity = _activity(election, activity_number, actor) if activity_number else None
    announced = (
        _activity(election, announced_activity_number, actor, field="announced_activity_number")
        if announced_activity_number
        else None
    )
    meeting = Meeting(
        election=election,
        commission=commission,
        activity=activity,
        announced_activity=announced,
        kind=kind,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        link=link.strip(),
        observers_may_attend=observers_may_attend,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    meeting.full_clean()
    meeting.save()
    AgendaItem.objects.bulk_create(
        [AgendaItem(meeting=meeting, order=n, title=text[:500]) for n, text in enumerate(items, start=1)]
    )
    participants = [
        Participant.objects.create(meeting=meeting, user=user, role=P.MEMBER, position=position)
        for user, position in selectors.members_of(commission)
    ]
    for participant in participants:
        _invite(meeting, participant)
    if announced is not None:
        _complete(announced, timezone.now(), meeting.title)
    audit_log(
        action="meetings.meeting.scheduled",
        actor=actor,
        obj=meeting,
        election=election,
        data={
            "meeting_id": meeting.pk,
            "commission_id": commission.pk if commission else None,
            "kind": kind,
            "starts_at": meeting.starts_at,
            "agenda": len(items),
            "invited": len(participants),
        },
    )
    return meeting


def _activity(election: Election, number: int, actor, field: str = "activity_number"):
    calendar = calendar_of(election)
    activity = calendar.activities.filter(number=number).first() if calendar is not None else None
    if activity is None:
        raise ValidationError({field: _("The calendar plan of this election has no such activity.")})
    if actor is not None and not (can(actor, "calendar.manage", election) or is_responsible(actor, activity)):
        raise ValidationError(
            {field: _("Only the body responsible for this activity, or the secretariat, may carry it out.")}
        )
    return activity


def _fulfil_activity(meeting: Meeting, now) -> None:
    """A held meeting marks its calendar activity done (as of the meeting's start), unless it is
    done or not applicable already."""
    if meeting.activity is not None:
        _complete(meeting.activity, min(meeting.starts_at, now), meeting.title)


def _complete(activity, at, note: str) -> None:
    """Mark a calendar activity done, unless it is done or not applicable already."""
    if activity.completed_at is not None or activity.is_not_applicable:
        return
    activity_complete(activity=activity, actor=None, completed_at=at, note=note)


def _locked(meeting: Meeting, actor, capability: str | None = "meeting.manage") -> Meeting:
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("election", "commission")
        .get(pk=meeting.pk)
    )
    if actor is not None and capability is not None:
        require(actor, capability, meeting)
    refuse_observers(actor, meeting.election)
    refuse_when_archived(meeting.election)
    return meeting


def refuse_when_minuted(meeting: Meeting) -> None:
    if meeting.minutes_signed:
        raise ValidationError(
            _(
                "The minutes of this meeting are signed by the chair and the secretary: nothing in them changes."
            )
        )


def locked_for_minutes(meeting: Meeting, actor, capability: str | None = "meeting.manage") -> Meeting:
    """The meeting locked for a change of its agenda or minutes: by one who may manage it (or
    holds ``capability``; None: the caller checks who may act), not cancelled, its minutes not yet
    signed."""
    meeting = _locked(meeting, actor, capability)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("The meeting was cancelled."))
    refuse_when_minuted(meeting)
    return meeting


@transaction.atomic
def attendance_record(
    *, meeting: Meeting, present: set[int] | list[int], actor, now=None
) -> selectors.Quorum:
    """The secretary records who is present (user ids; everyone else invited is absent) once the
    meeting has begun; the meeting counts as held. Returns the quorum as it stands."""
    meeting = _locked(meeting, actor)
    now = now or timezone.now()
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("The meeting was cancelled."))
    refuse_when_minuted(meeting)
    if meeting.starts_at > now:
        raise ValidationError(_("Attendance is recorded once the meeting has begun."))
    present = {int(pk) for pk in present}
    participants = list(meeting.participants.all())
    unknown = present - {p.user_id for p in participants}
    if unknown:
        raise ValidationError(_("Only the people invited to the meeting can be marked present."))
    for participant in participants:
        participant.present = participant.user_id in present
    Participant.objects.bulk_update(participants, ["present"])
    was_planned = meeting.status == Meeting.Status.PLANNED
    meeting.status = Meeting.Status.HELD
    meeting.save(update_fields=["status"])
    if was_planned:
        _fulfil_activity(meeting, now)
    quorum = selectors.quorum_of(meeting)
    audit_log(
        action="meetings.attendance.recorded",
        actor=actor,
        obj=meeting,
        election=meeting.election,
        data={
            "meeting_id": meeting.pk,
            "present": sorted(present),
            "members_total": quorum.members_total,
            "members_present": quorum.present,
            "quorum": quorum.met,
        },
    )
    return quorum


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, reason: str, actor) -> Meeting:
    """Cancel a planned meeting with the reason the invited read by e-mail and on its page."""
    meeting = _locked(meeting, actor)
    if meeting.status != Meeting.Status.PLANNED:
        raise ValidationError(_("Only a planned meeting can be cancelled."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason; the invited will read it.")})
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancel_reason = reason.strip()
    meeting.save(update_fields=["status", "cancel_reason"])
    for participant in meeting.participants.select_related("user"):
        _tell(meeting, participant.user, "cancelled")
    audit_log(
        action="meetings.meeting.cancelled",
        actor=actor,
        obj=meeting,
        election=meeting.election,
        data={"meeting_id": meeting.pk, "reason": meeting.cancel_reason},
    )
    return meeting


@transaction.atomic
def decision_record_at_meeting(*, meeting: Meeting, decision, actor) -> AgendaItem:
    """Enter a decision of the body into the minutes of its meeting, as an agenda item ending in it.

    Refused unless the meeting is of the body that decided, has been held with its quorum, and —
    for a decision by a vote — every member who voted was present. Called in the deciding
    service's transaction, so a refusal undoes the decision as well."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("election", "commission")
        .get(pk=meeting.pk)
    )
    if meeting.commission_id is None or decision.body_key != body_key(meeting.commission):
        raise ValidationError({"meeting": _("This meeting is of another body.")})
    if meeting.minutes_signed:
        raise ValidationError(
            {
                "meeting": _(
                    "The minutes of this meeting are signed already; choose a meeting not yet minuted."
                )
            }
        )
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError(
            {"meeting": _("Record the meeting's attendance first: its decisions need the quorum.")}
        )
    quorum = selectors.quorum_of(meeting)
    if not quorum.met:
        raise ValidationError(
            {
                "meeting": _(
                    "The meeting had no quorum (%(present)s of %(total)s members): it cannot take decisions."
                )
                % {"present": quorum.present, "total": quorum.members_total}
            }
        )
    present = set(meeting.participants.filter(role=P.MEMBER, present=True).values_list("user_id", flat=True))
    absent = decision.votes.exclude(user_id__in=present).select_related("user")
    if absent:
        raise ValidationError(
            {
                "meeting": _("Only the members present at the meeting vote; %(names)s was not present.")
                % {"names": ", ".join(v.user.get_full_name() for v in absent)}
            }
        )
    last = meeting.items.order_by("-order").values_list("order", flat=True).first() or 0
    with translation.override(settings.LANGUAGE_CODE):  # the minutes' own language, whoever records
        title = f"{decision.title}: {decision.subject_label}"[:500]
    item = AgendaItem.objects.create(
        meeting=meeting,
        order=last + 1,
        title=title,
        decision=decision,
        subject_type_id=decision.subject_type_id,
        subject_id=decision.subject_id,
    )
    audit_log(
        action="meetings.decision.recorded",
        actor=actor,
        obj=meeting,
        election=meeting.election,
        data={
            "meeting_id": meeting.pk,
            "decision_id": decision.pk,
            "number": decision.number,
            "item": item.order,
        },
    )
    return item


@transaction.atomic
def participants_invite(*, meeting: Meeting, user_ids: list[int] | set[int], actor) -> int:
    """Invite candidates and observers of the election to a planned meeting (besides the body's
    members, who are invited when it is scheduled); each is told by e-mail. Returns how many."""
    meeting = _locked(meeting, actor)
    if meeting.status != Meeting.Status.PLANNED:
        raise ValidationError(_("Only a planned meeting can have more people invited."))
    offer = {user.pk: (user, role) for user, role in selectors.invitable(meeting)}
    wanted = {int(pk) for pk in user_ids}
    if not wanted:
        raise ValidationError({"people": _("Choose whom to invite.")})
    if wanted - set(offer):
        raise ValidationError(
            {"people": _("Only the election's candidates and observers can be invited here.")}
        )
    for pk in sorted(wanted):
        user, role = offer[pk]
        _invite(meeting, Participant.objects.create(meeting=meeting, user=user, role=role))
    audit_log(
        action="meetings.participants.invited",
        actor=actor,
        obj=meeting,
        election=meeting.election,
        data={"meeting_id": meeting.pk, "users": sorted(wanted)},
    )
    return len(wanted)
