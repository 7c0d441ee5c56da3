"""The agenda of a meeting as the minutes record it: items added (each may point at what it
decides), what was said and decided under each item with any dissenting opinions, and the
programme of an assembly of voters (seed 000 items 19–20). Nothing changes once the chair and the
secretary have signed the minutes."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from elections.audit import audit_log

from ..agenda_subjects import subjects_for
from ..models import AgendaItem, Meeting
from .meeting import locked_for_minutes

K = AgendaItem.Kind


def _next_order(meeting: Meeting) -> int:
    return (meeting.items.order_by("-order").values_list("order", flat=True).first() or 0) + 1


@transaction.atomic
def agenda_item_add(
    *, meeting: Meeting, title: str, actor, kind: str = K.ITEM, subject_key: str = ""
) -> AgendaItem:
    """Add an item to the agenda of a meeting not yet minuted; ``subject_key`` names what it
    decides, among what the apps offer for the body (``agenda_subjects``)."""
    meeting = locked_for_minutes(meeting, actor)
    if kind not in K.values:
        raise ValidationError({"kind": _("Choose the kind of item from the list.")})
    subject = None
    if subject_key:
        with translation.override(settings.LANGUAGE_CODE):  # the title is kept in the minutes' language
            subject = next((s for s in subjects_for(meeting) if s.key == subject_key), None)
        if subject is None:
            raise ValidationError({"subject": _("Choose what the item decides from the list.")})
    title = (title or "").strip() or (subject.label if subject else "")
    if not title:
        raise ValidationError({"title": _("Write what the item is about.")})
    item = AgendaItem(meeting=meeting, order=_next_order(meeting), kind=kind, title=title[:500])
    if subject is not None:
        item.subject_type = ContentType.objects.get_for_model(subject.obj, for_concrete_model=False)
        item.subject_id = subject.obj.pk
    item.save()
    audit_log(
        action="meetings.agenda.item_added",
        actor=actor,
        obj=meeting,
        election=meeting.election,
        data={"meeting_id": meeting.pk, "item": item.order, "kind": kind, "subject": subject_key or None},
    )
    return item


@transaction.atomic
def agenda_item_minute(*, item: AgendaItem, notes: str, dissent: str, actor) -> AgendaItem:
    """Write, under an item of a held meeting, what was said and decided and any dissenting
    opinions, as the minutes will say it."""
    meeting = locked_for_minutes(item.meeting, actor)
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError(_("The minutes are written once the meeting is held (record who was present)."))
    item = AgendaItem.objects.get(pk=item.pk, meeting=meeting)
    item.notes, item.dissent = (notes or "").strip(), (dissent or "").strip()
    item.save(update_fields=["notes", "dissent"])
    audit_log(
        action="meetings.agenda.item_minuted",
        actor=actor,
        obj=meeting,
        election=meeting.election,
        data={"meeting_id": meeting.pk, "item": item.order, "dissent": bool(item.dissent)},
    )
    return item


@transaction.atomic
def assembly_programme_draft(*, meeting: Meeting, actor) -> list[AgendaItem]:
    """The programme of an assembly of voters (seed 000 item 20): the observers introduced, the
    voting and counting procedure explained, each registered candidate's presentation, the
    voters' questions, and the vote on paper or online on equal terms — appended to the agenda
    of a planned assembly that has no programme yet."""
    meeting = locked_for_minutes(meeting, actor)
    if meeting.kind != Meeting.Kind.ASSEMBLY:
        raise ValidationError(_("A programme is drawn up for an assembly of voters."))
    if meeting.status != Meeting.Status.PLANNED:
        raise ValidationError(_("The programme is drawn up before the assembly."))
    if meeting.items.filter(kind=K.PRESENTATION).exists():
        raise ValidationError(_("The assembly has its programme already; add items one by one."))
    candidates = [s for s in subjects_for(meeting) if s.presents]
    if not candidates:
        raise ValidationError(
            _(
                "The group has no registered candidates yet: the programme is built around their presentations."
            )
        )
    with translation.override(settings.LANGUAGE_CODE):  # the titles are kept in the minutes' language
        return _programme(meeting, actor, candidates)


def _programme(meeting: Meeting, actor, candidates) -> list[AgendaItem]:
    order = _next_order(meeting)
    plan = [(K.OBSERVERS, _("Introduction of the observers present"), None)]
    plan.append((K.PROCEDURE, _("Explanation of the voting and counting procedure"), None))
    plan += [
        (K.PRESENTATION, _("Presentation: %(name)s") % {"name": subject.label}, subject)
        for subject in candidates
    ]
    plan.append((K.QUESTIONS, _("Questions of the voters to the candidates"), None))
    plan.append(
        (
            K.VOTE,
            _("Voting: on paper at the assembly or online, on equal terms, and the count"),
            None,
        )
    )
    items = []
    for offset, (kind, title, subject) in enumerate(plan):
        item = AgendaItem(meeting=meeting, order=order + offset, kind=kind, title=str(title)[:500])
        if subject is not None:
            item.subject_type = ContentType.objects.get_for_model(subject.obj, for_concrete_model=False)
            item.subject_id = subject.obj.pk
        items.append(item)
    AgendaItem.objects.bulk_create(items)
    audit_log(
        action="meetings.assembly.programme_drafted",
        actor=actor,
        obj=meeting,
        election=meeting.election,
        data={"meeting_id": meeting.pk, "items": len(items), "presentations": len(candidates)},
    )
    return items
