"""PDF tasks: the signed documents of a protocol, queued by ``protocol_sign`` after the last
signature (on commit)."""

import logging

from celery import shared_task
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

__all__ = ["render_protocol_documents"]


@shared_task(name="protocols.render_protocol_documents", acks_late=True)
def render_protocol_documents(protocol_id: int) -> int:
    """Render, sign and store the documents of a signed protocol; idempotent (a retry or a second
    run makes nothing that is already stored). Returns the number of documents made; 0 (with an
    error in the log) when the portal has no signing key, so that signing itself never fails."""
    from ..models import Protocol
    from ..services.pdf import protocol_documents_render

    protocol = Protocol.objects.filter(pk=protocol_id).first()
    if protocol is None or not protocol.is_frozen:
        return 0
    try:
        return len(protocol_documents_render(protocol=protocol))
    except ImproperlyConfigured as exc:
        # a retry cannot help: the documents are made when the task runs again after the key is
        # configured (``python manage.py make_signing_key`` for a demo pair)
        logger.error("documents of protocol %s not made: %s", protocol_id, exc)
        return 0
