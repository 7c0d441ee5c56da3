"""The register of representatives and proxies of a territorial commission, one representative
with the commission's decision, the credential as a PDF, its public verification."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.access import CapabilityRequired, Public
from accounts.models import Role
from accounts.permissions import can, roles_in
from candidates.models import Application, PartyList
from elections.views import ElectionContextMixin
from elections.views.base import form_errors_from
from groups.models import Commission, CommissionMember

from .. import selectors, services
from ..credentials import representative_credential_pdf
from ..forms import DecideForm, ReceiveForm
from ..models import Representative


def _deciding_commissions(user, election) -> list[Commission]:
    if not can(user, "representative.decide", election):
        return []
    tecs = Commission.objects.filter(election=election, kind=Commission.Kind.TEC)
    if user.is_superuser or Role.SECRETARIAT in roles_in(user, election):
        return list(tecs)
    mine = CommissionMember.objects.filter(user=user, is_active=True).values("commission")
    return list(tecs.filter(pk__in=mine))


def _principals(election, commissions) -> list[tuple[str, object, str]]:
    units = [c.unit_id for c in commissions]
    out = []
    for party in PartyList.objects.filter(
        election=election, unit_id__in=units, withdrawn_at__isnull=True
    ).order_by("party_name"):
        out.append((f"l{party.pk}", party, _("Party: %(name)s") % {"name": party.party_name}))
    for app in Application.objects.filter(
        election=election, unit_id__in=units, party_list__isnull=True
    ).order_by("full_name"):
        out.append((f"a{app.pk}", app, _("Candidate: %(name)s") % {"name": app.full_name}))
    return out


def _error(exc) -> str:
    return (
        " ".join(exc.messages)
        if isinstance(exc, ValidationError)
        else (str(exc) or _("Your role may not do this."))
    )


class RepresentativeListView(CapabilityRequired, ElectionContextMixin, TemplateView):
    capability = "representative.view"
    template_name = "campaign/representatives.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["representatives"] = selectors.representatives_of(self.election)
        commissions = _deciding_commissions(self.request.user, self.election)
        if commissions:
            ctx.setdefault("form", ReceiveForm(principals=_principals(self.election, commissions)))
        return ctx

    def post(self, request, *args, **kwargs):
        commissions = _deciding_commissions(request.user, self.election)
        if not commissions:
            raise PermissionDenied
        form = ReceiveForm(request.POST, request.FILES, principals=_principals(self.election, commissions))
        if form.is_valid():
            principal = form.principals[form.cleaned_data["principal"]]
            data = form.cleaned_data
            try:
                rep = services.representative_receive(
                    election=self.election,
                    actor=request.user,
                    kind=data["kind"],
                    full_name=data["full_name"],
                    email=data["email"],
                    phone=data["phone"],
                    received_at=data["received_at"],
                    document=data["document"],
                    party_list=principal if isinstance(principal, PartyList) else None,
                    application=principal if isinstance(principal, Application) else None,
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, _error(exc))
            else:
                messages.success(
                    request,
                    _("The documents are recorded; decide by %(due)s.")
                    % {"due": rep.due_at.astimezone(self.election.tz).strftime("%d.%m.%Y %H:%M")},
                )
                return redirect("campaign:representative", slug=self.election.slug, pk=rep.pk)
        return self.render_to_response(self.get_context_data(form=form))


class _RepMixin(CapabilityRequired, ElectionContextMixin):
    capability = "representative.view"

    def get_permission_object(self):
        election = self.load_election()
        if not hasattr(self, "rep"):
            self.rep = get_object_or_404(
                Representative.objects.select_related("commission", "party_list", "application", "decision"),
                pk=self.kwargs["pk"],
                election=election,
            )
        return election


class RepresentativeView(_RepMixin, TemplateView):
    template_name = "campaign/representative.html"

    def may_decide(self) -> bool:
        return self.rep.commission in _deciding_commissions(self.request.user, self.election)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["r"] = self.rep
        if self.may_decide() and self.rep.status in (
            Representative.Status.SUBMITTED,
            Representative.Status.REGISTERED,
        ):
            ctx.setdefault("form", DecideForm())
        return ctx

    def post(self, request, *args, **kwargs):
        if not self.may_decide():
            raise PermissionDenied
        form = DecideForm(request.POST)
        action = request.POST.get("action")
        if form.is_valid():
            reasons = form.cleaned_data["reasons"]
            try:
                if action == "register":
                    services.representative_register(representative=self.rep, actor=request.user)
                    messages.success(
                        request, _("The representative is registered; the credential can be printed.")
                    )
                elif action == "refuse":
                    services.representative_refuse(
                        representative=self.rep, actor=request.user, reasons=reasons
                    )
                    messages.success(request, _("The registration is refused."))
                elif action == "cancel":
                    services.representative_cancel(
                        representative=self.rep, actor=request.user, reasons=reasons
                    )
                    messages.success(request, _("The registration is cancelled."))
                else:
                    raise ValidationError(_("Choose what to do: register, refuse or cancel."))
            except ValidationError as exc:
                form_errors_from(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, _error(exc))
            else:
                return redirect("campaign:representative", slug=self.election.slug, pk=self.rep.pk)
        return self.render_to_response(self.get_context_data(form=form))


class CredentialPdfView(_RepMixin, View):
    def get(self, request, *args, **kwargs):
        if self.rep.status not in (Representative.Status.REGISTERED, Representative.Status.CANCELLED):
            raise Http404
        response = HttpResponse(representative_credential_pdf(self.rep), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="credential-{self.rep.pk}.pdf"'
        return response


class VerifyView(Public, ElectionContextMixin, TemplateView):
    template_name = "campaign/verify.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["r"] = (
            Representative.objects.filter(election=self.election, credential_code=self.kwargs["code"])
            .exclude(status__in=(Representative.Status.SUBMITTED, Representative.Status.REFUSED))
            .select_related("commission", "party_list", "application", "decision")
            .first()
        )
        return ctx
