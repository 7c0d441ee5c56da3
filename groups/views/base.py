"""Shared pieces of the structure views: the election context, the observers' read-only rule,
form errors from services and file downloads."""

from __future__ import annotations

import os

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.generic import TemplateView

from accounts.permissions import can
from elections.views import ElectionContextMixin

from .. import selectors
from ..files import sniff_content_type
from ..services import CommissionActionRefused
from ..services._common import is_read_only_observer

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class ObserversReadOnly:
    """Observers change nothing (issue 4, item 5): every write by an observer gets 403, whatever
    else the view allows (the public forms included)."""

    def dispatch(self, request, *args, **kwargs):
        if request.method not in SAFE_METHODS and is_read_only_observer(request.user, self.load_election()):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


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


class GroupObjectMixin:
    def get_permission_object(self):
        if not hasattr(self, "group"):
            self.group = selectors.group_for(self.load_election(), self.kwargs["group_slug"])
        return self.group


class CommissionObjectMixin:
    def get_permission_object(self):
        if not hasattr(self, "commission"):
            self.commission = selectors.commission_for(self.load_election(), self.kwargs["pk"])
        return self.commission


class MemberObjectMixin:
    def get_permission_object(self):
        if not hasattr(self, "member"):
            self.member = selectors.member_for(self.load_election(), self.kwargs["pk"])
        return self.member.commission


def refusal_response(request, exc: CommissionActionRefused, election=None):
    """403 page with the guard's message, e.g. for a member who has not signed the declaration
    of no conflict of interest (``groups.services.require_coi_declared``)."""
    return render(request, "groups/refused.html", {"election": election, "message": exc.message}, status=403)


def form_errors_from(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def attachment_name(prefix: str, field_file) -> str:
    return prefix + os.path.splitext(field_file.name)[1]


def file_download(field_file, filename: str):
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = sniff_content_type(handle) or "application/octet-stream"
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
