"""The public page of preliminary results (seed 003 item 47): every figure marked preliminary,
the reporting status per contest, never mixed with the final results."""

from __future__ import annotations

from django.urls import path
from django.views.generic import TemplateView

from accounts.access import Public
from elections.public_cache import PublicCached
from elections.views import ElectionContextMixin

from .. import preliminary_public as sel


class PreliminaryPublicView(PublicCached, Public, ElectionContextMixin, TemplateView):
    template_name = "protocols/preliminary_public.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["public"] = sel.is_public(self.election)
        if ctx["public"]:
            ctx["contests"] = sel.preliminary_results(self.election)
        return ctx


urlpatterns = [path("preliminary/", PreliminaryPublicView.as_view(), name="preliminary_public")]
