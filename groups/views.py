from django.views.generic import TemplateView

from accounts.access import Public
from elections.views import ElectionContextMixin

from . import selectors


class GroupListView(Public, ElectionContextMixin, TemplateView):
    """Public: the electoral groups of an election with their seats, and its commissions."""

    template_name = "groups/group_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["groups"] = selectors.groups_of(self.election)
        ctx["commissions"] = selectors.commissions_of(self.election)
        return ctx
