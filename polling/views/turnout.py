"""Turnout by hour, public once voting has opened: how many voters have received a ballot at each
precinct at the hours the CEC set. Never a result."""

from __future__ import annotations

from django.views.generic import TemplateView

from accounts.access import Public
from elections.public_cache import PublicCached
from elections.views import ElectionContextMixin

from .. import selectors


class TurnoutView(PublicCached, Public, ElectionContextMixin, TemplateView):
    template_name = "polling/turnout.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["public"] = selectors.turnout_is_public(self.election)
        if ctx["public"]:
            ctx["table"] = selectors.turnout_table(self.election)
        return ctx
