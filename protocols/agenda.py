"""What a commission's meeting may have on its agenda from this app (``meetings.agenda_subjects``):
its protocols (signing them, returning a precinct's, deciding a tie) and the complaints it decides."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.permissions import can
from meetings.agenda_subjects import Subject

from . import selectors
from .models import Complaint, Protocol


def agenda_subjects(meeting, user=None) -> list[Subject]:
    commission = meeting.commission
    if commission is None:
        return []
    slug = meeting.election.slug
    subjects = []
    protocols = (
        Protocol.objects.filter(commission=commission)
        .exclude(status=Protocol.Status.SUPERSEDED)
        .select_related("contest", "unit")
        .order_by("level", "series")
    )
    for protocol in protocols:
        subjects.append(
            Subject(
                obj=protocol,
                label=_("Protocol: %(protocol)s") % {"protocol": protocol},
                url=reverse("protocols:detail", args=[slug, protocol.pk])
                if user is None or selectors.may_read(user, protocol)
                else "",
                group=_("Protocols"),
            )
        )
    complaints_page = user is None or can(user, "protocol.view_draft", meeting.election)
    for complaint in Complaint.objects.filter(commission=commission).order_by("number"):
        subjects.append(
            Subject(
                obj=complaint,
                label=_("Complaint № %(number)s of %(name)s (%(status)s)")
                % {
                    "number": complaint.number,
                    "name": complaint.complainant_name,
                    "status": complaint.get_status_display(),
                },
                url=reverse("protocols:complaints", args=[slug]) + f"#complaint-{complaint.number}"
                if complaints_page
                else "",
                group=_("Complaints"),
            )
        )
    return subjects
