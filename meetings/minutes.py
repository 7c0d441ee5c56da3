"""The minutes of a meeting (seed 000 items 1, 2, 12, 15, 20, 25; seed 003 items 49, 52): who met,
when and where, who was present and the quorum, each agenda item with what was said, the
numbered decision taken with the votes for, against and abstained, its reasons and any dissenting
opinions, and the signatures of the chair and the secretary.

``minutes_data`` is the record the signatures cover (its SHA-256 is printed in the PDF);
``minutes_pdf_render`` renders it as an A4 PDF in Russian or English. Both only read."""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import Position

from . import selectors
from .models import Meeting, MinutesSignature, Participant

#: every language of the portal (catalogues and date formats for each)
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


def _position(value: str) -> str:
    return str(Position(value).label) if value in Position.values else ""


def minutes_data(meeting: Meeting) -> dict:
    """The minutes as data: what the chair and the secretary sign."""
    participants = list(meeting.participants.select_related("user").order_by("role", "user__full_name"))
    items = []
    for item in meeting.items.select_related("decision").order_by("order"):
        decision = item.decision
        items.append(
            {
                "order": item.order,
                "kind": item.kind,
                "title": item.title,
                "notes": item.notes,
                "dissent": item.dissent,
                "decision": None
                if decision is None
                else {
                    "number": decision.number,
                    "title": str(decision.title),
                    "subject": decision.subject_label,
                    "adopted": decision.is_adopted,
                    "for": decision.votes_for,
                    "against": decision.votes_against,
                    "abstained": decision.votes_abstained,
                    "reasons": decision.reasons,
                },
            }
        )
    quorum = selectors.quorum_of(meeting)
    return {
        "meeting": meeting.pk,
        "election": meeting.election.slug,
        "body": meeting.body_name,
        "kind": meeting.kind,
        "title": meeting.title,
        "starts_at": meeting.starts_at.isoformat(),
        "place": meeting.place,
        "link": meeting.link,
        "members_total": quorum.members_total,
        "members_present": quorum.present,
        "quorum": quorum.required,
        "participants": [
            {
                "name": p.user.get_full_name() or p.user.email,
                "role": p.role,
                "position": p.position,
                "present": bool(p.present),
            }
            for p in participants
        ],
        "items": items,
    }


def minutes_sha256(meeting: Meeting) -> str:
    data = json.dumps(minutes_data(meeting), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode()).hexdigest()


def minutes_context(meeting: Meeting) -> dict:
    participants = list(meeting.participants.select_related("user").order_by("role", "user__full_name"))
    members = [p for p in participants if p.role == Participant.Role.MEMBER]
    others = [p for p in participants if p.role != Participant.Role.MEMBER and p.present]
    signatures = {s.role: s for s in meeting.minutes_signatures.all()}
    return {
        "meeting": meeting,
        "election": meeting.election,
        "quorum": selectors.quorum_of(meeting),
        "present": [p for p in members if p.present],
        "absent": [p for p in members if not p.present],
        "others": others,
        "items": list(meeting.items.select_related("decision").order_by("order")),
        "chair": signatures.get(MinutesSignature.Role.CHAIR),
        "secretary": signatures.get(MinutesSignature.Role.SECRETARY),
        "position": _position,
        "starts_at": meeting.election.local(meeting.starts_at),
        "signed_at": meeting.election.local(meeting.minutes_signed_at),
    }


def minutes_pdf_render(meeting: Meeting, *, language: str) -> bytes:
    """The minutes as an unsigned A4 PDF in ``language`` ("ru" or "en")."""
    from weasyprint import HTML

    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    with translation.override(language), timezone.override(meeting.election.tz):
        context = minutes_context(meeting)
        context["language"] = language
        context["signatures"] = [
            (s, _position(s.position)) for s in (context["chair"], context["secretary"]) if s is not None
        ]
        html = render_to_string("meetings/pdf/minutes.html", context)
    return HTML(string=html).write_pdf()
