"""One way to send a mail: ``notify`` renders it from the templates of an app in the recipient's
language and records it in the outbox (``elections/outbox.py``), which sends it after the commit.

The language is the recipient's own preference (``accounts.User.language``, passed by the caller
as ``language``); an address without an account (a voter who registered by mail) gets the
language the caller recorded for it, and the site's default where there is none.

``key`` gives once-only delivery: a mail already recorded under the same key is not recorded again.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .outbox import mail_enqueue

#: ``time_zone`` left as it is: the times are shown in the zone that is current.
CURRENT_ZONE = object()


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def election_url(name: str, election, *args) -> str:
    return absolute(reverse(name, args=[election.slug, *args]))


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


def election_context(election) -> dict:
    """What a mail about an election may show, as ``defaults`` for ``notify``: the election's title
    (in the recipient's language) and its time zone."""
    return {"election_title": lambda: election.title, "time_zone": election.time_zone}


def render_mail(
    *, app: str, template: str, language: str, context: dict, time_zone=CURRENT_ZONE, defaults=None
) -> tuple[str, str]:
    """Subject (on one line) and body of ``<app>/email/<template>_subject.txt`` and ``<template>.txt``.

    Values of ``context`` that are callables are computed inside the language (translated names);
    times are shown in ``time_zone`` (the election's; None is the site's default zone)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        if time_zone is CURRENT_ZONE:
            return _render(app, template, context, defaults)
        with timezone.override(time_zone):
            return _render(app, template, context, defaults)


def _render(app: str, template: str, context: dict, defaults) -> tuple[str, str]:
    ctx = dict(context)
    ctx.setdefault("site_url", settings.SITE_URL)
    for name, value in (defaults or {}).items():
        ctx.setdefault(name, value)
    for name, build in list(ctx.items()):
        if callable(build):
            ctx[name] = build()
    subject = render_to_string(f"{app}/email/{template}_subject.txt", ctx).strip()
    body = render_to_string(f"{app}/email/{template}.txt", ctx)
    return " ".join(subject.split()), body


def notify(
    *,
    to: str,
    app: str,
    template: str,
    language: str,
    context: dict,
    election=None,
    time_zone=CURRENT_ZONE,
    defaults: dict | None = None,
    key: str | None = None,
    batch: str = "",
    topic: str = "",
):
    """Render one mail in the recipient's ``language`` and record it in the outbox in the caller's
    transaction (``key``, ``batch`` and ``topic`` as in ``elections.outbox.mail_enqueue``).
    Returns the outbox row, or None when ``key`` was already used."""
    subject, body = render_mail(
        app=app, template=template, language=language, context=context, time_zone=time_zone, defaults=defaults
    )
    return mail_enqueue(
        to=to,
        subject=subject,
        body=body,
        kind=f"{app}.{template}",
        election=election,
        key=key,
        batch=batch,
        topic=topic,
    )
