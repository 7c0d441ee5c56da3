"""Irreversible steps are confirmed (issue 15, deliverable 6): each lifecycle step and the freezing
of the voter list opens a page that says what will happen, what will be locked and who will be
told, with the figures of this election; a POST without the confirmation changes nothing; the
confirmed POST takes the step once; a blocked step offers no button."""

import pytest
from django.urls import reverse

from ballots.models import Contest
from elections.models import AuditEntry, Election
from elections.services import election_transition

pytestmark = pytest.mark.django_db
S = Election.State


def test_open_voting_says_which_ballots_are_locked_and_that_no_mail_leaves(vote_ready, client):
    election, secretariat = vote_ready["election"], vote_ready["secretariat"]
    client.force_login(secretariat)
    url = reverse("elections:transition", args=[election.slug, "open_voting"])
    page = client.get(url).content.decode()
    assert "Блокируется 1 бюллетень: Член и альтернат." in page
    assert "Этот шаг не отправляет писем" in page
    assert 'id="confirm-step"' in page
    before = AuditEntry.objects.filter(action="elections.election.voting_opened").count()
    client.post(url, {})
    assert Election.objects.get(pk=election.pk).state == S.REGISTRATION
    assert Contest.objects.get(pk=vote_ready["contest"].pk).locked_at is None
    client.post(url, {"confirm": "yes"})
    assert Election.objects.get(pk=election.pk).state == S.VOTING
    assert AuditEntry.objects.filter(action="elections.election.voting_opened").count() == before + 1
    client.post(url, {"confirm": "yes"})  # a second press changes nothing more
    assert AuditEntry.objects.filter(action="elections.election.voting_opened").count() == before + 1


def test_every_step_has_a_page_with_its_consequences(structure, client):
    from elections import lifecycle

    client.force_login(structure["users"]["secretariat"])
    for transition in lifecycle.TRANSITIONS:
        url = reverse("elections:transition", args=[structure["election"].slug, transition.name])
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="ru")
        assert response.status_code == 200, transition.name
        assert 'id="consequences"' in response.content.decode(), transition.name
    assert (
        client.get(reverse("elections:transition", args=[structure["election"].slug, "nonsense"])).status_code
        == 404
    )


def test_the_election_page_links_to_the_confirmation_instead_of_posting(structure, client):
    client.force_login(structure["users"]["secretariat"])
    page = client.get(reverse("elections:detail", args=[structure["election"].slug])).content.decode()
    url = reverse("elections:transition", args=[structure["election"].slug, "announce"])
    assert f'href="{url}"' in page and f'action="{url}"' not in page


def test_freeze_confirmation(kg_register, client):
    election, secretariat = kg_register["election"], kg_register["secretariat"]
    client.force_login(secretariat)
    url = reverse("voters:freeze", args=[election.slug])
    page = client.get(url).content.decode()
    assert "Закрепляется окончательный список: 3 избирателя на участках: 1" in page
    client.post(url, {"confirm": "1"})  # the old one-click form's value: not a confirmation
    from voters.selectors import voter_settings

    assert not voter_settings(election).is_list_frozen
    client.post(url, {"confirm": "yes"})
    assert voter_settings(election).is_list_frozen


@pytest.fixture
def vote_ready(vote):
    """The ``vote`` election brought back to registration: its ballot is ready and unlocked."""
    from accounts.models import Role
    from tests.factories import user_with_role

    Election.objects.filter(pk=vote["election"].pk).update(state=S.REGISTRATION)
    Contest.objects.filter(election=vote["election"]).update(locked_at=None)
    return {
        **vote,
        "election": Election.objects.get(pk=vote["election"].pk),
        "secretariat": user_with_role(Role.SECRETARIAT),
    }


@pytest.fixture
def kg_register(db):
    from accounts.models import Role
    from groups.models import TerritorialUnit
    from tests.factories import ElectionFactory, user_with_role
    from voters.models import RegisterEntry

    election = ElectionFactory(slug="kg-freeze", kind="local_council", time_zone="Asia/Bishkek")
    district = TerritorialUnit.objects.create(election=election, kind="district", number=1, name_ru="Округ")
    precinct = TerritorialUnit.objects.create(
        election=election, kind="precinct", parent=district, number=1001, name_ru="Участок", voters_on_list=3
    )
    for n in range(3):
        RegisterEntry.objects.create(
            election=election,
            precinct=precinct,
            personal_number=f"2{n:013d}",
            last_name=f"Фамилия{n}",
            first_name="Имя",
            birth_date="1980-01-01",
        )
    for name in ("announce", "open_registration"):
        election = election_transition(election=election, transition=name, actor=None)
    return {"election": election, "secretariat": user_with_role(Role.SECRETARIAT)}
