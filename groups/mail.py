"""E-mails of the electoral structure, rendered in the recipient's language.

Services record a task in the outbox (``elections.outbox.task_enqueue``); the task renders the mail
here and records it in the outbox, which sends it (``elections/outbox.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from elections.outbox import mail_enqueue


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def account_setup_link(user) -> str:
    """A link to set a password (new account) or to log in (the account already has one).

    Uses Django's password-reset token, valid for PASSWORD_RESET_TIMEOUT; afterwards the person
    asks for a new link with “Forgot your password?”.
    """
    if user.has_usable_password():
        return absolute(reverse("accounts:login"))
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return absolute(reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token}))


def send_templated(*, to: str, language: str, template: str, context: dict, election=None, key=None) -> None:
    """Render ``groups/email/<template>_subject.txt`` and ``<template>.txt`` in ``language`` and
    record the mail in the outbox (sent after the commit)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        ctx = dict(context)
        ctx.setdefault("site_url", settings.SITE_URL)
        for name, build in list(ctx.items()):
            if callable(build):
                ctx[name] = build()
        subject = render_to_string(f"groups/email/{template}_subject.txt", ctx).strip()
        body = render_to_string(f"groups/email/{template}.txt", ctx)
    mail_enqueue(to=to, subject=subject, body=body, kind=f"groups.{template}", election=election, key=key)
