from django.views.generic import TemplateView

from accounts.access import Public
from elections.views import ElectionContextMixin
from groups.selectors import groups_of


class CandidateListView(Public, ElectionContextMixin, TemplateView):
    """Public list of candidates per group. Applications and decisions arrive with the
    candidates issue; until then each group shows that no candidate is admitted yet."""

    template_name = "candidates/candidate_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["groups"] = groups_of(self.election)
        return ctx
