"""What a meeting may have on its agenda from this app (``meetings.agenda_subjects``): the text of
the ballot of a contest the body's group or district votes in (approved at a session, seed 003)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.permissions import can
from meetings.agenda_subjects import Subject

from .models import Contest


def agenda_subjects(meeting, user=None) -> list[Subject]:
    commission = meeting.commission
    if commission is None:
        return []
    contests = Contest.objects.filter(election_id=meeting.election_id)
    if commission.group_id:
        contests = contests.filter(group_id=commission.group_id)
    elif commission.unit_id:
        contests = contests.filter(unit_id=commission.unit_id)
    elif commission.kind != commission.Kind.CEC:
        return []
    slug = meeting.election.slug
    return [
        Subject(
            obj=contest,
            label=_("Ballot text: %(contest)s") % {"contest": contest.title},
            url=reverse("ballots:contest_edit", args=[slug, contest.pk])
            if user is None or can(user, "contest.manage", contest)
            else "",
            group=_("Ballots"),
        )
        for contest in contests.order_by("pk")
    ]
