"""A voting election with one ballot, three voters with credentials, and a counting commission
(the `vote` fixture, registered in tests/conftest.py)."""

import datetime as dt
import zoneinfo

import pytest

from accounts.models import Role
from ballots import services
from ballots.models import Contest
from elections.services import election_transition
from tests.factories import CommissionFactory, ElectionFactory, GroupFactory, user_with_role

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
OPEN = "2030-08-17 05:00:00+00:00"  # 10:00 in Almaty; voting 09:00–18:00
AFTER = "2030-08-17 13:30:00+00:00"


def _registration(election, group, n):
    from voters.models import VoterRegistration

    now = dt.datetime(2030, 8, 1, tzinfo=dt.UTC)
    return VoterRegistration.objects.create(
        election=election,
        group=group,
        kind="person",
        name=f"Избиратель {n}",
        email=f"voter{n}@example.org",
        region=VoterRegistration._meta.get_field("region").choices[0][0],
        consent_given_at=now,
        submitted_at=now,
        confirmed_at=now,
        status="accepted",
    )


def _credential(registration, raw):
    from voters.models import VotingCredential
    from voters.selectors import token_digest

    return VotingCredential.objects.create(
        election=registration.election,
        registration=registration,
        email=registration.email,
        token_hash=token_digest(raw),
    )


@pytest.fixture
def vote(db):
    election = ElectionFactory(slug="vote-test")
    group = GroupFactory(election=election, slug="g", name_ru="Группа")
    commission = CommissionFactory(election=election, group=group, kind="mandate", name_ru="Счётная комиссия")
    contest = services.contest_save(
        election=election,
        actor=None,
        group=group,
        title_ru="Член и альтернат",
        method="plurality",
        seats=1,
        alternates=1,
        max_choices=1,
        has_against_all=True,
    )
    from ballots.models import ContestOption

    alpha = ContestOption.objects.create(
        contest=contest, kind="candidate", label_ru="Алиева Айгуль", position=0
    )
    beta = ContestOption.objects.create(
        contest=contest, kind="candidate", label_ru="Борисов Бекзат", position=1
    )
    against = ContestOption.objects.create(
        contest=contest, kind="against_all", label_ru="Против всех", position=2
    )
    registrations = [_registration(election, group, n) for n in range(3)]
    credentials = [_credential(r, f"token-{n}") for n, r in enumerate(registrations)]
    for name in ("announce", "open_registration", "open_voting"):
        election = election_transition(election=election, transition=name, actor=None)
    return {
        "election": election,
        "group": group,
        "commission": commission,
        "contest": Contest.objects.get(pk=contest.pk),
        "alpha": alpha,
        "beta": beta,
        "against": against,
        "registrations": registrations,
        "credentials": credentials,
    }


def _counting_member(vote, email):
    from groups.models import CommissionMember
    from groups.services import member_declare_coi

    user = user_with_role(Role.COMMISSION_MEMBER, commission=vote["commission"], email=email)
    member = CommissionMember.objects.filter(commission=vote["commission"], user=user).first()
    if member is None:
        member = CommissionMember.objects.create(commission=vote["commission"], user=user, position="member")
    member_declare_coi(member=member, actor=user)
    return user


def cast_ballots(contest=None) -> list:
    """Every online ballot cast so far: those already mixed into the ballot table and those still
    waiting to be mixed (opened with the server's key, as the mix opens them)."""
    from ballots.models import Ballot, PendingBallot
    from ballots.sealing import unseal

    stored = Ballot.objects.filter(channel="online")
    waiting = PendingBallot.objects.all()
    if contest is not None:
        stored, waiting = stored.filter(contest=contest), waiting.filter(contest=contest)
    ballots = list(stored)
    for pending in waiting:
        choices, receipt = unseal(pending_id=pending.pk, contest_id=pending.contest_id, sealed=pending.sealed)
        ballots.append(
            Ballot(id=None, contest_id=pending.contest_id, choices=choices, receipt=receipt, channel="online")
        )
    return ballots


def cast_ballot():
    """The one online ballot cast (mixed or waiting)."""
    (ballot,) = cast_ballots()
    return ballot
