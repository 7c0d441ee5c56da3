import datetime as dt

import pytest
from django.urls import reverse

from elections import lifecycle
from elections.services import election_transition
from tests.factories import ElectionFactory


@pytest.mark.django_db
def test_results_page_waits_for_publication(client):
    election = ElectionFactory(
        voting_starts_at=dt.datetime(2020, 1, 1, 3, tzinfo=dt.UTC),
        voting_ends_at=dt.datetime(2020, 1, 1, 13, tzinfo=dt.UTC),
    )
    for t in lifecycle.TRANSITIONS[:5]:  # up to "certified"
        election = election_transition(election=election, transition=t.name, actor=None)
    url = reverse("protocols:results", args=[election.slug])
    assert 'id="results-not-published"' in client.get(url).content.decode()
    election_transition(election=election, transition="publish", actor=None)
    body = client.get(url).content.decode()
    assert 'id="results-not-published"' not in body
    assert "Результаты опубликованы" in body
