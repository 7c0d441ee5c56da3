"""E-mails of the electoral structure: a thin shim over ``elections.notify`` (the templates are
``groups/email/<template>*.txt``)."""

from __future__ import annotations

from elections.notify import absolute, account_setup_link, notify

__all__ = ["absolute", "account_setup_link", "send_templated"]


def send_templated(*, to: str, language: str, template: str, context: dict, election=None, key=None) -> None:
    notify(
        to=to, app="groups", template=template, language=language, context=context, election=election, key=key
    )
