"""The one reminder engine: which reminder is due before a deadline, and sending it once.

Used by the calendar reminders (``elections.services.reminders``) and the reminders about
undecided candidate applications (``candidates.services.reminders``). Idempotent: each reminder
is recorded under a unique constraint (the caller's ``record``) in the transaction that records
its notice and its mail in the outbox, so a second run or a retried task queues nothing twice,
and the outbox sends it once (``elections/outbox.py``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from django.conf import settings
from django.db import IntegrityError, transaction

from .models import Notification
from .outbox import mail_enqueue

#: overdue notices are sent for deadlines that passed at most this long ago
OVERDUE_LOOKBACK = dt.timedelta(days=30)


def due_kind(
    due: dt.datetime | None,
    now: dt.datetime,
    tz,
    thresholds: Sequence[tuple[str, int]],
    lookback: dt.timedelta = OVERDUE_LOOKBACK,
) -> str | None:
    """Which reminder is due now: the first of ``thresholds`` (kind, days left before the last
    day; nearest first) that is reached, "overdue" once ``due`` has passed (for ``lookback``), or
    None. The last day is the local day (in ``tz``) before the due instant."""
    if due is None:
        return None
    if now >= due:
        return "overdue" if now - due <= lookback else None
    last_day = (due - dt.timedelta(microseconds=1)).astimezone(tz).date()
    days_left = (last_day - now.astimezone(tz).date()).days
    for kind, n in thresholds:
        if days_left <= n:
            return kind
    return None


def send_once(
    *,
    record: Callable[[], bool],
    user,
    election,
    texts: Callable[[str], tuple[str, str]],
    notification_kind: str,
    mail_kind: str,
    url: str,
) -> bool:
    """Record one reminder (``record()`` returns False when it was recorded before), a notice in
    the portal in every language of the portal and a mail in the user's language, all in one transaction.
    Returns whether it was queued now."""
    try:
        with transaction.atomic():
            if not record():
                return False
            rendered = {code: texts(code) for code, _name in settings.LANGUAGES}
            Notification.objects.create(
                user=user,
                election=election,
                kind=notification_kind,
                **{f"title_{code}": subject for code, (subject, _body) in rendered.items()},
                **{f"body_{code}": body for code, (_subject, body) in rendered.items()},
                url=url,
            )
            subject, body = rendered.get(user.language) or rendered["ru"]
            mail_enqueue(to=user.email, subject=subject, body=body, kind=mail_kind, election=election)
            return True
    except IntegrityError:  # a concurrent run recorded it first
        return False
