"""The observer's credential: a PDF with a QR code that opens the public verification page.

Rendering is a pure function of the application (``observer_credential_pdf``); the QR code holds
the absolute address ``SITE_URL`` + the verification page, in the portal's default language.
"""

from __future__ import annotations

import base64
import io

import qrcode
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import ObserverApplication


def verification_url(application: ObserverApplication) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse(
            "groups:observer_verify", args=[application.election.slug, application.credential_code]
        )
    return settings.SITE_URL + path


def qr_data_uri(text: str) -> str:
    image = qrcode.make(text, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def observer_credential_pdf(application: ObserverApplication) -> bytes:
    """The credential as PDF bytes (A6 card), in the active language."""
    from weasyprint import HTML

    url = verification_url(application)
    html = render_to_string(
        "groups/credential.html",
        {"application": application, "election": application.election, "url": url, "qr": qr_data_uri(url)},
    )
    return HTML(string=html, base_url=settings.SITE_URL).write_pdf()
