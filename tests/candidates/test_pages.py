import pytest
from django.urls import reverse

from elections.services import election_transition


@pytest.mark.django_db
def test_candidate_list_is_public_per_group(client, structure):
    election = election_transition(election=structure["election"], transition="announce", actor=None)
    body = client.get(reverse("candidates:list", args=[election.slug])).content.decode()
    assert "Группа А" in body
    assert "Допущенных кандидатов пока нет." in body
    en = client.get("/en" + reverse("candidates:list", args=[election.slug])).content.decode()
    assert "No admitted candidates yet." in en
