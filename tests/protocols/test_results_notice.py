"""The notice of the results pages before publication says where the results stand."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from elections.services import election_transition
from tests.protocols.publication_fixtures import ccm_signed

pytestmark = pytest.mark.django_db

WAITING = "Results are published here after the commissions have signed their protocols"
CERTIFIED = "The results are certified and await publication by the secretariat."


def _page(client, election, name, *args) -> str:
    with translation.override("en"):
        url = reverse(f"protocols:{name}", args=[election.slug, *args])
    response = client.get(url)
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def test_certified_results_are_said_to_await_publication(counted, client):
    ccm_signed(counted)
    election, group = counted["election"], counted["group"]
    for args in (("results",), ("results_group", group.slug)):
        body = _page(client, election, *args)
        assert 'id="results-not-published"' in body and WAITING in body and CERTIFIED not in body
    election = election_transition(election=election, transition="certify", actor=None)
    for args in (("results",), ("results_group", group.slug)):
        body = _page(client, election, *args)
        assert 'id="results-not-published"' in body
        assert CERTIFIED in body and WAITING not in body
        assert "Current stage of the election: Results certified." in body
