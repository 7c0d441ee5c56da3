from django.views.generic import TemplateView

from accounts.access import Public
from elections.views import ElectionContextMixin

from .selectors import voting_window


class VotingInfoView(Public, ElectionContextMixin, TemplateView):
    """Public: when voting opens and closes (in the election's zone) and whether it is open now."""

    template_name = "ballots/voting_info.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["window"] = voting_window(self.election)
        return ctx
