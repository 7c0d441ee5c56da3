"""What a meeting may have on its agenda from this app (``meetings.agenda_subjects``): the
candidates' applications the commission decides, and — at an assembly of voters of an electoral
group (seed 000 item 20) — the registered candidates who present themselves."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.permissions import can
from meetings.agenda_subjects import Subject

from .models import Application


def agenda_subjects(meeting, user=None) -> list[Subject]:
    commission = meeting.commission
    if commission is None:
        return []
    applications = Application.objects.filter(election=meeting.election)
    if commission.group_id:
        applications = applications.filter(group_id=commission.group_id)
    else:
        applications = applications.filter(commission=commission)
    applications = applications.exclude(status=Application.Status.WITHDRAWN).order_by("full_name", "pk")
    slug = meeting.election.slug
    return [
        Subject(
            obj=application,
            label=_("%(name)s (%(status)s)")
            % {"name": application.full_name, "status": application.get_status_display()}
            if application.status != Application.Status.ADMITTED
            else application.full_name,
            url=reverse("candidates:application", args=[slug, application.pk])
            if user is None or can(user, "candidate.view_private", application)
            else "",
            group=_("Candidates"),
            presents=application.status == Application.Status.ADMITTED,
        )
        for application in applications
    ]
