import pytest
from django.urls import reverse

from elections.services import election_transition


@pytest.mark.django_db
def test_public_group_list_shows_groups_seats_and_commissions(client, structure):
    election = election_transition(election=structure["election"], transition="announce", actor=None)
    body = client.get(reverse("groups:list", args=[election.slug])).content.decode()
    assert "Группа А" in body and "Группа Б" in body
    assert "Комиссия А" in body and "Мандатная комиссия" in body


@pytest.mark.django_db
def test_group_list_of_a_draft_is_hidden(client, structure):
    assert client.get(reverse("groups:list", args=[structure["election"].slug])).status_code == 404


@pytest.mark.django_db
def test_group_belongs_to_one_election(structure):
    from django.core.exceptions import ValidationError

    from groups.services import commission_create
    from tests.factories import ElectionFactory

    other = ElectionFactory()
    with pytest.raises(ValidationError):
        commission_create(election=other, actor=None, kind="mandate", name_ru="X", group=structure["group_a"])
