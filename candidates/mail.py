"""E-mails to candidates and commission members: a thin shim over ``elections.notify`` (the
templates are ``candidates/email/<template>*.txt``; times in ``time_zone``, the election's)."""

from __future__ import annotations

from elections.notify import absolute, account_setup_link, notify
from elections.notify import render_mail as _render_mail

__all__ = ["absolute", "account_setup_link", "render_mail", "send_templated"]


def render_mail(*, language: str, template: str, context: dict, time_zone=None) -> tuple[str, str]:
    return _render_mail(
        app="candidates", template=template, language=language, context=context, time_zone=time_zone
    )


def send_templated(
    *, to: str, language: str, template: str, context: dict, time_zone=None, election=None, key=None
) -> None:
    notify(
        to=to,
        app="candidates",
        template=template,
        language=language,
        context=context,
        time_zone=time_zone,
        election=election,
        key=key,
    )
