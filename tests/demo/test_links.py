"""Only usable links (issue 15, item 8): every demo role follows every link and GET form of its
pages from its start pages, breadth first, and meets no 403, 404 or 500; every POST form a page
offers is submitted with its pre-filled fields inside a rolled-back transaction and must not be
refused with 403 (the view's permission check and the service's own checks run for real, so the
button and the service cannot disagree). The demo is loaded once for the package (see conftest).
"""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from freezegun import freeze_time

from candidates import deadlines
from candidates.models import Application
from candidates.selectors import settings_for
from elections.models import Election
from tests.accounts.crawler import crawl

pytestmark = pytest.mark.django_db

ROLES = [
    "secretariat@demo.example",
    "orgcom@demo.example",
    "commission@demo.example",
    "candidate@demo.example",
    "voter@demo.example",
    "observer@demo.example",
    "cec@demo.example",
    "tec-bishkek@demo.example",
    "tec-ibraimov@demo.example",
    "pec-1001@demo.example",
    "pec-1003@demo.example",
    "party-horizon@demo.example",
    None,  # the public
]


def _client(client, email):
    if email:
        client.force_login(get_user_model().objects.get(email=email))
    return client


@pytest.mark.parametrize("email", ROLES, ids=[e or "public" for e in ROLES])
def test_every_link_and_button_of_a_role_is_usable(demo, client, email):
    start = ["/"] if email is None else ["/", "/accounts/profile/"]
    report = crawl(_client(client, email), start, max_pages=400, anonymous=email is None)
    assert report.pages > 50  # the crawl really walked the portal
    assert report.problems == [], "\n".join(report.problems)


def _ccm():
    return Election.objects.get(slug="ccm-kz-2024")


def _candidate_application():
    user = get_user_model().objects.get(email="candidate@demo.example")
    return Application.objects.filter(election=_ccm(), user=user, status__in=Application.STANDING).first()


def test_withdraw_is_offered_before_the_deadline_and_not_after(demo, client):
    application = _candidate_application()
    assert application is not None
    election = _ccm()
    due = deadlines.withdrawal_deadline(election, settings_for(election)).due_at
    _client(client, "candidate@demo.example")
    url = f"/en/elections/{election.slug}/candidates/my/"
    withdraw_url = f"/en/elections/{election.slug}/candidates/applications/{application.pk}/withdraw/"
    with freeze_time(due - dt.timedelta(hours=1)):
        page = client.get(url).content.decode()
        assert withdraw_url in page
    with freeze_time(due):
        page = client.get(url).content.decode()
        assert withdraw_url not in page
        # and the service agrees: a withdrawal sent anyway is refused
        client.post(withdraw_url, {"reason": "Changed my mind", "confirm": "on"})
    application.refresh_from_db()
    assert application.is_standing


def test_the_application_form_is_not_shown_when_applications_are_closed(demo, client):
    _client(client, "candidate@demo.example")
    page = client.get("/en/elections/ccm-kz-2024/candidates/apply/").content.decode()
    assert 'id="apply-form"' not in page
    assert "Applications are not accepted now" in page


def test_enter_by_hand_is_offered_only_for_the_users_own_precinct(demo, client):
    _client(client, "pec-1001@demo.example")
    page = client.get("/en/elections/kg-local-2016/results/aggregation/preliminary/").content.decode()
    assert "/aggregation/preliminary/1001/" in page
    for other in (1002, 1003, 1004, 1005, 1006):
        assert f"/aggregation/preliminary/{other}/" not in page
    assert client.get("/en/elections/kg-local-2016/results/aggregation/preliminary/1001/").status_code == 200


def test_the_tec_enters_by_hand_for_its_own_precincts_only(demo, client):
    _client(client, "tec-bishkek@demo.example")
    page = client.get("/en/elections/kg-local-2016/results/aggregation/preliminary/").content.decode()
    assert all(f"/aggregation/preliminary/{n}/" in page for n in (1001, 1002, 1003))
    assert not any(f"/aggregation/preliminary/{n}/" in page for n in (1004, 1005, 1006))


def test_an_observer_gets_a_sentence_instead_of_forms_it_may_not_send(demo, client):
    _client(client, "observer@demo.example")
    page = client.get("/en/elections/kg-local-2016/groups/observers/apply/").content.decode()
    assert 'id="observer-apply-form"' not in page
    assert "Observers watch the election and change nothing in it." in page


def test_a_party_can_neither_recall_its_list_nor_add_candidates_after_the_deadlines(demo, client):
    from candidates.models import PartyList

    _client(client, "party-horizon@demo.example")
    party_list = PartyList.objects.filter(representative__email="party-horizon@demo.example").first()
    page = client.get(f"/en/elections/kg-local-2016/candidates/party-lists/{party_list.pk}/").content.decode()
    assert "/withdraw/" not in page and "Recall the list" not in page
    assert "?party_list=" not in page
    assert "No candidates can be added to the list now." in page
    # the applications on its list: no link to the candidates' private files it may not open
    mine = client.get("/en/elections/kg-local-2016/candidates/my/").content.decode()
    assert "/document/" not in mine and "certificate.pdf" not in mine
