import pytest
from django.db import connection
from django.utils import translation

from accounts.models import Role

from .ballots.fixtures import vote  # noqa: F401 - a shared fixture
from .factories import CommissionFactory, ElectionFactory, GroupFactory, user_with_role


@pytest.fixture(autouse=True, scope="session")
def _urls_loaded_before_any_clock_is_frozen():
    """The URLconf imports the API's schemas, which pydantic builds from ``datetime``: imported
    for the first time inside a test that froze the clock (freezegun), they would meet freezegun's
    stand-in class and fail, so a test alone (or first on its worker) failed where the whole suite
    passed. Loaded once, before any test."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - the import is the point


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _russian_by_default():
    """Each test starts in the default language, whatever the previous request activated."""
    translation.activate("ru")
    yield
    translation.activate("ru")


@pytest.fixture(autouse=True)
def _eager_celery(settings):
    """Unit tests run tasks in-process; tests marked `redis` use a real worker instead."""
    from electionportal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def election(db):
    return ElectionFactory()


@pytest.fixture
def structure(db):
    """One election with two groups (A, B), a mandate commission for each, and a user per role."""
    election = ElectionFactory()
    group_a = GroupFactory(election=election, slug="a", name_ru="Группа А")
    group_b = GroupFactory(election=election, slug="b", name_ru="Группа Б")
    commission_a = CommissionFactory(election=election, group=group_a, name_ru="Комиссия А")
    commission_b = CommissionFactory(election=election, group=group_b, name_ru="Комиссия Б")
    users = {
        "secretariat": user_with_role(Role.SECRETARIAT),
        "org_committee_a": user_with_role(Role.ORG_COMMITTEE, group=group_a),
        "commission_a": user_with_role(Role.COMMISSION_MEMBER, commission=commission_a),
        "candidate_a": user_with_role(Role.CANDIDATE, group=group_a),
        "voter_a": user_with_role(Role.VOTER, group=group_a),
        "observer": user_with_role(Role.OBSERVER, election=election),
    }
    return {
        "election": election,
        "group_a": group_a,
        "group_b": group_b,
        "commission_a": commission_a,
        "commission_b": commission_b,
        "users": users,
    }


def on_postgresql() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def _public_cache_off(settings):
    """A test's changes never commit (its transaction is rolled back), so the public pages' cache
    would never see them: off, but in the tests of the cache itself (tests/elections/
    test_public_cache.py), which commit their callbacks."""
    settings.PUBLIC_PAGE_CACHE = False
