"""PDFs of candidates, rendered by pure functions (WeasyPrint, DejaVu fonts for Cyrillic):

* the registration certificate (удостоверение, seed 003 item 23): A6, the candidate's name, the
  election, the group or district, the number and date of the registration decision, and a QR
  code that opens the public verification page;
* the package the organising committee submits to the secretariat (seed 000 item 17): the
  contest's candidates with the commission's admission decisions, A4.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from groups.credentials import qr_data_uri


def verification_url(application) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("candidates:verify", args=[application.election.slug, application.certificate_code])
    return settings.SITE_URL + path


def certificate_pdf(application) -> bytes:
    """The certificate as PDF bytes, in the active language."""
    from weasyprint import HTML

    election = application.election
    url = verification_url(application)
    with timezone.override(election.tz):
        html = render_to_string(
            "candidates/certificate_pdf.html",
            {
                "application": application,
                "election": election,
                "decision": application.decision,
                "url": url,
                "qr": qr_data_uri(url),
            },
        )
    return HTML(string=html, base_url=settings.SITE_URL).write_pdf()


def package_pdf(contest, rows, commission) -> bytes:
    from weasyprint import HTML

    from .package import PACKAGE_COLUMNS

    election = contest.election
    with timezone.override(election.tz):
        html = render_to_string(
            "candidates/package_pdf.html",
            {
                "election": election,
                "contest": contest,
                "rows": [[row[key] for key, _label in PACKAGE_COLUMNS] for row in rows],
                "columns": PACKAGE_COLUMNS,
                "commission": commission,
                "generated_at": timezone.now(),
            },
        )
    return HTML(string=html, base_url=settings.SITE_URL).write_pdf()
