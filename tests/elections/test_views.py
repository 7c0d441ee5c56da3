import datetime as dt

import pytest
from django.urls import reverse

from elections.models import AuditEntry, Election
from elections.services import election_transition
from tests.factories import ElectionFactory


@pytest.mark.django_db
def test_home_in_russian_by_default_and_english_on_request(client):
    election = ElectionFactory(title_ru="Выборы тестовые", title_en="Test election")
    election_transition(election=election, transition="announce", actor=None)
    ru = client.get("/").content.decode()
    assert '<html lang="ru">' in ru and "Выборы тестовые" in ru and "Выборы" in ru
    en = client.get("/en/").content.decode()
    assert '<html lang="en">' in en and "Test election" in en and "Elections" in en


@pytest.mark.django_db
def test_language_switcher_sets_the_language(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    assert response.redirect_chain[-1][0] == "/en/"
    assert '<html lang="en">' in response.content.decode()


@pytest.mark.django_db
def test_drafts_are_hidden_from_the_public(client, election):
    assert election.state == Election.State.DRAFT
    assert election.title_ru not in client.get("/").content.decode()
    assert client.get(reverse("elections:detail", args=[election.slug])).status_code == 404


@pytest.mark.django_db
def test_secretariat_creates_an_election_in_its_time_zone(client, structure):
    client.force_login(structure["users"]["secretariat"])
    assert client.get(reverse("elections:create")).status_code == 200
    response = client.post(
        reverse("elections:create"),
        {
            "title_ru": "Выборы в совет",
            "title_en": "Council election",
            "slug": "council-2031",
            "kind": "local_council",
            "time_zone": "Asia/Bishkek",
            "voting_day": "2031-03-02",
            "voting_starts_at": "2031-03-02T08:00",
            "voting_ends_at": "2031-03-02T20:00",
            "description_ru": "",
            "description_en": "",
        },
    )
    assert response.status_code == 302
    election = Election.objects.get(slug="council-2031")
    assert election.state == Election.State.DRAFT
    # 08:00 in Bishkek (UTC+6) is stored as 02:00 UTC
    assert election.voting_starts_at == dt.datetime(2031, 3, 2, 2, 0, tzinfo=dt.UTC)
    entry = AuditEntry.objects.get(action="elections.election.created", election=election)
    assert entry.actor == structure["users"]["secretariat"]
    detail = client.get(reverse("elections:detail", args=["council-2031"])).content.decode()
    assert "08:00" in detail


@pytest.mark.django_db
def test_invalid_election_gets_translated_errors_and_nothing_is_stored(client, structure):
    client.force_login(structure["users"]["secretariat"])
    before = AuditEntry.objects.count()
    response = client.post(
        reverse("elections:create"),
        {
            "title_ru": "",
            "slug": "bad slug!",
            "kind": "other",
            "time_zone": "Asia/Almaty",
            "voting_starts_at": "2031-03-02T20:00",
            "voting_ends_at": "2031-03-02T08:00",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Обязательное поле." in body
    assert "Голосование должно закрываться позже, чем открывается." in body
    assert not Election.objects.filter(title_ru="").exists()
    assert AuditEntry.objects.count() == before


@pytest.mark.django_db
def test_secretariat_edits_an_election(client, structure):
    election = structure["election"]
    client.force_login(structure["users"]["secretariat"])
    form = client.get(reverse("elections:edit", args=[election.slug])).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["voting_starts_at"] = "2030-08-17T09:00"
    data["voting_ends_at"] = "2030-08-17T19:00"
    data["voting_day"] = "2030-08-17"
    data["title_en"] = "Edited"
    response = client.post(reverse("elections:edit", args=[election.slug]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    election.refresh_from_db()
    assert election.title_en == "Edited"
    assert election.local(election.voting_ends_at).hour == 19


@pytest.mark.parametrize("role", ["observer", "org_committee_a", "voter_a", "candidate_a", "commission_a"])
@pytest.mark.django_db
def test_only_the_secretariat_creates_and_edits(client, structure, role):
    client.force_login(structure["users"][role])
    assert client.get(reverse("elections:create")).status_code == 403
    status = client.get(reverse("elections:edit", args=[structure["election"].slug])).status_code
    assert status == 403


@pytest.mark.django_db
def test_anonymous_is_sent_to_login_for_secretariat_pages(client):
    response = client.get(reverse("elections:create"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_members_see_their_draft_election(client, structure):
    client.force_login(structure["users"]["observer"])
    assert client.get(reverse("elections:detail", args=[structure["election"].slug])).status_code == 200


@pytest.mark.django_db
def test_error_pages_are_translated(client, structure):
    assert "Страница не найдена" in client.get("/elections/nope/").content.decode()
    assert "Page not found" in client.get("/en/elections/nope/").content.decode()
    client.force_login(structure["users"]["voter_a"])
    assert "Доступ запрещён" in client.get("/elections/new/").content.decode()
    assert "Access denied" in client.get("/en/elections/new/").content.decode()


@pytest.mark.django_db
def test_secretariat_of_one_election_cannot_edit_another(client, structure):
    from accounts.models import Role
    from tests.factories import user_with_role

    other = ElectionFactory()
    local_secretary = user_with_role(Role.SECRETARIAT, election=structure["election"])
    client.force_login(local_secretary)
    assert client.get(reverse("elections:edit", args=[structure["election"].slug])).status_code == 200
    assert client.get(reverse("elections:edit", args=[other.slug])).status_code in (403, 404)
    assert client.get(reverse("elections:create")).status_code == 403


def test_server_error_page_renders_without_context():
    from django.test import RequestFactory

    from electionportal.errors import server_error

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Ошибка сервера" in response.content.decode()


@pytest.mark.django_db
def test_audit_log_page_for_observer_not_voter(client, structure):
    url = reverse("elections:audit_log", args=[structure["election"].slug])
    client.force_login(structure["users"]["observer"])
    body = client.get(url).content.decode()
    assert "elections.election.created" in body
    client.force_login(structure["users"]["voter_a"])
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_an_election_is_created_with_its_state_language_and_its_texts_in_it(client, structure):
    """Issue 22: the languages of the official copies (Russian always among them), the election's
    own language, and the title in Kazakh shown on the Kazakh pages (Russian elsewhere)."""
    from django.utils import translation

    from protocols.services.pdf import documents_for

    client.force_login(structure["users"]["secretariat"])
    response = client.post(
        reverse("elections:create"),
        {
            "title_ru": "Выборы в совет",
            "title_kk": "Кеңеске сайлау",
            "slug": "council-kk",
            "kind": "local_council",
            "default_language": "kk",
            "official_languages": ["kk"],
            "time_zone": "Asia/Almaty",
            "voting_day": "2031-03-02",
            "voting_starts_at": "2031-03-02T08:00",
            "voting_ends_at": "2031-03-02T20:00",
        },
    )
    assert response.status_code == 302
    election = Election.objects.get(slug="council-kk")
    assert election.official_languages == ["ru", "kk"] and election.default_language == "kk"
    assert documents_for(election) == (("ru", 1), ("ru", 2), ("kk", 1), ("kk", 2), ("en", 1))
    with translation.override("kk"):
        assert election.title == "Кеңеске сайлау"
    with translation.override("ky"):
        assert election.title == "Выборы в совет"  # no Kyrgyz title: Russian
    page = client.get("/kk" + reverse("elections:detail", args=[election.slug])).content.decode()
    assert "Кеңеске сайлау" in page
