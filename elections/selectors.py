"""Reads of elections that respect who may see what."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.permissions import can, roles_in

from . import lifecycle
from .models import AuditEntry, Election


def elections_visible_to(user) -> QuerySet[Election]:
    """Public elections for everyone; drafts only for the secretariat and the election's members."""
    qs = Election.objects.all()
    if can(user, "election.create"):
        return qs
    if user.is_authenticated:
        ids = {a.election_id for a in user.role_assignments.all() if a.election_id}
        return qs.filter(~Q(state=Election.State.DRAFT) | Q(pk__in=ids))
    return qs.exclude(state=Election.State.DRAFT)


def election_for_user(user, slug: str) -> Election:
    """The election with ``slug`` if ``user`` may see it; 404 otherwise (drafts stay hidden)."""
    try:
        election = Election.objects.get(slug=slug)
    except Election.DoesNotExist:
        raise Http404 from None
    if election.is_public or can(user, "election.view_internal", election) or roles_in(user, election):
        return election
    raise Http404


def election_next_steps(election: Election) -> list[dict]:
    """The transitions from the current stage, each with what blocks it."""
    return [
        {"transition": t, "blockers": lifecycle.blockers(election, t)}
        for t in lifecycle.transitions_from(election)
    ]


def audit_entries_for(user, election: Election | None = None) -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.select_related("election").order_by("-seq")
    if election is not None:
        qs = qs.filter(election=election)
    return qs
