"""The write API's tokens in the browser: the CEC or the secretariat creates a token for a
precinct commission's automated count (the secret is shown once), sees when each was last used,
and revokes it."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from accounts.access import CapabilityRequired
from elections.views import ElectionContextMixin
from elections.views.base import form_errors_from
from groups.models import Commission

from . import services
from .models import ApiToken


class TokenForm(forms.Form):
    commission = forms.TypedChoiceField(label=gettext_lazy("Precinct commission"), coerce=int)
    label = forms.CharField(
        label=gettext_lazy("What it is for"),
        max_length=200,
        help_text=gettext_lazy("e.g. the ballot scanner of the precinct"),
    )

    def __init__(self, *args, commissions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.commission_map = {c.pk: c for c in commissions}
        self.fields["commission"].choices = [(c.pk, c.name) for c in commissions]


class TokensView(CapabilityRequired, ElectionContextMixin, TemplateView):
    capability = "api.tokens"
    template_name = "api/tokens.html"

    def _commissions(self):
        return list(
            Commission.objects.filter(election=self.election, kind=Commission.Kind.PEC, unit__isnull=False)
            .select_related("unit")
            .order_by("unit__number")
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["tokens"] = ApiToken.objects.filter(election=self.election).select_related(
            "commission", "created_by"
        )
        ctx.setdefault("form", TokenForm(commissions=self._commissions()))
        return ctx

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "revoke":
            token = get_object_or_404(ApiToken, pk=request.POST.get("token"), election=self.election)
            try:
                services.token_revoke(token=token, actor=request.user)
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
            else:
                messages.success(request, _("The token is revoked: it no longer works."))
            return redirect("api_tokens", slug=self.election.slug)
        form = TokenForm(request.POST, commissions=self._commissions())
        if form.is_valid():
            try:
                token, secret = services.token_create(
                    commission=form.commission_map[form.cleaned_data["commission"]],
                    actor=request.user,
                    label=form.cleaned_data["label"],
                )
            except ValidationError as exc:
                form_errors_from(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                return self.render_to_response(self.get_context_data(new_token=token, secret=secret))
        return self.render_to_response(self.get_context_data(form=form))
