"""Shared pieces of the candidates' views: the election context with the candidates' sub-menu,
the observers' read-only rule, objects named in the URL, file delivery."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.views.generic import TemplateView

from accounts.permissions import can
from elections.files import serve_private_file
from elections.views import ElectionContextMixin
from elections.views.base import ObjectLookupMixin, ObserversReadOnly, form_errors_from
from groups.views.base import refusal_response

from .. import selectors
from ..contests import Contest

__all__ = [
    "ApplicationObjectMixin",
    "CandidatesView",
    "OwnOrPrivateRequired",
    "ContestObjectMixin",
    "form_errors_from",
    "refusal_response",
    "require_own_or_private",
    "serve_file",
]


class CandidatesView(ElectionContextMixin, ObserversReadOnly, TemplateView):
    """Base of every view of this app (mix ``Public``/``CapabilityRequired``/``LoginRequired``
    in front)."""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, election = self.request.user, self.election
        ctx["cand_nav"] = {
            "mine": user.is_authenticated,
            "applications": can(user, "candidate.view_private", election),
            "party_lists": can(user, "candidate.party_list", election),
            "manage": can(user, "candidate.manage", election),
        }
        return ctx


class ApplicationObjectMixin(ObjectLookupMixin):
    """The application named by ``pk``; capabilities are checked on it."""

    object_name = "application"

    def lookup(self, election):
        return selectors.application_for(election, self.kwargs["pk"])


class ContestObjectMixin(ObjectLookupMixin):
    """The contest named by ``contest`` (``g-<slug>`` or ``d-<number>``)."""

    object_name = "contest"

    def lookup(self, election):
        return Contest.parse(election, self.kwargs["contest"])


serve_file = serve_private_file


class OwnOrPrivateRequired:
    """The candidate themself, or whoever sees the application's private data
    (``candidate.view_private``); declared as that capability, checked before anything else."""

    capability = "candidate.view_private"

    def has_permission(self):
        application = self.get_permission_object()
        user = self.request.user
        return selectors.is_own(user, application) or selectors.may_view_private(user, application)


def require_own_or_private(user, application) -> None:
    if not (selectors.is_own(user, application) or selectors.may_view_private(user, application)):
        raise PermissionDenied
