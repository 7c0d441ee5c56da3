"""Celery tasks of meetings: thin, they call the module that does the work."""

from celery import shared_task

from .reminders import send_meeting_reminders


@shared_task(name="meetings.send_meeting_reminders")
def send_reminders() -> int:
    return send_meeting_reminders()
