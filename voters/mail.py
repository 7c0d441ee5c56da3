"""E-mails of the voters area: a thin shim over ``elections.notify`` (the templates are
``voters/email/<template>*.txt``; times in the election's zone)."""

from __future__ import annotations

from django.utils import timezone

from elections.notify import absolute, election_url, notify

__all__ = ["absolute", "election_url", "send_templated"]


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
    defaults = (
        {"election_title": election.title, "time_zone": election.time_zone} if election is not None else None
    )
    notify(
        to=to,
        app="voters",
        template=template,
        language=language,
        context=context,
        election=election,
        time_zone=election.tz if election is not None else timezone.get_current_timezone(),
        defaults=defaults,
        key=key,
        batch=batch,
        topic=topic,
    )
