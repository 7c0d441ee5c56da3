"""Voting from the account (no link): a voter who has voted is told so, not that "this voting
link has already been used" — they never had a link in this path."""

import pytest
from freezegun import freeze_time

from accounts.models import Role
from ballots import services
from tests.ballots.fixtures import OPEN
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def test_an_account_voter_who_voted_is_told_the_vote_is_recorded_not_about_a_link(vote, client):
    registration = vote["registrations"][0]
    user = user_with_role(Role.VOTER, election=vote["election"], email="voter@example.org")
    registration.user = user
    registration.save(update_fields=["user"])
    with freeze_time(OPEN):
        services.ballot_cast(credential=vote["credentials"][0], choices=[vote["alpha"].code])
        client.force_login(user)
        page = client.get(f"/en/elections/{vote['election'].slug}/voting/account/").content.decode()
    assert "Your vote is already recorded" in page
    assert "link" not in page.split('id="link-problem"')[1].split("</div>")[0]
