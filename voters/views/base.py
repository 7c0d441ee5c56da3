"""Shared pieces of the voters views: the election context, the observers' read-only rule, the
sub-navigation and form errors from services."""

from __future__ import annotations

from django.views.generic import TemplateView

from accounts.permissions import can
from elections.models import Election
from elections.views import ElectionContextMixin
from elections.views.base import ObjectLookupMixin, ObserversReadOnly, form_errors_from  # noqa: F401
from groups.views.base import GroupObjectMixin, refusal_response  # noqa: F401

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


class GroupMixin(GroupObjectMixin):
    """The group named by ``group_slug``."""


class RegistrationMixin(ObjectLookupMixin):
    object_name = "registration"

    def lookup(self, election):
        return selectors.registration_for(election, self.kwargs["pk"])


class PrecinctMixin(ObjectLookupMixin):
    """The precinct named by ``number``; capabilities are checked on its scope."""

    object_name = "precinct"

    def lookup(self, election):
        return selectors.precinct_by_number(election, self.kwargs["number"])

    def permission_object_of(self, precinct):
        return selectors.precinct_scope(precinct)


class EntryMixin(ObjectLookupMixin):
    object_name = "entry"

    def lookup(self, election):
        return selectors.entry_for(election, self.kwargs["pk"])


class CorrectionMixin(ObjectLookupMixin):
    object_name = "correction"

    def lookup(self, election):
        return selectors.correction_for(election, self.kwargs["pk"])


class ImportMixin(ObjectLookupMixin):
    object_name = "register_import"

    def lookup(self, election):
        return selectors.import_for(election, self.kwargs["pk"])
