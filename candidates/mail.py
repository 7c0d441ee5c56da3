"""E-mails to candidates and commission members, rendered in the recipient's language.

Services queue them after commit through ``candidates.tasks``; nothing here writes."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation

from groups.mail import absolute, account_setup_link

__all__ = ["absolute", "account_setup_link", "render_mail", "send_templated"]


def render_mail(*, language: str, template: str, context: dict, time_zone=None) -> tuple[str, str]:
    """Subject and body of ``candidates/email/<template>``; callables in ``context`` are
    evaluated inside the language (for translated names); times are shown in ``time_zone`` (the
    election's)."""
    with translation.override(language or settings.LANGUAGE_CODE), timezone.override(time_zone):
        ctx = dict(context)
        ctx.setdefault("site_url", settings.SITE_URL)
        for key, build in list(ctx.items()):
            if callable(build):
                ctx[key] = build()
        subject = render_to_string(f"candidates/email/{template}_subject.txt", ctx).strip()
        body = render_to_string(f"candidates/email/{template}.txt", ctx)
    return " ".join(subject.split()), body


def send_templated(*, to: str, language: str, template: str, context: dict, time_zone=None) -> None:
    subject, body = render_mail(language=language, template=template, context=context, time_zone=time_zone)
    send_mail(subject, body, None, [to])
