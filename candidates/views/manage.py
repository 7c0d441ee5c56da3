"""The secretariat's settings of candidacy: announcement, calendar activities, form fields,
publication, and the commission's checklist."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from accounts.access import CapabilityRequired
from elections.selectors import calendar_of

from .. import selectors, services
from ..forms import CriterionForm, SettingsForm
from ..models import Criterion
from .base import CandidatesView, form_errors_from
from .public import nomination_windows


class SettingsView(CapabilityRequired, CandidatesView):
    capability = "candidate.manage"
    template_name = "candidates/settings.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        settings = selectors.settings_for(self.election)
        ctx["settings"] = settings
        ctx.setdefault("form", SettingsForm(instance=settings))
        calendar = calendar_of(self.election)
        ctx["calendar"] = calendar
        ctx["activities"] = calendar.activities.order_by("number") if calendar else []
        ctx["windows"] = nomination_windows(self.election, settings)
        return ctx

    def post(self, request, *args, **kwargs):
        settings = selectors.settings_for(self.election)
        form = SettingsForm(request.POST, request.FILES, instance=selectors.settings_for(self.election))
        if form.is_valid():
            try:
                services.candidacy_settings_update(
                    election=self.election, actor=request.user, **form.service_fields()
                )
            except ValidationError as exc:
                form = SettingsForm(request.POST, request.FILES, instance=settings)
                form.is_valid()
                form_errors_from(form, exc)
            else:
                messages.success(request, _("The changes are saved."))
                return redirect("candidates:settings", slug=self.election.slug)
        return self.render_to_response(self.get_context_data(form=form))


class PublishView(CapabilityRequired, CandidatesView):
    capability = "candidate.manage"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action not in ("publish", "unpublish"):
            messages.error(request, _("Choose whether to publish the announcement or take it down."))
            return redirect("candidates:settings", slug=self.election.slug)
        publish = action == "publish"
        try:
            services.announcement_publish(election=self.election, actor=request.user, publish=publish)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("The announcement is published.") if publish else _("The announcement is taken down."),
            )
        return redirect("candidates:settings", slug=self.election.slug)


class CriteriaView(CapabilityRequired, CandidatesView):
    """The commission's verification checklist."""

    capability = "candidate.manage"
    template_name = "candidates/criteria.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["criteria"] = selectors.criteria_of(self.election)
        ctx.setdefault("form", CriterionForm())
        return ctx

    def post(self, request, *args, **kwargs):
        form = CriterionForm(request.POST)
        if form.is_valid():
            try:
                services.criterion_add(election=self.election, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("The criterion is added."))
                return redirect("candidates:criteria", slug=self.election.slug)
        return self.render_to_response(self.get_context_data(form=form))


class CriterionDeleteView(CapabilityRequired, CandidatesView):
    capability = "candidate.manage"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        criterion = Criterion.objects.filter(election=self.election, pk=self.kwargs["pk"]).first()
        if criterion is None:
            messages.error(request, _("This criterion no longer exists."))
        else:
            try:
                services.criterion_delete(criterion=criterion, actor=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("The criterion is removed."))
        return redirect("candidates:criteria", slug=self.election.slug)
