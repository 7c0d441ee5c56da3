"""The precinct's notice to voters as a printable PDF (seed 003 item 40): a pure function."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import VoterNotice


def notice_pdf_render(notice: VoterNotice) -> bytes:
    from weasyprint import HTML

    with translation.override("ru"), timezone.override(notice.election.tz):
        html = render_to_string("campaign/pdf/notice.html", {"notice": notice, "election": notice.election})
    return HTML(string=html).write_pdf()
