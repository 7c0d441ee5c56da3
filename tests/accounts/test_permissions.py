"""The permission matrix: every capability × every role × every scope, allowed and denied.

The expectations are written out here from the specification (issue 2 and issue 4: roles are
scoped to an election, a group or a commission; a member of group A reaches neither group B nor
another election), independently of the table in accounts/permissions.py.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.models import Role
from accounts.permissions import CAPABILITIES, can
from tests.factories import ElectionFactory, user_with_role

# capability -> the users (by fixture key) whose role grants it, per the specification
SPEC = {
    "admin.use": {"secretariat"},
    "roles.manage": {"secretariat"},
    "audit.view": {"secretariat", "observer"},
    "decision.view": {"secretariat", "org_committee_a", "commission_a"},
    "meeting.view": {"secretariat", "org_committee_a", "commission_a", "candidate_a", "observer"},
    "meeting.manage": {"secretariat"},  # and the chair, deputy or secretary of a commission: see below
    "account.second_factor": {"secretariat"},  # and commission chairs: see the test below
    "election.create": {"secretariat"},
    "election.edit": {"secretariat"},
    "election.transition": {"secretariat"},
    "election.view_internal": {"secretariat", "org_committee_a", "commission_a", "observer"},
    "calendar.manage": {"secretariat"},
    "calendar.complete": {"secretariat", "org_committee_a", "commission_a"},
    "group.manage": {"secretariat"},
    "group.view_private": {"secretariat", "org_committee_a", "commission_a"},
    "commission.manage": {"secretariat"},
    "unit.manage": {"secretariat"},
    "orgcommittee.view_contacts": {"secretariat", "org_committee_a"},
    "observer.decide": {"secretariat", "org_committee_a", "commission_a"},
    "candidate.submit": {"secretariat", "org_committee_a"},
    "candidate.party_list": {"secretariat", "party_rep"},
    "candidate.decide": {"commission_a"},
    "candidate.view_private": {"secretariat", "org_committee_a", "commission_a"},
    "candidate.manage": {"secretariat"},
    "ballot.cast": {"voter_a"},
    "contest.manage": {"secretariat"},
    "ballot.enter_paper": {"commission_a"},
    "voter.manage": {"secretariat"},
    "voter.view_list": {"secretariat", "org_committee_a", "commission_a"},
    "voter.decide": {"secretariat", "commission_a"},
    "register.view": {"secretariat", "commission_a"},
    "register.decide": {"secretariat", "commission_a"},
    "dashboard.observe": {"secretariat", "observer"},
    "protocol.view_draft": {"secretariat", "commission_a", "observer"},
    "protocol.prepare": {"secretariat", "commission_a"},
    "protocol.sign": {"commission_a"},
    "complaint.decide": {"secretariat", "commission_a"},
    "protocol.transmit": {"secretariat", "commission_a"},
    "act.view": {"secretariat", "commission_a", "observer"},
    "act.sign": {"commission_a"},
    "ballot_text.approve": set(),  # the chair, deputy or secretary of a commission: see below
    "ballot_text.view": {"secretariat", "commission_a", "observer"},
    "polling.manage": {"secretariat", "commission_a"},
    "polling.view": {"secretariat", "commission_a", "observer"},
    "polling.record": {"commission_a"},
    "polling.view_personal": {"secretariat", "commission_a"},
    "representative.decide": {"secretariat", "commission_a"},
    "representative.view": {"secretariat", "commission_a", "observer"},
    "fund.rules": {"secretariat"},
    "campaign.record": {"secretariat", "commission_a"},
    "campaign.media": {"secretariat", "commission_a"},
    "training.manage": {"secretariat", "commission_a"},
    "training.view": {"secretariat", "commission_a", "observer"},
    "budget.manage": {"secretariat", "commission_a"},
    "budget.spend": {"secretariat", "commission_a"},
    "budget.view": {"secretariat", "commission_a", "observer"},
    "fund.review": {"secretariat", "commission_a"},
    "api.tokens": {"secretariat", "commission_a"},
    "protocol.aggregate": {"secretariat", "commission_a"},
    "protocol.preliminary": {"secretariat", "commission_a"},
    "archive.manage": {"secretariat"},
}

# which targets each user's scope reaches
REACH = {
    "secretariat": {
        "portal",
        "election",
        "group_a",
        "group_b",
        "commission_a",
        "commission_b",
        "other_election",
    },
    "org_committee_a": {"election", "group_a", "commission_a"},
    "commission_a": {"election", "group_a", "commission_a"},
    "candidate_a": {"election", "group_a", "commission_a"},
    "voter_a": {"election", "group_a", "commission_a"},
    "observer": {"election", "group_a", "group_b", "commission_a", "commission_b"},
    "party_rep": {"election", "group_a", "group_b", "commission_a", "commission_b"},
    "anonymous": set(),
}


def test_spec_covers_every_capability():
    assert set(SPEC) == set(CAPABILITIES)


@pytest.mark.django_db
def test_permission_matrix(structure):
    targets = {
        "portal": None,
        "election": structure["election"],
        "group_a": structure["group_a"],
        "group_b": structure["group_b"],
        "commission_a": structure["commission_a"],
        "commission_b": structure["commission_b"],
        "other_election": ElectionFactory(),
    }
    party_rep = user_with_role(Role.PARTY_REPRESENTATIVE, election=structure["election"])
    users = dict(structure["users"], party_rep=party_rep, anonymous=AnonymousUser())
    mismatches = []
    checked = 0
    for capability, holders in SPEC.items():
        for user_key, user in users.items():
            for target_key, target in targets.items():
                expected = user_key in holders and target_key in REACH[user_key]
                actual = can(user, capability, target)
                checked += 1
                if actual != expected:
                    mismatches.append((capability, user_key, target_key, expected, actual))
    assert checked == len(SPEC) * len(users) * len(targets)
    assert mismatches == []


@pytest.mark.django_db
def test_inactive_user_has_no_capability(structure):
    user = structure["users"]["secretariat"]
    user.is_active = False
    assert not can(user, "election.edit", structure["election"])


def test_unknown_capability_is_a_programming_error():
    with pytest.raises(ValueError):
        can(AnonymousUser(), "election.delete")


@pytest.mark.django_db
def test_two_step_login_is_for_the_secretariat_and_commission_chairs(structure):
    from accounts.models import Position
    from accounts.permissions import can_anywhere

    chair = user_with_role(
        Role.COMMISSION_MEMBER, commission=structure["commission_a"], position=Position.CHAIR
    )
    assert can(chair, "account.second_factor", structure["commission_a"])
    assert not can(chair, "account.second_factor", structure["commission_b"])
    assert can_anywhere(chair, "account.second_factor")
    assert can_anywhere(structure["users"]["secretariat"], "account.second_factor")
    for key in ("commission_a", "org_committee_a", "observer", "voter_a", "candidate_a"):
        assert not can_anywhere(structure["users"][key], "account.second_factor"), key


def test_an_account_change_is_never_left_out_of_the_audit_log_for_want_of_a_writer(monkeypatch):
    """accounts sits below the audit log (elections) and gets its writer at start-up; without one
    a change is refused, not silently unrecorded."""
    from django.core.exceptions import ImproperlyConfigured

    from accounts import audit

    assert audit._writer is not None  # registered by the elections app
    monkeypatch.setattr(audit, "_writer", None)
    with pytest.raises(ImproperlyConfigured):
        audit.audit_log(action="accounts.user.created", data={})


@pytest.mark.django_db
def test_roles_are_read_through_the_lookup_groups_registers_and_never_guessed(monkeypatch, structure):
    """accounts sits below the scopes of a role and reads the assignments through the lookup the
    groups app registers at start-up (cached per user until a service changes them); without one
    a permission check is an error, never "no roles"."""
    from django.core.exceptions import ImproperlyConfigured

    from accounts import permissions
    from groups.services import role_revoke

    assert permissions._role_assignments is not None  # registered by the groups app
    user = structure["users"]["commission_a"]
    assert can(user, "protocol.sign", structure["commission_a"])
    (assignment,) = permissions.role_assignments(user)
    role_revoke(assignment=assignment, actor=None)  # forgets the roles cached on assignment.user
    assert not can(assignment.user, "protocol.sign", structure["commission_a"])
    assert can(user, "protocol.sign", structure["commission_a"])  # this request's cache
    permissions.forget_cached_roles(user)
    assert not can(user, "protocol.sign", structure["commission_a"])
    monkeypatch.setattr(permissions, "_role_assignments", None)
    with pytest.raises(ImproperlyConfigured):
        can(structure["users"]["secretariat"], "election.edit")


@pytest.mark.django_db
def test_the_ballot_text_is_approved_for_a_commission_by_its_chair_deputy_or_secretary(structure):
    from accounts.models import Position

    for position, expected in ((Position.CHAIR, True), (Position.SECRETARY, True), (Position.MEMBER, False)):
        user = user_with_role(Role.COMMISSION_MEMBER, commission=structure["commission_a"], position=position)
        assert can(user, "ballot_text.approve", structure["commission_a"]) is expected, position
        assert not can(user, "ballot_text.approve", structure["commission_b"])
