"""The secretariat's screens: the windows (settings) and the voting invitations."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from accounts.access import CapabilityRequired

from .. import selectors, services
from ..forms import CredentialSearchForm, VoterSettingsForm
from ..models import VoterSettings
from ..services.credentials import invitations_open
from .base import VotersView, form_errors_from


class SettingsView(CapabilityRequired, VotersView):
    """The registration window and the Form 3 window: a calendar activity, or exact instants."""

    capability = "voter.manage"
    template_name = "voters/settings.html"

    def _instance(self):
        return VoterSettings.objects.filter(election=self.election).first() or VoterSettings(
            election=self.election
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["registration_window"] = selectors.registration_window(self.election)
        ctx["corrections_window"] = selectors.corrections_window(self.election)
        ctx.setdefault("form", VoterSettingsForm(instance=self._instance()))
        return ctx

    def post(self, request, *args, **kwargs):
        form = VoterSettingsForm(request.POST, instance=self._instance())
        if form.is_valid():
            try:
                services.voter_settings_update(
                    election=self.election,
                    actor=request.user,
                    **{f: form.cleaned_data[f] for f in services.SETTINGS_FIELDS},
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("The changes are saved."))
                return redirect("voters:settings", slug=self.election.slug)
        return self.render_to_response(self.get_context_data(form=form))


class CredentialsView(CapabilityRequired, VotersView):
    """Invitations: issue and send the missing ones, send a reminder round, find a voter."""

    capability = "voter.manage"
    template_name = "voters/credentials.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = CredentialSearchForm(self.request.GET or None)
        query = form.cleaned_data["q"] if form.is_valid() else ""
        ctx["search"] = form
        ctx["counts"] = selectors.credential_counts(self.election)
        ctx["reminder_rounds"] = selectors.reminder_rounds(self.election)
        ctx["invitations_open"] = invitations_open(self.election)
        ctx["page"] = Paginator(selectors.credentials_of(self.election, query), 50).get_page(
            self.request.GET.get("page")
        )
        return ctx

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        try:
            if action == "issue":
                result = services.credentials_issue(election=self.election, actor=request.user)
                messages.success(
                    request,
                    _("New credentials: %(created)s; invitations being sent: %(queued)s.") % result,
                )
            elif action == "remind":
                result = services.credential_reminders_send(election=self.election, actor=request.user)
                messages.success(
                    request,
                    _(
                        "Reminder round %(round)s: %(queued)s reminders queued; the count of those sent is shown below."
                    )
                    % result,
                )
            else:
                messages.error(request, _("Unknown action."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("voters:credentials", slug=self.election.slug)


class CredentialResendView(CapabilityRequired, VotersView):
    capability = "voter.manage"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        credential = selectors.credential_for(self.election, kwargs["pk"])
        if request.POST.get("confirm") != "1":
            messages.error(request, _("Confirm that a new link should be sent."))
            return redirect("voters:credentials", slug=self.election.slug)
        try:
            services.credential_resend(credential=credential, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("A new link is being sent; the previous one no longer works."))
        return redirect("voters:credentials", slug=self.election.slug)
