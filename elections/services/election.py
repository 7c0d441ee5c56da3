"""Everything that changes an election. Each service runs in one transaction and audits."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import require

from .. import lifecycle
from ..audit import audit_log
from ..models import Election

EDITABLE_FIELDS = (
    "slug",
    "title_ru",
    "title_en",
    "title_kk",
    "title_ky",
    "description_ru",
    "description_en",
    "description_kk",
    "description_ky",
    "kind",
    "default_language",
    "official_languages",
    "time_zone",
    "voting_day",
    "voting_starts_at",
    "voting_ends_at",
)
#: fields that may no longer change once voting has opened (the rules of the vote are fixed)
FROZEN_ONCE_VOTING = ("slug", "kind", "time_zone", "voting_day", "voting_starts_at", "voting_ends_at")


def _snapshot(election: Election, fields) -> dict:
    return {f: getattr(election, f) for f in fields}


@transaction.atomic
def election_create(*, actor, **fields) -> Election:
    """Create an election in the draft stage (secretariat only)."""
    if actor is not None:
        require(actor, "election.create")
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown election fields: {sorted(unknown)}")
    election = Election(**fields, created_by=actor if actor is not None else None)
    election.full_clean()
    election.save()
    audit_log(
        action="elections.election.created",
        actor=actor,
        obj=election,
        data=_snapshot(election, EDITABLE_FIELDS),
    )
    return election


@transaction.atomic
def election_update(*, election: Election, actor, **fields) -> Election:
    """Change an election's settings; the rules of the vote are fixed once voting opened."""
    if actor is not None:
        require(actor, "election.edit", election)
    election = Election.objects.select_for_update().get(pk=election.pk)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown election fields: {sorted(unknown)}")
    if election.state == Election.State.ARCHIVED:
        raise ValidationError(_("An archived election cannot be changed."))
    before = _snapshot(election, fields)
    changed = {f: v for f, v in fields.items() if before[f] != v}
    if not changed:
        return election
    voting_started = lifecycle.S.values.index(election.state) >= lifecycle.S.values.index(lifecycle.S.VOTING)
    frozen = sorted(set(changed) & set(FROZEN_ONCE_VOTING))
    if voting_started and frozen:
        raise ValidationError({f: _("This can no longer change: voting has already opened.") for f in frozen})
    for field, value in changed.items():
        setattr(election, field, value)
    election.full_clean()
    election.save()
    audit_log(
        action="elections.election.updated",
        actor=actor,
        obj=election,
        data={"changed": {f: [before[f], changed[f]] for f in changed}},
    )
    return election


class TransitionRefused(ValidationError):
    """The transition is blocked; ``blockers`` lists why."""

    def __init__(self, blockers):
        self.blockers = blockers
        super().__init__([b.message for b in blockers])


@transaction.atomic
def election_transition(*, election: Election, transition: str, actor) -> Election:
    """Move the election to its next stage when nothing blocks it (Helios's issues_before_freeze)."""
    try:
        step = lifecycle.BY_NAME[transition]
    except KeyError:
        raise ValidationError(_("Unknown step.")) from None
    if actor is not None:
        require(actor, "election.transition", election)
    election = Election.objects.select_for_update().get(pk=election.pk)
    found = lifecycle.blockers(election, step)
    if found:
        raise TransitionRefused(found)
    previous = election.state
    election.state = step.target
    election.state_changed_at = timezone.now()
    election.save(update_fields=["state", "state_changed_at", "updated_at"])
    for action in lifecycle.on_enter_actions(step.name):
        action(election=election, actor=actor)
    audit_log(
        action=step.audit_action,
        actor=actor,
        obj=election,
        data={"from": previous, "to": step.target},
    )
    return election
