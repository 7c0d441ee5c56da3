"""Shared pieces of the candidates' views: the election context with the candidates' sub-menu,
the observers' read-only rule, objects named in the URL, file delivery."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.views.generic import TemplateView

from accounts.permissions import can
from elections.views import ElectionContextMixin
from groups.files import sniff_content_type
from groups.views.base import ObserversReadOnly, form_errors_from, refusal_response

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


class ApplicationObjectMixin:
    """The application named by ``pk``; capabilities are checked on it."""

    def get_permission_object(self):
        if not hasattr(self, "application"):
            self.application = selectors.application_for(self.load_election(), self.kwargs["pk"])
        return self.application


class ContestObjectMixin:
    """The contest named by ``contest`` (``g-<slug>`` or ``d-<number>``)."""

    def get_permission_object(self):
        if not hasattr(self, "contest"):
            self.contest = Contest.parse(self.load_election(), self.kwargs["contest"])
        return self.contest


def serve_file(field_file, filename: str, *, inline: bool = False):
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = sniff_content_type(handle) or "application/octet-stream"
    response = FileResponse(handle, as_attachment=not inline, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


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
