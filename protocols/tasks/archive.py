"""Archive tasks: building an archive ZIP (queued by the archive page) and the daily purge of
personal data that is due (Celery beat, ``protocols.purge_due_personal_data``)."""

import logging

from celery import shared_task

from elections.models import Election
from groups.models import ElectoralGroup

__all__ = ["build_archive", "purge_due_personal_data"]

logger = logging.getLogger(__name__)


@shared_task(name="protocols.build_archive", acks_late=True)
def build_archive(election_id: int, group_id: int | None, actor_id: int | None) -> int | None:
    """Build the archive of an election (or of one group) and return the archive's id; None when
    the election, the group or the actor is gone or the build is refused (the reason is logged).
    A retry after a crash builds a new archive: each archive is complete in itself."""
    from django.contrib.auth import get_user_model
    from django.core.exceptions import PermissionDenied, ValidationError

    from ..services.archive import archive_build

    election = Election.objects.filter(pk=election_id).first()
    if election is None:
        return None
    group = None
    if group_id is not None:
        group = ElectoralGroup.objects.filter(pk=group_id, election=election).first()
        if group is None:
            return None
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    if actor_id and actor is None:
        return None
    try:
        return archive_build(election=election, actor=actor, group=group).pk
    except (ValidationError, PermissionDenied) as exc:
        logger.warning("archive of election %s (group %s) refused: %s", election_id, group_id, exc)
        return None


@shared_task(name="protocols.purge_due_personal_data")
def purge_due_personal_data() -> int:
    """Purge the personal data of every election whose retention period has passed; returns how
    many were purged. Idempotent: a purged election is never due again."""
    from ..services.retention import purge_due

    purged = 0
    for election, result in purge_due(actor=None):
        if isinstance(result, dict):
            purged += 1
        else:
            logger.warning("purge of election %s refused: %s", election.slug, result)
    return purged
