"""One meeting as an iCalendar event (the invitation's "add to my calendar" link)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event

from .models import Meeting

#: a meeting without an end time is shown as two hours long
DEFAULT_LENGTH = timedelta(hours=2)


def meeting_ics(meeting: Meeting, *, page_url: str, dtstamp: datetime | None = None) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Election Portal//meeting//RU")
    cal.add("version", "2.0")
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@election-portal")
    event.add("dtstamp", dtstamp or datetime.now(UTC))
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at or meeting.starts_at + DEFAULT_LENGTH)
    event.add("summary", f"{meeting.title} — {meeting.body_name}")
    if meeting.place:
        event.add("location", meeting.place)
    lines = [f"{item.order}. {item.title}" for item in meeting.items.all()]
    if meeting.link:
        lines.append(meeting.link)
    lines.append(page_url)
    event.add("description", "\n".join(lines))
    event.add("url", page_url)
    if meeting.status == Meeting.Status.CANCELLED:
        event.add("status", "CANCELLED")
    cal.add_component(event)
    return cal.to_ical()
