"""E-mails of the voters area, rendered in the recipient's language from
``voters/email/<template>_subject.txt`` and ``<template>.txt``, and recorded in the outbox in the
caller's transaction (``elections/outbox.py`` sends them after the commit)."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from elections.outbox import mail_enqueue


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def election_url(name: str, election, *args) -> str:
    return absolute(reverse(name, args=[election.slug, *args]))


def send_templated(
    *,
    to: str,
    language: str,
    template: str,
    context: dict,
    election=None,
    key: str | None = None,
    batch: str = "",
    topic: str = "",
) -> None:
    """Render one mail and record it in the outbox (``key``, ``batch`` and ``topic`` as in
    ``elections.outbox.mail_enqueue``). Times are shown in the election's zone; values of ``context``
    that are callables are computed in the recipient's language."""
    language = language or settings.LANGUAGE_CODE
    zone = election.tz if election is not None else timezone.get_current_timezone()
    with translation.override(language), timezone.override(zone):
        ctx = dict(context)
        ctx.setdefault("site_url", settings.SITE_URL)
        if election is not None:
            ctx.setdefault("election_title", election.title)
            ctx.setdefault("time_zone", election.time_zone)
        for name, build in list(ctx.items()):
            if callable(build):
                ctx[name] = build()
        subject = render_to_string(f"voters/email/{template}_subject.txt", ctx).strip()
        body = render_to_string(f"voters/email/{template}.txt", ctx)
    mail_enqueue(
        to=to,
        subject=subject,
        body=body,
        kind=f"voters.{template}",
        election=election,
        key=key,
        batch=batch,
        topic=topic,
    )
