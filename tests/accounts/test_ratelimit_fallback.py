"""The rate limit of the public forms survives a cache that is down (issue 16, deliverable 3): the
request is answered (counted in the process, the limit still enforced there), not failed with a
server error, and the outage is logged. Both with a cache backend that raises and with a real Redis
cache client pointed at a closed port."""

import logging
import socket

import pytest
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache

from accounts import ratelimit
from tests.browser.setup import ccm_election

pytestmark = pytest.mark.django_db


class DownCache(BaseCache):
    """A cache whose every operation fails like a Redis client whose server is gone."""

    def __init__(self, location, params):
        super().__init__(params)

    def _down(self, *args, **kwargs):
        raise ConnectionError("Error 111 connecting to the cache. Connection refused.")

    add = get = set = delete = incr = touch = has_key = clear = _down


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # free, and nothing listens there once closed


@pytest.fixture(autouse=True)
def _fresh_limiter():
    ratelimit.reset_fallback()
    yield
    ratelimit.reset_fallback()
    for alias in caches:
        caches[alias].close()
    del caches["default"]  # the next test gets the configured cache again


def _use(settings, backend, location=""):
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": location}}


def test_counting_falls_back_to_the_process_and_logs_it(settings, caplog):
    _use(settings, "tests.accounts.test_ratelimit_fallback.DownCache")
    with caplog.at_level(logging.WARNING, logger="accounts.ratelimit"):
        results = [ratelimit.hit("test", "10.0.0.1", limit=3) for _ in range(5)]
    assert results == [True, True, True, False, False]  # still limited, in memory
    assert ratelimit.hit("test", "10.0.0.2", limit=3)  # per key
    warnings = [r for r in caplog.records if "cache is unreachable" in r.getMessage()]
    assert len(warnings) == 1  # logged once, not once per request


def test_a_public_form_answers_with_redis_down(settings, client, caplog):
    """A real Redis cache client pointed at a closed port: the public complaint form still answers
    (an empty form is shown again with its errors) and its per-address limit still holds."""
    _use(settings, "django.core.cache.backends.redis.RedisCache", f"redis://127.0.0.1:{closed_port()}/0")
    settings.VOTER_FORM_RATE = 2
    url = f"/en/elections/{ccm_election()['election'].slug}/results/complaints/new/"
    with caplog.at_level(logging.WARNING, logger="accounts.ratelimit"):
        statuses = [client.post(url, {}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert any("cache is unreachable" in r.getMessage() for r in caplog.records)


def test_the_cache_is_used_again_after_it_came_back(settings, monkeypatch):
    monkeypatch.setattr(ratelimit, "CACHE_RETRY_SECONDS", 0)
    _use(settings, "tests.accounts.test_ratelimit_fallback.DownCache")
    assert ratelimit.count("back", "k1") == 1  # in the process
    _use(settings, "django.core.cache.backends.locmem.LocMemCache", "ratelimit-back")
    assert ratelimit.count("back", "k2") == 1
    assert ratelimit.count("back", "k2") == 2
    assert not any(":k2:" in key for key in ratelimit.memory._counts)  # counted in the cache
