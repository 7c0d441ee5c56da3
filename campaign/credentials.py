"""A registered representative's credential: a PDF card with a QR code that opens the public
verification page (like the observers', ``groups.credentials``). A pure function."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from groups.credentials import qr_data_uri

from .models import Representative


def verification_url(representative: Representative) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("campaign:verify", args=[representative.election.slug, representative.credential_code])
    return settings.SITE_URL + path


def representative_credential_pdf(representative: Representative) -> bytes:
    from weasyprint import HTML

    url = verification_url(representative)
    html = render_to_string(
        "campaign/credential.html",
        {"r": representative, "election": representative.election, "url": url, "qr": qr_data_uri(url)},
    )
    return HTML(string=html, base_url=settings.SITE_URL).write_pdf()
