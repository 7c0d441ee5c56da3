"""Password-reset requests are throttled (issue 16, deliverable 4) per client address and per
e-mail: beyond the limit the form says so in plain words, answers 429 and sends no mail, so a flood
of requests cannot flood a mailbox; the count tells nothing about which addresses have accounts."""

import pytest
from django.urls import reverse
from freezegun import freeze_time

from accounts import ratelimit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_cache(settings, tmp_path):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": str(tmp_path)}
    }
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 5
    settings.PASSWORD_RESET_LIMIT_PER_EMAIL = 2
    ratelimit.reset_fallback()
    yield
    from django.core.cache import cache

    cache.clear()


def ask(client, email, address="10.1.0.1"):
    return client.post(reverse("accounts:password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_a_flood_for_one_account_sends_only_the_allowed_mails(client, mailoutbox):
    UserFactory(email="anna@example.org")
    statuses = [ask(client, "anna@example.org", address=f"10.2.0.{n}").status_code for n in range(10)]
    assert statuses == [302, 302] + [429] * 8  # from ten addresses: the e-mail's own limit
    assert len(mailoutbox) == 2


def test_the_refusal_is_plain_and_translated_and_sends_nothing(client, mailoutbox):
    UserFactory(email="anna@example.org")
    ask(client, "anna@example.org")
    ask(client, "anna@example.org")
    mailoutbox.clear()
    response = ask(client, "anna@example.org")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Слишком много запросов на сброс пароля" in page and "Письмо не отправлено" in page
    assert mailoutbox == []
    english = client.post(
        "/en/accounts/password-reset/", {"email": "anna@example.org"}, REMOTE_ADDR="10.1.0.1"
    )
    assert english.status_code == 429
    assert "No e-mail was sent. Try again in" in english.content.decode()


def test_one_address_cannot_ask_for_many_accounts(client, mailoutbox):
    for n in range(7):
        UserFactory(email=f"user{n}@example.org")
    statuses = [ask(client, f"user{n}@example.org").status_code for n in range(7)]
    assert statuses == [302] * 5 + [429] * 2
    assert len(mailoutbox) == 5
    assert ask(client, "user6@example.org", address="10.1.0.2").status_code == 302  # another address


def test_unknown_addresses_are_counted_the_same_so_nothing_is_revealed(client, mailoutbox):
    UserFactory(email="anna@example.org")
    known = [ask(client, "anna@example.org", address="10.3.0.1").status_code for _ in range(3)]
    unknown = [ask(client, "ghost@example.org", address="10.3.0.2").status_code for _ in range(3)]
    assert known == unknown == [302, 302, 429]


def test_the_limit_is_per_hour(client, mailoutbox):
    UserFactory(email="anna@example.org")
    with freeze_time("2026-03-01 10:05:00"):
        assert [ask(client, "anna@example.org").status_code for _ in range(3)] == [302, 302, 429]
        assert (
            "55"
            in client.post(
                "/en/accounts/password-reset/", {"email": "anna@example.org"}, REMOTE_ADDR="10.1.0.1"
            ).content.decode()
        )  # "Try again in 55 minutes"
    with freeze_time("2026-03-01 11:00:01"):
        assert ask(client, "anna@example.org").status_code == 302
    assert len(mailoutbox) == 3
