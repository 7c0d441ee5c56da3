"""Public pages under a crowd (issue 23, elections/public_cache.py): a visitor without a session
gets the election's public pages from the shared cache, refreshed when a change of the election
commits, with ETag / Last-Modified / 304; logged-in users never get a snapshot; a cached form
carries the visitor's own CSRF token.

On ``kg_counting`` (tests/protocols/conftest.py): the public preliminary results of a council at
the counting stage, which a PEC's automated count keeps feeding on election night."""

import copy
import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from protocols.services.preliminary import preliminary_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_cache(settings):
    """The cache on, with keys of this test's own (with Redis the cache is shared by the parallel
    test processes and by the broker: nothing is flushed)."""
    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    settings.CACHES = caches
    settings.PUBLIC_PAGE_CACHE = True
    settings.PUBLIC_PAGE_REFRESH = 0
    settings.PUBLIC_PAGE_MAX_AGE = 60
    return settings


def without_token(response) -> str:
    """The page but for its CSRF token (each visitor gets their own)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def report(k, precinct, valid, django_capture_on_commit_callbacks):
    """A precinct's automated count posts preliminary figures; the change commits."""
    a, b, against = (o.code for o in k["options"])
    with django_capture_on_commit_callbacks(execute=True):
        preliminary_record(
            contest=k["contest"],
            unit=k["precincts"][precinct],
            figures={"ballots_valid": valid},
            votes={a: valid, b: 5, against: 5},
            source="automated",
            actor=k["tec_member"],
        )


def test_a_crowd_gets_the_snapshot_until_a_change_commits(
    kg_counting, public_cache, client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    k = kg_counting
    url = reverse("protocols:preliminary_public", kwargs={"slug": k["election"].slug})
    report(k, 0, 777, django_capture_on_commit_callbacks)
    first = client.get(url)
    assert first.status_code == 200 and "777" in first.content.decode()
    assert first["ETag"] and first["Last-Modified"] and first["Cache-Control"] == "no-cache"
    assert "Данные на" in first.content.decode()  # the page states the time of its figures
    with django_assert_num_queries(0):  # the crowd is answered from the cache alone
        again = client.get(url)
    assert without_token(again) == without_token(first) and again["ETag"] == first["ETag"]
    with django_assert_num_queries(0):
        unchanged = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert unchanged.status_code == 304
    unchanged = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert unchanged.status_code == 304

    report(k, 1, 555, django_capture_on_commit_callbacks)  # a new precinct reports
    fresh = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert fresh.status_code == 200 and "2 из 2 участков передали данные" in fresh.content.decode()
    assert fresh["ETag"] != first["ETag"]


def test_a_change_shows_at_the_latest_after_the_stated_refresh(
    kg_counting, public_cache, client, django_capture_on_commit_callbacks
):
    k = kg_counting
    public_cache.PUBLIC_PAGE_REFRESH = 3600  # a changed page waits for the refresh interval
    url = reverse("protocols:preliminary_public", kwargs={"slug": k["election"].slug})
    report(k, 0, 777, django_capture_on_commit_callbacks)
    assert "777" in client.get(url).content.decode()
    report(k, 1, 555, django_capture_on_commit_callbacks)
    assert (
        "1 из 2 участков передали данные" in client.get(url).content.decode()
    )  # inside the bound: the snapshot
    public_cache.PUBLIC_PAGE_REFRESH = 0
    assert "2 из 2 участков передали данные" in client.get(url).content.decode()  # after it: the change


def test_a_change_without_an_audit_entry_shows_after_the_maximum_age(
    kg_counting, public_cache, client, django_capture_on_commit_callbacks
):
    k = kg_counting
    url = reverse("protocols:preliminary_public", kwargs={"slug": k["election"].slug})
    report(k, 0, 777, django_capture_on_commit_callbacks)
    assert "777" in client.get(url).content.decode()
    from protocols.models import PreliminaryResult

    a, b, against = (o.code for o in k["options"])
    PreliminaryResult.objects.filter(election=k["election"]).update(votes={a: 778, b: 5, against: 5})
    assert "778" not in client.get(url).content.decode()
    public_cache.PUBLIC_PAGE_MAX_AGE = 0
    assert "778" in client.get(url).content.decode()


def test_logged_in_users_always_get_a_fresh_page(
    kg_counting, public_cache, client, django_capture_on_commit_callbacks
):
    k = kg_counting
    url = reverse("protocols:preliminary_public", kwargs={"slug": k["election"].slug})
    report(k, 0, 777, django_capture_on_commit_callbacks)
    client.get(url)  # a snapshot exists now
    client.force_login(k["tec_member"])
    page = client.get(url)
    assert "ETag" not in page  # rendered for this user, with their own menu
    assert reverse("accounts:logout") in page.content.decode()


def test_a_cached_page_carries_each_visitors_own_csrf_token(kg_counting, public_cache, settings):
    k = kg_counting
    url = reverse("protocols:preliminary_public", kwargs={"slug": k["election"].slug})
    Client().get(url)  # the snapshot, rendered for someone else
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(url)
    body = page.content.decode()
    assert "__public-cache-csrf-token__" not in body
    token = body.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    assert settings.CSRF_COOKIE_NAME in visitor.cookies
    switched = visitor.post(
        reverse("set_language"), {"language": "en", "next": url, "csrfmiddlewaretoken": token}
    )
    assert switched.status_code == 302  # the language form works from the cached page


def test_pages_of_other_elections_and_private_pages_are_not_cached(kg_counting, public_cache, client):
    k = kg_counting
    private = reverse("protocols:aggregation_index", kwargs={"slug": k["election"].slug})
    assert "ETag" not in client.get(private)  # a login page redirect, never a snapshot
    missing = reverse("protocols:preliminary_public", kwargs={"slug": "no-such-election"})
    assert client.get(missing).status_code == 404
    assert client.get(missing).status_code == 404  # a 404 is not kept
