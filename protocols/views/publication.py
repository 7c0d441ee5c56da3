from django.views.generic import TemplateView

from accounts.access import Public
from elections.models import Election
from elections.views import ElectionContextMixin

PUBLISHED_STATES = (Election.State.PUBLISHED, Election.State.ARCHIVED)


class ResultsView(Public, ElectionContextMixin, TemplateView):
    """Public results of an election: shown only once the results are published."""

    template_name = "protocols/results.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["is_published"] = self.election.state in PUBLISHED_STATES
        return ctx


urlpatterns: list = []
