"""The register of numbered decisions: what each body decided, with its number, date, votes and
reasons (``elections.Decision``), for the secretariat and the members of the deciding body."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.views.generic import TemplateView

from accounts.access import CapabilityRequired

from .. import selectors
from ..forms import DecisionFilterForm
from .election import ElectionContextMixin


class DecisionListView(CapabilityRequired, ElectionContextMixin, TemplateView):
    capability = "decision.view"
    template_name = "elections/decisions.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        form = DecisionFilterForm(
            self.request.GET or None, bodies=selectors.decision_bodies(user, self.election)
        )
        chosen = form.cleaned_data if form.is_bound and form.is_valid() else {}
        decisions = selectors.decisions_for(
            user, self.election, body_key=chosen.get("body", ""), kind=chosen.get("kind", "")
        )
        ctx["form"] = form
        ctx["page"] = Paginator(decisions, 50).get_page(self.request.GET.get("page"))
        ctx["query"] = urlencode({k: v for k, v in chosen.items() if v})
        return ctx
