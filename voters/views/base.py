"""Shared pieces of the voters views: the election context, the observers' read-only rule, the
sub-navigation and form errors from services."""

from __future__ import annotations

from django.views.generic import TemplateView

from accounts.permissions import can
from elections.models import Election
from elections.views import ElectionContextMixin
from groups.views.base import ObserversReadOnly, form_errors_from, refusal_response  # noqa: F401

from .. import selectors


class VotersView(ElectionContextMixin, ObserversReadOnly, TemplateView):
    """Base of every view of this app (mix ``Public``/``CapabilityRequired`` in front)."""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, election = self.request.user, self.election
        has_groups = election.groups.exists()
        has_precincts = election.units.filter(kind="precinct").exists()
        ctx["voters_nav"] = {
            "register": has_groups and election.kind != Election.Kind.LOCAL_COUNCIL,
            "check": has_precincts,
            "lists": has_precincts and can(user, "register.view", election),
            "corrections": has_precincts and can(user, "register.decide", election),
            "manage": can(user, "voter.manage", election),
        }
        return ctx


class GroupMixin:
    def get_permission_object(self):
        if not hasattr(self, "group"):
            from groups.selectors import group_for

            self.group = group_for(self.load_election(), self.kwargs["group_slug"])
        return self.group


class RegistrationMixin:
    def get_permission_object(self):
        if not hasattr(self, "registration"):
            self.registration = selectors.registration_for(self.load_election(), self.kwargs["pk"])
        return self.registration


class PrecinctMixin:
    def get_permission_object(self):
        if not hasattr(self, "precinct"):
            self.precinct = selectors.precinct_by_number(self.load_election(), self.kwargs["number"])
        return selectors.precinct_scope(self.precinct)


class EntryMixin:
    def get_permission_object(self):
        if not hasattr(self, "entry"):
            self.entry = selectors.entry_for(self.load_election(), self.kwargs["pk"])
        return self.entry


class CorrectionMixin:
    def get_permission_object(self):
        if not hasattr(self, "correction"):
            self.correction = selectors.correction_for(self.load_election(), self.kwargs["pk"])
        return self.correction


class ImportMixin:
    def get_permission_object(self):
        if not hasattr(self, "register_import"):
            self.register_import = selectors.import_for(self.load_election(), self.kwargs["pk"])
        return self.register_import
