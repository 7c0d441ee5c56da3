"""Telling the candidate: a receipt when the application arrives, then the decision (registered,
refused with reasons, cancelled) and a confirmation of a withdrawal. Once per status: a retried
task sends nothing twice."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse

from elections.notify import absolute, account_setup_link, notify

from ..models import Application

A = Application.Status
#: statuses the candidate is told about
TOLD = (A.SUBMITTED, A.ADMITTED, A.REFUSED, A.WITHDRAWN, A.CANCELLED)


@transaction.atomic
def application_notify(*, application_id: int) -> bool:
    """E-mail the candidate about the application's current status, once. True when sent."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related(
            "election", "group", "unit", "decision", "cancellation_decision", "user", "commission"
        )
        .filter(pk=application_id)
        .first()
    )
    if application is None or application.status not in TOLD:
        return False
    if application.notified_status == application.status:
        return False
    election, user = application.election, application.user
    language = user.language if user is not None else application.language
    slug = election.slug
    notify(
        app="candidates",
        election=election,
        to=application.email,
        language=language,
        template=f"application_{application.status}",
        time_zone=election.tz,
        context={
            "application": application,
            "election_title": lambda: election.title,
            "contest_name": lambda: application.contest_name,
            "commission_name": lambda: application.commission.name,
            "received_at": application.received_at,
            "decision_due_at": application.decision_due_at,
            "decision": application.cancellation_decision
            if application.status == A.CANCELLED
            else application.decision,
            "my_link": lambda: absolute(reverse("candidates:mine", args=[slug])),
            "profile_link": lambda: absolute(reverse("candidates:profile", args=[slug, application.pk])),
            "certificate_link": lambda: absolute(
                reverse("candidates:certificate", args=[slug, application.pk])
            ),
            "setup_link": (lambda: account_setup_link(user)) if user is not None else "",
            "signup_link": lambda: absolute(reverse("candidates:signup", args=[slug])),
        },
    )
    application.notified_status = application.status
    application.save(update_fields=["notified_status"])
    return True
