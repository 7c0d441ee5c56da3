"""Shared pieces of the structure views: the election context, the observers' read-only rule,
form errors from services and file downloads."""

from __future__ import annotations

from django.views.generic import TemplateView

from accounts.permissions import can
from elections.files import attachment_name, serve_private_file
from elections.views import ElectionContextMixin
from elections.views.base import ObjectLookupMixin, ObserversReadOnly, form_errors_from, refusal_page

from .. import selectors
from ..services import CommissionActionRefused

__all__ = [
    "CommissionObjectMixin",
    "GroupObjectMixin",
    "MemberObjectMixin",
    "ObserversReadOnly",
    "StructureView",
    "attachment_name",
    "file_download",
    "form_errors_from",
    "refusal_response",
]


class StructureView(ElectionContextMixin, ObserversReadOnly, TemplateView):
    """Base of every view of this app (mix ``Public``/``CapabilityRequired``/``LoginRequired`` in
    front)."""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, election = self.request.user, self.election
        ctx["structure_nav"] = {
            "committee": can(user, "orgcommittee.view_contacts", election),
            "applications": can(user, "observer.decide", election),
            "dashboard": can(user, "dashboard.observe", election),
            "memberships": selectors.memberships_of(user, election).exists(),
        }
        return ctx


class GroupObjectMixin(ObjectLookupMixin):
    object_name = "group"

    def lookup(self, election):
        return selectors.group_for(election, self.kwargs["group_slug"])


class CommissionObjectMixin(ObjectLookupMixin):
    object_name = "commission"

    def lookup(self, election):
        return selectors.commission_for(election, self.kwargs["pk"])


class MemberObjectMixin(ObjectLookupMixin):
    """The member named by ``pk``; capabilities are checked on their commission."""

    object_name = "member"

    def lookup(self, election):
        return selectors.member_for(election, self.kwargs["pk"])

    def permission_object_of(self, member):
        return member.commission


def refusal_response(request, exc: CommissionActionRefused, election=None):
    """403 page with the guard's message, e.g. for a member who has not signed the declaration
    of no conflict of interest (``groups.services.require_coi_declared``)."""
    return refusal_page(request, exc.message, template="groups/refused.html", election=election)


def file_download(field_file, filename: str):
    return serve_private_file(field_file, filename)
