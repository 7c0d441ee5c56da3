"""The commission's screens: the applications to verify with their deadlines, one application
with its documents, the members' reviews and the decisions (admit, refuse, cancel) by vote; the
package for the secretariat (seed 000 item 17)."""

from __future__ import annotations

import csv
import io
import os

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import CapabilityRequired
from accounts.permissions import can
from groups.models import CommissionMember
from groups.services import CommissionActionRefused, active_membership, require_coi_declared
from meetings.selectors import meetings_deciding

from .. import deadlines, selectors, services
from ..contests import contests_of
from ..forms import CancelForm, DecisionForm, ReviewForm
from ..models import Application, Review
from ..package import PACKAGE_COLUMNS, csv_cell, package_table
from ..pdf import package_pdf
from .base import (
    ApplicationObjectMixin,
    CandidatesView,
    ContestObjectMixin,
    OwnOrPrivateRequired,
    form_errors_from,
    refusal_response,
    serve_file,
)

A = Application.Status


class ApplicationsView(CapabilityRequired, CandidatesView):
    """The applications the user may see privately, by contest, with their decision deadlines."""

    capability = "candidate.view_private"
    template_name = "candidates/applications.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", "")
        if status not in A.values:
            status = ""
        rows = selectors.applications_for(self.request.user, self.election, status=status or None)
        now = timezone.now()
        for row in rows:
            row.overdue = row.is_overdue(now)
        ctx["applications"] = rows
        ctx["status"] = status
        ctx["statuses"] = A.choices
        ctx["contests"] = [
            c for c in contests_of(self.election) if can(self.request.user, "candidate.view_private", c)
        ]
        return ctx


def _meetings(application):
    return meetings_deciding(application.commission)


def _members(application):
    return list(
        CommissionMember.objects.filter(commission=application.commission, is_active=True)
        .select_related("user")
        .order_by("position", "user__full_name")
    )


class ApplicationView(CapabilityRequired, ApplicationObjectMixin, CandidatesView):
    """One application: the person, the documents, the checklist reviews, the decisions."""

    capability = "candidate.view_private"
    template_name = "candidates/application.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, application = self.request.user, self.application
        ctx["application"] = application
        ctx["reviews"] = selectors.reviews_of(application)
        ctx["decisions"] = selectors.decisions_of(application)
        ctx["criteria"] = selectors.criteria_of(self.election)
        ctx["overdue"] = application.is_overdue()
        can_decide = can(user, "candidate.decide", application)
        ctx["can_decide"] = can_decide
        if can_decide:
            membership = active_membership(user, application.commission)
            ctx["membership"] = membership
            members = _members(application)
            if application.is_undecided:
                own = (
                    Review.objects.filter(application=application, member=membership).first()
                    if membership
                    else None
                )
                ctx.setdefault("review_form", ReviewForm(criteria=ctx["criteria"], review=own))
                ctx.setdefault(
                    "decision_form", DecisionForm(members=members, meetings=_meetings(application))
                )
            elif application.status == A.ADMITTED:
                ctx.setdefault("cancel_form", CancelForm(members=members, meetings=_meetings(application)))
                settings = selectors.settings_for(self.election)
                ctx["cancellation"] = deadlines.cancellation_deadline(self.election, settings)
        return ctx


class _ActionView(ApplicationView):
    """A POST of the commission on an application: refusals of the guard (no declaration) are a
    403 page with its message; rule errors show the form again."""

    capability = "candidate.decide"
    http_method_names = ["post"]
    success_message = ""

    def post(self, request, *args, **kwargs):
        try:  # the member's declaration first: without it nothing else matters
            require_coi_declared(request.user, self.application.commission)
        except CommissionActionRefused as exc:
            return refusal_response(request, exc, self.election)
        form = self.bound_form()
        if form.is_valid():
            try:
                result = self.act(form)
            except CommissionActionRefused as exc:
                return refusal_response(request, exc, self.election)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, self.message(result))
                return redirect("candidates:application", slug=self.election.slug, pk=self.application.pk)
        return self.render_to_response(self.get_context_data(**{self.form_name: form}), status=200)


class ReviewView(_ActionView):
    form_name = "review_form"

    def bound_form(self):
        return ReviewForm(self.request.POST, criteria=selectors.criteria_of(self.election))

    def act(self, form):
        return services.review_record(
            application=self.application,
            actor=self.request.user,
            checks=form.checks(),
            recommendation=form.cleaned_data["recommendation"],
            comment=form.cleaned_data["comment"],
        )

    def message(self, result):
        return _("Your review is recorded.")


def _decision_message(decision) -> str:
    if not decision.is_adopted:
        return _(
            "The proposal was not adopted (%(for)s for, %(against)s against, %(abstain)s abstained); nothing changed."
        ) % {
            "for": decision.votes_for,
            "against": decision.votes_against,
            "abstain": decision.votes_abstained,
        }
    return _("Decision № %(number)s is recorded; the candidate is told by e-mail.") % {
        "number": decision.number
    }


class DecideView(_ActionView):
    form_name = "decision_form"

    def bound_form(self):
        return DecisionForm(
            self.request.POST, members=_members(self.application), meetings=_meetings(self.application)
        )

    def act(self, form):
        return services.application_decide(
            application=self.application,
            actor=self.request.user,
            decision=form.cleaned_data["decision"],
            votes=form.votes(),
            reasons=form.cleaned_data["reasons"],
            decided_at=form.cleaned_data["decided_at"],
            meeting=form.chosen_meeting(),
        )

    def message(self, result):
        return _decision_message(result)


class CancelView(_ActionView):
    form_name = "cancel_form"

    def bound_form(self):
        return CancelForm(
            self.request.POST, members=_members(self.application), meetings=_meetings(self.application)
        )

    def act(self, form):
        return services.registration_cancel(
            application=self.application,
            actor=self.request.user,
            votes=form.votes(),
            reasons=form.cleaned_data["reasons"],
            decided_at=form.cleaned_data["decided_at"],
            meeting=form.chosen_meeting(),
        )

    def message(self, result):
        return _decision_message(result)


class DocumentView(OwnOrPrivateRequired, CapabilityRequired, ApplicationObjectMixin, CandidatesView):
    """The signed application form: the candidate and those who see the application."""

    def get(self, request, *args, **kwargs):
        application = self.application

        return serve_file(
            application.document,
            f"application-{application.pk}" + os.path.splitext(application.document.name)[1],
        )


# --- the package for the secretariat ---------------------------------------------------------


class PackageView(CapabilityRequired, ContestObjectMixin, CandidatesView):
    """The contest's list of candidates with the commission's admission decisions, which the
    organising committee submits to the secretariat (seed 000 item 17); CSV and PDF too."""

    capability = "candidate.view_private"
    template_name = "candidates/package.html"
    fmt = "html"

    def get(self, request, *args, **kwargs):
        rows = selectors.package_rows(self.contest)
        commission = self.contest.verifying_commission()
        filename = f"candidates-{self.election.slug}-{self.contest.key}"
        if self.fmt == "csv":
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow([str(label) for _key, label in PACKAGE_COLUMNS])
            for row in package_table(rows, self.election):
                writer.writerow([csv_cell(row[key]) for key, _label in PACKAGE_COLUMNS])
            response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
            return response
        if self.fmt == "pdf":
            table = package_table(rows, self.election)
            response = HttpResponse(
                package_pdf(self.contest, table, commission), content_type="application/pdf"
            )
            response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
            return response
        return self.render_to_response(
            self.get_context_data(contest=self.contest, rows=rows, commission=commission)
        )
