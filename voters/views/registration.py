"""Registration of voters in groups: the public form and confirmation, the commission's list,
decisions and exports (seed 000 items 13–16)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.access import CapabilityRequired, Public
from accounts.permissions import can
from groups.selectors import group_for, groups_of
from groups.services import CommissionActionRefused

from .. import exports, ratelimit, selectors, services
from ..forms import REGISTRATION_FORMS, DecisionForm
from ..models import VoterRegistration
from .base import GroupMixin, RegistrationMixin, VotersView, form_errors_from, refusal_response

R = VoterRegistration.Status


class RegisterIndexView(Public, VotersView):
    """Public: the groups one may register in, and whether registration is open now."""

    template_name = "voters/register_index.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        window = selectors.registration_window(self.election)
        try:
            services.check_registration_open(self.election)
            ctx["refusal"] = ""
        except ValidationError as exc:
            ctx["refusal"] = " ".join(exc.messages)
        ctx["window"] = window
        ctx["groups"] = groups_of(self.election)
        ctx["kinds"] = VoterRegistration.Kind.choices
        return ctx


class RegisterFormView(Public, VotersView):
    """Public: register a person or an organisation in a group (no account needed)."""

    template_name = "voters/register_form.html"

    def dispatch(self, request, *args, **kwargs):
        if kwargs.get("kind") not in REGISTRATION_FORMS:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        self.group = group_for(self.election, self.kwargs["group_slug"])
        ctx["group"] = self.group
        ctx["kind"] = self.kwargs["kind"]
        ctx["kind_label"] = VoterRegistration.Kind(self.kwargs["kind"]).label
        ctx["consent_text"] = services.consent_text(self.election, self.group)
        try:
            services.check_registration_open(self.election)
            ctx["refusal"] = ""
        except ValidationError as exc:
            ctx["refusal"] = " ".join(exc.messages)
        return ctx

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=REGISTRATION_FORMS[kwargs["kind"]]()))

    def post(self, request, *args, **kwargs):
        form = REGISTRATION_FORMS[kwargs["kind"]](request.POST)
        ctx = self.get_context_data(form=form)
        if not ratelimit.hit(request, "form"):
            return self.render_to_response(dict(ctx, rate_limited=True), status=429)
        if form.is_valid():
            data = dict(form.cleaned_data)
            consent = data.pop("consent")
            try:
                services.registration_submit(
                    election=self.election,
                    group=self.group,
                    actor=request.user,
                    kind=kwargs["kind"],
                    consent=consent,
                    language=(get_language() or "ru")[:2],
                    **data,
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "Thank you. We sent a confirmation link to the e-mail address you gave: open it "
                        "to confirm your registration. The commission decides after that."
                    ),
                )
                return redirect("voters:register", slug=self.election.slug)
        return self.render_to_response(self.get_context_data(form=form))


class RegistrationConfirmView(Public, VotersView):
    """Public: the link from the confirmation e-mail. GET shows a button; the POST confirms (so
    that a mail scanner opening the link confirms nothing)."""

    template_name = "voters/registration_confirm.html"

    def post(self, request, *args, **kwargs):
        try:
            registration = services.registration_confirm(
                election=self.election, token=self.kwargs["token"], actor=request.user
            )
        except ValidationError as exc:
            return self.render_to_response(self.get_context_data(error=" ".join(exc.messages)), status=400)
        return self.render_to_response(self.get_context_data(confirmed=registration))


class RegisteredListView(CapabilityRequired, GroupMixin, VotersView):
    """A group's registrations with the counts by region and organisation; the commission
    decides from here (secretariat, the group's organising-committee member and commission)."""

    capability = "voter.view_list"
    template_name = "voters/registered_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", "")
        ctx["group"] = self.group
        ctx["status"] = status if status in R.values else ""
        ctx["statuses"] = R.choices
        ctx["registrations"] = selectors.registrations_of(self.group, ctx["status"] or None)
        ctx["counts"] = selectors.registration_counts(self.election, self.group)
        ctx["can_decide"] = can(self.request.user, "voter.decide", self.group)
        return ctx


class RegisteredExportView(CapabilityRequired, GroupMixin, VotersView):
    capability = "voter.view_list"

    def get(self, request, *args, **kwargs):
        fmt = kwargs["fmt"]
        if fmt == "csv":
            content, content_type = (
                exports.registered_csv(self.election, self.group),
                "text/csv; charset=utf-8",
            )
        elif fmt == "xlsx":
            content = exports.registered_xlsx(self.election, self.group)
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        else:
            raise Http404
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="voters-{self.election.slug}-{self.group.slug}.{fmt}"'
        )
        return response


class RegistrationDetailView(CapabilityRequired, RegistrationMixin, VotersView):
    """One registration; the decision form for the commission and the secretariat."""

    capability = "voter.view_list"
    template_name = "voters/registration_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["registration"] = self.registration
        ctx["can_decide"] = can(self.request.user, "voter.decide", self.registration)
        ctx["decisions_open"] = services.registration_decisions_open(self.election)
        ctx.setdefault("form", DecisionForm())
        return ctx

    def post(self, request, *args, **kwargs):
        if not can(request.user, "voter.decide", self.registration):
            raise PermissionDenied
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                services.registration_decide(
                    registration=self.registration,
                    actor=request.user,
                    decision=form.cleaned_data["decision"],
                    reason=form.cleaned_data["reason"],
                )
            except CommissionActionRefused as exc:
                return refusal_response(request, exc, self.election)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("The decision is recorded and the voter is told by e-mail."))
                return redirect(
                    "voters:registered_list", slug=self.election.slug, group_slug=self.registration.group.slug
                )
        return self.render_to_response(self.get_context_data(form=form))
