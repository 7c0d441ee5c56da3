"""Working days: whether a day is one, and shifting a date by a number of them (the calendar plans'
"working days" rules; holidays and the weekend given by the template)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from .errors import CalendarError

_MAX_SCAN_DAYS = 3700  # ~10 years: guards working-day scans against a calendar without working days


def is_working_day(d: date, holidays: Iterable[date] = (), weekend: Iterable[int] = (5, 6)) -> bool:
    """True when ``d`` is neither a weekend day (``date.weekday()`` numbers) nor a holiday."""
    return d.weekday() not in set(weekend) and d not in set(holidays)


def shift_days(
    d: date,
    n: int,
    counting: str = "calendar",
    holidays: Iterable[date] = (),
    weekend: Iterable[int] = (5, 6),
) -> date:
    """Shift the *boundary date* ``d`` (meaning the instant ``d 00:00``) by ``n`` days.

    ``calendar``: ``d + n``.
    ``working`` and ``n > 0``: count the working days ``d, d+1, ...``; the result is the day
    after the n-th one (the end of the n-th working day).
    ``working`` and ``n < 0``: count the working days ``d-1, d-2, ...``; the result is the
    |n|-th one (its beginning), so that |n| working days lie between the result and ``d``.
    With no holidays and no weekend both branches equal ``d + n``.
    """
    if counting == "calendar" or n == 0:
        return d + timedelta(days=n)
    hol = frozenset(holidays)
    wk = frozenset(weekend)
    if len(wk) >= 7:
        raise CalendarError("the weekend covers the whole week: there are no working days to count")
    step = 1 if n > 0 else -1
    cur = d if n > 0 else d - timedelta(days=1)
    count = 0
    for _ in range(_MAX_SCAN_DAYS + abs(n) * 7):
        if cur.weekday() not in wk and cur not in hol:
            count += 1
            if count == abs(n):
                return cur + timedelta(days=1) if n > 0 else cur
        cur += timedelta(days=step)
    raise CalendarError(f"could not find {abs(n)} working days from {d.isoformat()}: too many holidays")
