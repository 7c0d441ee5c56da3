"""E-mails to candidates and commission members, rendered in the recipient's language.

Services record a task in the outbox; the task renders the mail here and records it in the
outbox, which sends it after the commit (``elections/outbox.py``)."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from elections.outbox import mail_enqueue
from groups.mail import absolute, account_setup_link

__all__ = ["absolute", "account_setup_link", "render_mail", "send_templated"]


def render_mail(*, language: str, template: str, context: dict, time_zone=None) -> tuple[str, str]:
    """Subject and body of ``candidates/email/<template>``; callables in ``context`` are
    evaluated inside the language (for translated names); times are shown in ``time_zone`` (the
    election's)."""
    with translation.override(language or settings.LANGUAGE_CODE), timezone.override(time_zone):
        ctx = dict(context)
        ctx.setdefault("site_url", settings.SITE_URL)
        for name, build in list(ctx.items()):
            if callable(build):
                ctx[name] = build()
        subject = render_to_string(f"candidates/email/{template}_subject.txt", ctx).strip()
        body = render_to_string(f"candidates/email/{template}.txt", ctx)
    return " ".join(subject.split()), body


def send_templated(
    *, to: str, language: str, template: str, context: dict, time_zone=None, election=None, key=None
) -> None:
    """Render one mail and record it in the outbox (sent after the commit)."""
    subject, body = render_mail(language=language, template=template, context=context, time_zone=time_zone)
    mail_enqueue(to=to, subject=subject, body=body, kind=f"candidates.{template}", election=election, key=key)
