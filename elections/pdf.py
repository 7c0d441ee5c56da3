"""PDF of a calendar plan: A4 landscape, laid out like the seed's table (№, content, deadline,
responsible, legal basis). Rendering is a pure function of the stored calendar."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation

from . import selectors


def calendar_pdf_render(calendar, lang: str = "ru") -> bytes:
    from weasyprint import HTML

    election = calendar.election
    with translation.override(lang), timezone.override(election.tz):
        html = render_to_string(
            "elections/calendar_pdf.html",
            {
                "election": election,
                "calendar": calendar,
                "sections": selectors.calendar_sections(calendar),
                "generated_at": timezone.now(),
                "english": lang == "en",
                "lang": lang,
            },
        )
    return HTML(string=html).write_pdf()
