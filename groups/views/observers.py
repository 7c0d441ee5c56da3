"""Observers: public application, list and credential check; decisions; credential PDF; the
read-only dashboard."""

from __future__ import annotations

from django import forms
from django.conf import settings as django_settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from accounts.access import CapabilityRequired, LoginRequired, Public
from elections.dashboard import panels_for
from elections.views.base import ObjectLookupMixin

from .. import selectors, services
from ..credentials import observer_credential_pdf
from ..forms import ObserverApplyForm, ObserverDecisionForm
from ..models import ObserverInvitation
from ..services.work import is_cec_or_secretariat
from .base import StructureView, attachment_name, file_download, form_errors_from


class ObserverListView(Public, StructureView):
    """Public list of accredited observers (name, kind, organisation, group; no contacts)."""

    template_name = "groups/observer_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["observers"] = selectors.accredited_observers(self.election)
        ctx["body"] = services.responsible_body(self.election)
        return ctx


class ObserverApplyView(Public, StructureView):
    """Public: apply for accreditation, as a person or an organisation, without an account."""

    template_name = "groups/observer_apply.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["body"] = services.responsible_body(self.election)
        return ctx

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=ObserverApplyForm(election=self.election)))

    def post(self, request, *args, **kwargs):
        form = ObserverApplyForm(request.POST, request.FILES, election=self.election)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("consent")
            try:
                services.observer_apply(
                    election=self.election, actor=request.user, language=get_language()[:2], **data
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(
                    request, _("Your application is submitted. The decision will be sent to your e-mail.")
                )
                return redirect("groups:observer_list", slug=self.election.slug)
        return self.render_to_response(self.get_context_data(form=form))


class ObserverVerifyView(Public, StructureView):
    """Public: is this credential valid? (opened from the QR code)."""

    template_name = "groups/observer_verify.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["application"] = selectors.verification(self.election, self.kwargs["code"])
        return ctx


class ObserverApplicationsView(CapabilityRequired, StructureView):
    """The applications the user may decide (responsible body, group's committee member,
    secretariat)."""

    capability = "observer.decide"
    template_name = "groups/observer_applications.html"

    def may_invite(self) -> bool:
        return is_cec_or_secretariat(self.request.user, self.election)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["applications"] = selectors.observer_applications_for(self.request.user, self.election)
        if self.may_invite():
            ctx["invitations"] = ObserverInvitation.objects.filter(election=self.election)
            ctx.setdefault("invite_form", InviteForm())
        return ctx

    def post(self, request, *args, **kwargs):
        if not self.may_invite():
            raise PermissionDenied
        form = InviteForm(request.POST)
        if form.is_valid():
            try:
                services.observer_invite(election=self.election, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("The invitation is sent."))
                return redirect("groups:observer_applications", slug=self.election.slug)
        return self.render_to_response(self.get_context_data(invite_form=form))


class InviteForm(forms.Form):
    organisation = forms.CharField(label=gettext_lazy("Organisation"), max_length=300)
    country = forms.CharField(label=gettext_lazy("Country"), max_length=100, required=False)
    email = forms.EmailField(label=gettext_lazy("E-mail"))
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the letter"), choices=django_settings.LANGUAGES
    )


class ApplicationObjectMixin(ObjectLookupMixin):
    object_name = "application"

    def lookup(self, election):
        return selectors.observer_application(election, self.kwargs["pk"])


class ObserverApplicationView(CapabilityRequired, ApplicationObjectMixin, StructureView):
    """One application with its document; the decision form (accredit / refuse / revoke)."""

    capability = "observer.decide"
    template_name = "groups/observer_application.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["application"] = self.application
        ctx.setdefault("form", ObserverDecisionForm(status=self.application.status))
        return ctx

    def post(self, request, *args, **kwargs):
        form = ObserverDecisionForm(request.POST, status=self.application.status)
        if form.is_valid():
            decision = form.cleaned_data["decision"]
            arguments = {"application": self.application, "actor": request.user}
            if decision == "accredit":
                arguments["create_account"] = form.cleaned_data.get("create_account", False)
            else:
                arguments["reason"] = form.cleaned_data["reason"]
            try:
                services.observers.DECIDERS[decision](**arguments)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("The decision is recorded and the applicant is told by e-mail."))
                return redirect(
                    "groups:observer_application", slug=self.election.slug, pk=self.application.pk
                )
        return self.render_to_response(self.get_context_data(form=form))


class ObserverDocumentView(CapabilityRequired, ApplicationObjectMixin, StructureView):
    capability = "observer.decide"

    def get(self, request, *args, **kwargs):
        document = self.application.document
        return file_download(document, attachment_name(f"observer-{self.application.pk}", document))


class ObserverCredentialView(LoginRequired, StructureView):
    """The credential PDF, for the observer and for those who decide on the application."""

    def get(self, request, *args, **kwargs):
        application = selectors.credential_for(request.user, self.election, self.kwargs["code"])
        response = HttpResponse(observer_credential_pdf(application), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="credential-{application.pk}.pdf"'
        return response


class DashboardView(CapabilityRequired, StructureView):
    """Read-only aggregates for observers (and the secretariat); no personal data."""

    capability = "dashboard.observe"
    template_name = "groups/dashboard.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["panels"] = panels_for(self.election)
        ctx["credentials"] = selectors.own_credentials(self.request.user, self.election)
        return ctx
