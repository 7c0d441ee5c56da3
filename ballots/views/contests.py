"""The secretariat's contests (ballots) and voting settings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from accounts.access import CapabilityRequired
from elections.views import ElectionContextMixin
from elections.views.base import form_errors_from

from .. import selectors, services
from ..forms import ContestForm, VotingSettingsForm
from ..models import Contest

# --- contests (secretariat) ---------------------------------------------------------------------


class ContestEditView(CapabilityRequired, ElectionContextMixin, TemplateView):
    capability = "contest.manage"
    template_name = "ballots/contest_form.html"

    def get_contest(self):
        pk = self.kwargs.get("pk")
        return get_object_or_404(Contest, pk=pk, election=self.election) if pk else None

    def get(self, request, *args, **kwargs):
        contest = self.get_contest()
        form = ContestForm(instance=contest, election=self.election)
        return self.render_to_response(self.get_context_data(form=form, contest=contest))

    def post(self, request, *args, **kwargs):
        contest = self.get_contest()
        if contest is not None and request.POST.get("sync") == "1":
            try:
                services.contest_sync_options(contest=contest, actor=request.user)
                messages.success(request, _("The ballot now lists the admitted candidates."))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            return redirect("ballots:contest_edit", slug=self.election.slug, pk=contest.pk)
        form = ContestForm(
            request.POST,
            instance=Contest(election=self.election)
            if contest is None
            else Contest.objects.get(pk=contest.pk),
            election=self.election,
        )
        if form.is_valid():
            fields = {f: form.cleaned_data[f] for f in ContestForm.Meta.fields}
            try:
                saved = services.contest_save(
                    election=self.election, actor=request.user, contest=contest, **fields
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("The ballot is saved."))
                return redirect("ballots:contest_edit", slug=self.election.slug, pk=saved.pk)
        return self.render_to_response(self.get_context_data(form=form, contest=contest))


class VotingSettingsView(CapabilityRequired, ElectionContextMixin, TemplateView):
    capability = "contest.manage"
    template_name = "ballots/settings.html"

    def get(self, request, *args, **kwargs):
        current = selectors.voting_settings(self.election)
        form = VotingSettingsForm(
            initial={
                "double_entry": current.double_entry,
                "reminder_times": "\n".join(current.reminder_times),
            }
        )
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        form = VotingSettingsForm(request.POST)
        if form.is_valid():
            services.voting_settings_save(
                election=self.election,
                actor=request.user,
                double_entry=form.cleaned_data["double_entry"],
                reminder_times=form.cleaned_data["reminder_times"],
            )
            messages.success(request, _("The voting settings are saved."))
            return redirect("ballots:info", slug=self.election.slug)
        return self.render_to_response(self.get_context_data(form=form))
