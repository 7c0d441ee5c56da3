"""The PDF of an act of hand-over (seed 003 items 14, 51, 55): who handed what to whom and when,
with both sides' signatures as recorded in the portal. A pure function of the stored act."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import Position

from .models import HandoverAct

#: every language of the portal (catalogues and date formats for each)
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


def _position(value: str) -> str:
    return str(Position(value).label) if value in Position.values else ""


def act_pdf_render(act: HandoverAct, *, language: str, unsigned: bool = False) -> bytes:
    from weasyprint import HTML

    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    election = act.election
    with translation.override(language), timezone.override(election.tz):
        html = render_to_string(
            "protocols/pdf/act.html",
            {
                "act": act,
                "election": election,
                "language": language,
                "handed_position": _position(act.handed_by_position),
                "received_position": _position(act.received_by_position),
                "unsigned": unsigned,
            },
        )
    return HTML(string=html).write_pdf()
