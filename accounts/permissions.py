"""The one place that decides who may do what.

Roles map to capabilities in ``CAPABILITIES``. A capability is checked against an object (an
election, an electoral group, a commission, or anything with a ``permission_scope()`` method) and
is granted when the user holds one of its roles in a scope that *contains* the object's scope:

* a role held for the whole portal (no election) contains everything;
* a role held for an election contains that election and everything in it;
* a role held for a group contains that group, the commissions of that group and — for checks on
  the election itself — admits the user to the election's area (selectors then narrow what is
  shown to the user's own group);
* a role held for a commission contains that commission and the group it serves.

Every view declares what it needs: ``CapabilityRequiredMixin.capability`` or ``public = True``
(see ``accounts.views_mixins``); a test walks all URLs and fails on a view that declares nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from .models import Position, Role

S = Role.SECRETARIAT
OC = Role.ORG_COMMITTEE
CM = Role.COMMISSION_MEMBER
CA = Role.CANDIDATE
VO = Role.VOTER
OB = Role.OBSERVER
PR = Role.PARTY_REPRESENTATIVE

#: capability -> roles that have it. Keep it sorted by area; document new capabilities here.
CAPABILITIES: dict[str, frozenset[str]] = {
    # administration
    "admin.use": frozenset({S}),
    "roles.manage": frozenset({S}),
    "audit.view": frozenset({S, OB}),
    # the register of the numbered decisions (elections.Decision): the secretariat reads every
    # body's, a commission member the decisions of the member's own commissions, an
    # organising-committee member the committee's
    "decision.view": frozenset({S, OC, CM}),
    # meetings (meetings/): view = the meetings one may see (selectors narrow: those one manages
    # or is invited to; observers those observers may attend); manage = schedule, record the
    # attendance, cancel, invite candidates and observers — the secretariat, and the chair, deputy
    # or secretary of the body. Candidates see the meetings they are invited to.
    "meeting.view": frozenset({S, OC, CM, CA, OB}),
    "meeting.manage": frozenset({S, CM}),
    # two-step login (a code from an authenticator app after the password; accounts/two_factor.py):
    # the secretariat and commission chairs (see POSITIONS) may turn it on for their account
    "account.second_factor": frozenset({S, CM}),
    # elections and their lifecycle
    "election.create": frozenset({S}),
    "election.edit": frozenset({S}),
    "election.transition": frozenset({S}),
    "election.view_internal": frozenset({S, OC, CM, OB}),
    # calendar plans
    "calendar.manage": frozenset({S}),
    "calendar.complete": frozenset({S, OC, CM}),
    # structure
    "group.manage": frozenset({S}),
    "group.view_private": frozenset({S, OC, CM}),
    "commission.manage": frozenset({S}),
    "unit.manage": frozenset({S}),
    "orgcommittee.view_contacts": frozenset({S, OC}),
    # observers: decided on the application, whose scope is the responsible body (and the group)
    "observer.decide": frozenset({S, OC, CM}),
    # candidates: submit = nominate someone for a group (the community's organising-committee
    # member) or enter a paper application (secretariat); a person's own self-nomination needs
    # only a login. party_list = a party's lists (ownership checked by the service). decide =
    # review, admit/refuse, cancel (plus the signed declaration of no conflict of interest).
    # view_private = applications with contacts and documents, the package for the secretariat.
    "candidate.submit": frozenset({S, OC}),
    "candidate.party_list": frozenset({S, PR}),
    "candidate.decide": frozenset({CM}),
    "candidate.view_private": frozenset({S, OC, CM}),
    "candidate.manage": frozenset({S}),
    # voting
    "ballot.cast": frozenset({VO}),
    "contest.manage": frozenset({S}),
    # the ballot text (seed 003 item 39): approve = record the responsible commission's decision
    # approving or reopening it (its chair, deputy or secretary; the secretariat reads); view =
    # the text, its versions and proofs
    "ballot_text.approve": frozenset({CM}),
    "ballot_text.view": frozenset({S, CM, OB}),
    "ballot.enter_paper": frozenset({CM}),
    # voters: manage = settings of the windows, register imports, freezing the final list,
    # invitations (secretariat). view_list = a group's registered voters with contacts (the
    # group's organising-committee member and commission). decide = accept/reject a
    # registration (the group's commission, after declaring no conflict of interest). The
    # register's scope is the precinct's PEC: view = its list and PDF, decide = Form 3
    # requests and recorded changes to entries.
    "voter.manage": frozenset({S}),
    "voter.view_list": frozenset({S, OC, CM}),
    "voter.decide": frozenset({S, CM}),
    "register.view": frozenset({S, CM}),
    "register.decide": frozenset({S, CM}),
    # observing
    "dashboard.observe": frozenset({S, OB}),
    # protocols
    # protocols: view_draft = read protocols not yet published (with their checks and
    # signatures); prepare = start and fill a draft, cancel a signing, start a correction (the
    # commission that writes it, or the secretariat); sign = a present member's signature;
    # complaint.decide = record the commission's decision on a complaint.
    "protocol.view_draft": frozenset({S, CM, OB}),
    "protocol.prepare": frozenset({S, CM}),
    "protocol.sign": frozenset({CM}),
    "complaint.decide": frozenset({S, CM}),
    # aggregation (seed 003 items 46, 51–57), checked on the commission concerned: transmit = the
    # TEC marks a precinct protocol received/accepted/returned; aggregate = build the TEC summary
    # table (on the TEC) or the CEC result (on the CEC); preliminary = enter preliminary figures
    # (the precinct's PEC, its TEC or the CEC) or import them (the CEC, the secretariat).
    "protocol.transmit": frozenset({S, CM}),
    # acts of hand-over (seed 003 items 14, 51, 55): view = the election's acts (selectors narrow
    # to the two commissions, the secretariat and observers); sign = a member signs for the
    # handing or the receiving commission
    "act.view": frozenset({S, CM, OB}),
    "act.sign": frozenset({CM}),
    # ballot papers and the voting day (polling/, seed 003 items 41–45): manage = the norms
    # (reserve, numbering, turnout hours) and the print run — services narrow to the CEC's members
    # and the secretariat; view = the print run, the ballots' balance, the precincts' days
    # (observers included); record = a PEC member records the precinct's day, its home-voting
    # register and the mobile ballot box; view_personal = the names and addresses in that register
    # (the commissions and the secretariat, never observers or the public)
    "polling.manage": frozenset({S, CM}),
    "polling.view": frozenset({S, CM, OB}),
    "polling.record": frozenset({CM}),
    "polling.view_personal": frozenset({S, CM}),
    # the campaign (campaign/, seed 003 items 15, 27, 36, 38): representative.decide = the
    # territorial commission records the documents of representatives and proxies and registers,
    # refuses or cancels them (services narrow to the commission's members); representative.view
    # = their register and credentials; fund.rules = the limits of election funds; fund.review =
    # the commission's decisions on flagged contributions and its conclusion on a report. A fund
    # is reported on by its registered financial representative or its owner (ownership checked by
    # the services); the funds' summaries are public.
    "representative.decide": frozenset({S, CM}),
    "representative.view": frozenset({S, CM, OB}),
    "fund.rules": frozenset({S}),
    # campaign.record = the TEC's register of campaign events, the places for printed material
    # and the precincts' notices to voters (services narrow to the commissions concerned);
    # campaign.media = the media's rates filed with the CEC (its members, the secretariat)
    "campaign.record": frozenset({S, CM}),
    "campaign.media": frozenset({S, CM}),
    # the commissions' own work (groups/services/work.py, seed 003 items 7, 35, 37): manage = the
    # CEC (its members; the services narrow) or the secretariat schedules training and keeps the
    # estimate; spend = a commission records its own spending; view = the training plan and the
    # budget report (observers too)
    "training.manage": frozenset({S, CM}),
    "training.view": frozenset({S, CM, OB}),
    "budget.manage": frozenset({S, CM}),
    "budget.spend": frozenset({S, CM}),
    "budget.view": frozenset({S, CM, OB}),
    "fund.review": frozenset({S, CM}),
    # the write API's tokens (api/, issue 21): create and revoke a precinct commission's token for
    # its automated count — the CEC's members (services narrow) or the secretariat
    "api.tokens": frozenset({S, CM}),
    "protocol.aggregate": frozenset({S, CM}),
    "protocol.preliminary": frozenset({S, CM}),
    # archive (seed 000 item 23): list, build and download the election's archive ZIPs (they
    # hold the list of voters who voted); the purge of personal data runs by command or beat
    "archive.manage": frozenset({S}),
}

#: capability -> role -> the commission positions whose holders have it (others of the role don't)
POSITIONS: dict[str, dict[str, frozenset[str]]] = {
    "account.second_factor": {CM: frozenset({Position.CHAIR})},
    "meeting.manage": {CM: frozenset({Position.CHAIR, Position.DEPUTY, Position.SECRETARY})},
    "ballot_text.approve": {CM: frozenset({Position.CHAIR, Position.DEPUTY, Position.SECRETARY})},
}

#: roles that may be held for the whole portal, without an election
GLOBAL_ROLES = frozenset({S, OB})


@dataclass(frozen=True)
class Scope:
    """Where an object lives: ids only, so comparing scopes never queries the database."""

    election_id: int | None = None
    group_id: int | None = None
    commission_id: int | None = None


def scope_of(obj: Any) -> Scope:
    if obj is None:
        return Scope()
    if isinstance(obj, Scope):
        return obj
    scope = getattr(obj, "permission_scope", None)
    if scope is None:
        raise TypeError(f"{type(obj).__name__} has no permission_scope()")
    return scope()


_role_assignments: Callable[[], QuerySet] | None = None


def register_role_assignments(lookup: Callable[[], QuerySet]) -> None:
    """Called once at startup by the app that keeps the role assignments (``GroupsConfig.ready``):
    ``lookup()`` returns all assignments as a fresh queryset. This app sits below the scopes of a
    role (an election, a group, a commission), so it cannot import the model; an assignment has
    ``user``, ``role``, ``position`` and the ids ``election_id``, ``group_id``, ``commission_id``
    (plus ``commission.group_id``)."""
    global _role_assignments
    _role_assignments = lookup


def role_assignments(user=None) -> QuerySet:
    """The role assignments of ``user`` (of everyone when None), as a queryset to narrow further.
    Reading before the lookup is registered is an error, never "no roles"."""
    if _role_assignments is None:
        raise ImproperlyConfigured("Role assignments are not available: no app registered them.")
    assignments = _role_assignments()
    return assignments if user is None else assignments.filter(user=user)


def _assignments(user) -> list:
    cached = getattr(user, "_portal_role_assignments", None)
    if cached is None:
        cached = list(role_assignments(user).select_related("commission"))
        user._portal_role_assignments = cached
    return cached


def forget_cached_roles(user) -> None:
    """Drop the per-request cache after roles changed (services call this)."""
    if hasattr(user, "_portal_role_assignments"):
        del user._portal_role_assignments


def _contains(assignment, target: Scope) -> bool:
    if assignment.election_id is None:
        return True  # portal-wide role
    if target.election_id != assignment.election_id:
        return False
    if assignment.group_id is None and assignment.commission_id is None:
        return True  # election-wide role
    if target.group_id is None and target.commission_id is None:
        return True  # a scoped member enters the election's area; selectors narrow the rows
    if assignment.commission_id is not None:
        if target.commission_id is not None:
            return target.commission_id == assignment.commission_id
        served_group = assignment.commission.group_id if assignment.commission else None
        return served_group is not None and served_group == target.group_id
    # group-scoped role: the group itself and anything in it
    return target.group_id == assignment.group_id


def can(user, capability: str, obj: Any = None) -> bool:
    """May ``user`` exercise ``capability`` on ``obj`` (None: the portal as a whole)?"""
    try:
        roles = CAPABILITIES[capability]
    except KeyError:
        raise ValueError(f"Unknown capability {capability!r}") from None
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    target = scope_of(obj)
    return any(_grants(a, capability, roles) and _contains(a, target) for a in _assignments(user))


def _grants(assignment, capability: str, roles: frozenset[str]) -> bool:
    if assignment.role not in roles:
        return False
    positions = POSITIONS.get(capability, {}).get(assignment.role)
    return positions is None or assignment.position in positions


def can_anywhere(user, capability: str) -> bool:
    """Does ``user`` hold ``capability`` in at least one scope (used for navigation only)?"""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    roles = CAPABILITIES[capability]
    return any(_grants(a, capability, roles) for a in _assignments(user))


class CapabilityDenied(PermissionDenied):
    """The user's roles lack ``capability``; the message a user reads is plain, never the code."""

    def __init__(self, capability: str):
        self.capability = capability
        super().__init__(gettext_lazy("Your role may not do this."))


def require(user, capability: str, obj: Any = None) -> None:
    """Raise PermissionDenied unless ``can(user, capability, obj)``. Services call this too."""
    if not can(user, capability, obj):
        raise CapabilityDenied(capability)


def roles_in(user, election=None) -> set[str]:
    """The roles a user holds in an election (or anywhere, when election is None)."""
    if user is None or not user.is_authenticated:
        return set()
    result = set()
    for a in _assignments(user):
        if election is None or a.election_id is None or a.election_id == election.pk:
            result.add(a.role)
    return result


def primary_role(user, obj: Any = None) -> str:
    """The role recorded in audit entries for an action by ``user`` on ``obj``."""
    if user is None or not getattr(user, "is_authenticated", False):
        return "system" if user is None else "public"
    target = scope_of(obj)
    order = [S, CM, OC, OB, PR, CA, VO]
    held = {a.role for a in _assignments(user) if _contains(a, target)}
    for role in order:
        if role in held:
            return role
    return "superuser" if user.is_superuser else "user"


def is_read_only_observer(user, election) -> bool:
    """An observer of the election changes nothing in it (issue 4, item 5), even through the
    public forms; the secretariat is never read-only."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return Role.OBSERVER in roles_in(user, election) and not can(user, "group.manage", election)


def refuse_observers(actor, election) -> None:
    """The one refusal of a change by an observer (``None``, the system, is never one)."""
    if is_read_only_observer(actor, election):
        raise PermissionDenied(gettext_lazy("Observers watch the election and change nothing in it."))
