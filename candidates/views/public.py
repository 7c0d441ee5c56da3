"""Public pages: the announcement, the list of registered candidates per group or district, a
candidate's profile and photo, open data (CSV, JSON), the certificate's verification page, and
the request for an account to apply with."""

from __future__ import annotations

import csv
import io
import json

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.access import Public
from accounts.permissions import can
from elections.public_cache import PublicCached
from elections.selectors import calendar_of, case_rule

from .. import deadlines, selectors, services
from ..contests import contests_of
from ..forms import SignupForm
from ..models import Application
from ..package import csv_cell
from .base import CandidatesView, form_errors_from, require_own_or_private, serve_file

N = Application.Nomination


class CandidateListView(PublicCached, Public, CandidatesView):
    """Registered candidates per group or district, party lists in their order; withdrawn and
    cancelled candidates shown marked (seed 000 item 18, seed 003 item 24)."""

    template_name = "candidates/candidate_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["contests"] = selectors.public_list(self.election)
        ctx["settings"] = settings = selectors.settings_for(self.election)
        ctx["has_candidates"] = any(not entry.is_empty for entry in ctx["contests"])
        ctx["applications_open"] = selectors.applications_open(self.election, settings)
        return ctx


def nomination_windows(election, settings) -> list[tuple[str, deadlines.Window]]:
    kinds = [(N.SELF, settings.allow_self), (N.ORGANISATION, settings.allow_organisation),
             (N.PARTY_LIST, settings.allow_party_list)]  # fmt: skip
    return [
        (N(kind).label, deadlines.application_window(election, settings, kind)) for kind, on in kinds if on
    ]


class AnnouncementView(Public, CandidatesView):
    """The announcement (seed 000 items 10–11): text, the stage deadlines from the calendar, the
    groups and districts entitled to seats, criteria for candidates, the application form."""

    template_name = "candidates/announcement.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        election = self.election
        settings = selectors.settings_for(election)
        ctx["settings"] = settings
        ctx["can_manage"] = can(self.request.user, "candidate.manage", election)
        ctx["visible"] = settings.is_published or ctx["can_manage"]
        if ctx["visible"]:
            ctx["windows"] = nomination_windows(election, settings)
            ctx["decision_rule"] = (
                case_rule(election, settings.decision_case_kind) if settings.decision_case_kind else None
            )
            ctx["decision_activity"] = deadlines.activity_of(election, settings.decision_activity)
            ctx["withdrawal"] = deadlines.withdrawal_deadline(election, settings)
            ctx["ballot_approved_at"] = deadlines.ballot_approved_at(election, settings)
            ctx["contests"] = contests_of(election)
            ctx["has_calendar"] = calendar_of(election) is not None
        return ctx


class ApplicationFormDownloadView(Public, CandidatesView):
    """The blank application form of the published announcement."""

    def get(self, request, *args, **kwargs):
        settings = selectors.settings_for(self.election)
        if not (settings.is_published or can(request.user, "candidate.manage", self.election)):
            raise Http404
        return serve_file(
            settings.application_form,
            f"application-form-{self.election.slug}" + _ext(settings.application_form),
        )


def _ext(field_file) -> str:
    import os

    return os.path.splitext(field_file.name)[1] if field_file else ""


class ProfileView(PublicCached, Public, CandidatesView):
    """A registered candidate's public page: photo, organisation, region, programme (seed 000
    item 20: presenting the programme before the assembly)."""

    template_name = "candidates/profile.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["candidate"] = selectors.public_candidate(self.election, self.kwargs["pk"])
        ctx["settings"] = selectors.settings_for(self.election)
        return ctx


class PhotoView(Public, CandidatesView):
    """A candidate's photo: public once registered; before that for the candidate and those who
    see the application."""

    def get(self, request, *args, **kwargs):
        application = selectors.application_for(self.election, self.kwargs["pk"])
        if not application.is_registered:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            require_own_or_private(request.user, application)
        return serve_file(
            application.photo, f"candidate-{application.pk}" + _ext(application.photo), inline=True
        )


OPEN_DATA_COLUMNS = [
    "id",
    "contest",
    "contest_name",
    "party",
    "list_position",
    "full_name",
    "organisation",
    "occupation",
    "region",
    "birth_year",
    "programme",
    "status",
    "registered_at",
    "decision_number",
    "withdrawn_at",
    "cancelled_at",
    "left_after_ballot_approval",
    "profile_url",
    "photo_url",
]


def open_data_rows(request, election) -> list[dict]:
    settings = selectors.settings_for(election)
    rows = []
    for a in selectors.registered(election):
        profile = reverse("candidates:profile", args=[election.slug, a.pk])
        rows.append(
            {
                "id": a.pk,
                "contest": a.contest_key,
                "contest_name": a.contest_name,
                "party": a.party_list.party_name if a.party_list_id else "",
                "list_position": a.list_position,
                "full_name": a.full_name,
                "organisation": a.organisation,
                "occupation": a.occupation,
                "region": a.region,
                "birth_year": a.birth_year if settings.publish_birth_year else None,
                "programme": a.programme,
                "status": {"admitted": "registered"}.get(a.status, a.status),
                "registered_at": a.admitted_at.isoformat() if a.admitted_at else None,
                "decision_number": a.decision.number if a.decision_id else None,
                "withdrawn_at": a.withdrawn_at.isoformat() if a.withdrawn_at else None,
                "cancelled_at": a.cancelled_at.isoformat() if a.cancelled_at else None,
                "left_after_ballot_approval": a.left_after_ballot_approval,
                "profile_url": request.build_absolute_uri(profile),
                "photo_url": (
                    request.build_absolute_uri(reverse("candidates:photo", args=[election.slug, a.pk]))
                    if a.photo
                    else None
                ),
            }
        )
    return rows


class OpenDataView(PublicCached, Public, CandidatesView):
    """Open data at stable addresses: registered candidates as CSV or JSON (no private data),
    with Last-Modified (and 304 for a conditional request)."""

    fmt = "json"

    def get(self, request, *args, **kwargs):
        changed = selectors.last_modified(self.election)
        stamp = int(changed.timestamp()) if changed else None
        since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
        if stamp is not None and since is not None and stamp <= since:
            return HttpResponseNotModified()
        rows = open_data_rows(request, self.election)
        if self.fmt == "json":
            payload = {"election": self.election.slug, "title": self.election.title_ru, "candidates": rows}
            response = HttpResponse(
                json.dumps(payload, ensure_ascii=False, indent=1),
                content_type="application/json; charset=utf-8",
            )
        else:
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=OPEN_DATA_COLUMNS)
            writer.writeheader()
            writer.writerows({key: csv_cell(value) for key, value in row.items()} for row in rows)
            response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'inline; filename="candidates-{self.election.slug}.csv"'
        if stamp is not None:
            response["Last-Modified"] = http_date(stamp)
        response["Access-Control-Allow-Origin"] = "*"
        return response


class VerifyView(Public, CandidatesView):
    """Public: is this registration certificate valid? (opened from the QR code)."""

    template_name = "candidates/verify.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["candidate"] = selectors.verification(self.election, self.kwargs["code"])
        return ctx


class SignupView(Public, CandidatesView):
    """A person without an account asks for one to apply with (a link to set the password)."""

    template_name = "candidates/signup.html"

    def get(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("candidates:apply", slug=self.election.slug)
        return self.render_to_response(
            self.get_context_data(form=SignupForm(initial={"language": get_language()[:2]}))
        )

    def post(self, request, *args, **kwargs):
        form = SignupForm(request.POST)
        if form.is_valid():
            try:
                services.applicant_account_request(
                    election=self.election, actor=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(
                    request,
                    _("We sent a link to %(email)s. Open it to set your password, then apply.")
                    % {"email": form.cleaned_data["email"]},
                )
                return redirect("candidates:announcement", slug=self.election.slug)
        return self.render_to_response(self.get_context_data(form=form))
