"""The organising committee: contact list, nominations by the groups, the secretariat's decision."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.access import CapabilityRequired, Public
from accounts.permissions import can
from elections.views.base import ObjectLookupMixin

from .. import selectors, services
from ..forms import NominationDecisionForm, NominationForm
from .base import StructureView, attachment_name, file_download, form_errors_from


class OrgCommitteeView(CapabilityRequired, StructureView):
    """The committee's contact list (seed 000 item 5): the secretariat and the committee; the
    secretariat also sees and decides the nominations."""

    capability = "orgcommittee.view_contacts"
    template_name = "groups/orgcom.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["committee"] = services.org_committee_of(self.election)
        ctx["contacts"] = selectors.org_committee_contacts(user, self.election)
        ctx["nominations"] = selectors.nominations_to_decide(user, self.election)
        ctx["can_decide"] = ctx["committee"] is not None and can(user, "commission.manage", ctx["committee"])
        ctx["decision_form"] = NominationDecisionForm()
        return ctx


class NominateView(Public, StructureView):
    """A group proposes its representative (seed 000 item 4); open to anyone who can see the
    election, so the secretariat also enters nominations received by letter."""

    template_name = "groups/orgcom_nominate.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["committee"] = services.org_committee_of(self.election)
        return ctx

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=NominationForm(election=self.election)))

    def post(self, request, *args, **kwargs):
        form = NominationForm(request.POST, request.FILES, election=self.election)
        if form.is_valid():
            try:
                services.nomination_submit(
                    election=self.election,
                    actor=request.user,
                    language=get_language()[:2],
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(
                    request, _("The nomination is submitted; the secretariat will decide on it.")
                )
                return redirect("groups:list", slug=self.election.slug)
        return self.render_to_response(self.get_context_data(form=form))


class NominationObjectMixin(ObjectLookupMixin):
    """The nomination named by ``pk``; capabilities are checked on its commission."""

    object_name = "nomination"

    def lookup(self, election):
        return selectors.nomination_for(election, self.kwargs["pk"])

    def permission_object_of(self, nomination):
        return nomination.commission


class NominationDecideView(CapabilityRequired, NominationObjectMixin, StructureView):
    capability = "commission.manage"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = NominationDecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a decision."))
        else:
            try:
                services.nomination_decide(
                    nomination=self.nomination, actor=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("The decision is recorded and the person is told by e-mail."))
        return redirect("groups:orgcom", slug=self.election.slug)


class NominationDocumentView(CapabilityRequired, NominationObjectMixin, StructureView):
    capability = "commission.manage"

    def get(self, request, *args, **kwargs):
        document = self.nomination.decision_document
        return file_download(document, attachment_name(f"nomination-{self.nomination.pk}", document))
