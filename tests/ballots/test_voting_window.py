import datetime as dt

import pytest
from django.urls import reverse
from freezegun import freeze_time

from ballots.selectors import voting_window
from elections.services import election_transition

# the factory's window: 2030-08-17 09:00–18:00 Asia/Almaty, which is UTC+5 since March 2024 (04:00–13:00 UTC)


def _at_voting(election):
    for name in ("announce", "open_registration", "open_voting"):
        election = election_transition(election=election, transition=name, actor=None)
    return election


@pytest.mark.django_db
def test_window_follows_server_clock_and_stage(election):
    utc = dt.UTC
    assert (
        voting_window(election, dt.datetime(2030, 8, 17, 5, tzinfo=utc)).status == "before"
    )  # still a draft
    election = _at_voting(election)
    assert voting_window(election, dt.datetime(2030, 8, 17, 3, 59, tzinfo=utc)).status == "before"
    assert voting_window(election, dt.datetime(2030, 8, 17, 4, 0, tzinfo=utc)).status == "open"
    assert voting_window(election, dt.datetime(2030, 8, 17, 12, 59, 59, tzinfo=utc)).status == "open"
    assert voting_window(election, dt.datetime(2030, 8, 17, 13, 0, tzinfo=utc)).status == "closed"


@pytest.mark.django_db
def test_voting_page_shows_local_times_and_status(client, election):
    election = _at_voting(election)
    with freeze_time("2030-08-17 05:00:00+00:00"):
        body = client.get(reverse("ballots:info", args=[election.slug])).content.decode()
    assert "Голосование открыто" in body
    assert "09:00" in body and "18:00" in body and "Asia/Almaty" in body
    with freeze_time("2030-08-17 13:00:01+00:00"):
        body = client.get(reverse("ballots:info", args=[election.slug])).content.decode()
    assert "Голосование завершено" in body
