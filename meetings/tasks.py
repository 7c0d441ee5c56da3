"""Celery tasks of meetings: thin, they call the module that does the work."""

import logging

from celery import shared_task
from django.core.exceptions import ImproperlyConfigured

from .reminders import send_meeting_reminders

logger = logging.getLogger(__name__)


@shared_task(name="meetings.send_meeting_reminders")
def send_reminders() -> int:
    return send_meeting_reminders()


@shared_task(name="meetings.render_minutes", acks_late=True)
def render_minutes(meeting_id: int) -> int:
    """The signed PDFs of signed minutes, queued by ``minutes_sign``; idempotent. 0 (and an error
    in the log) without a signing key, so that signing the minutes never fails."""
    from .models import Meeting
    from .services.minutes import minutes_documents_render

    meeting = Meeting.objects.filter(pk=meeting_id, minutes_signed_at__isnull=False).first()
    if meeting is None:
        return 0
    try:
        return len(minutes_documents_render(meeting=meeting))
    except ImproperlyConfigured as exc:
        logger.error("minutes of meeting %s not made: %s", meeting_id, exc)
        return 0
