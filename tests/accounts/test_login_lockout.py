"""Repeated failed logins lock the account and the address (issue 16, deliverable 4, with
django-axes): after the limit, even the right password is refused with a plain page; a success
before the limit starts the count again; the secretariat's unlock lets the user in."""

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import Role
from tests.factories import PASSWORD, user_with_role

pytestmark = pytest.mark.django_db


def attempt(client, email, password, address="127.0.0.9"):
    return client.post(
        reverse("accounts:login"), {"username": email, "password": password}, REMOTE_ADDR=address
    )


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_after_the_limit_even_the_right_password_is_refused(client):
    user = user_with_role(Role.SECRETARIAT, email="target@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, user.email, "wrong-password").status_code == 200  # the form again
    assert attempt(client, user.email, "wrong-password").status_code == 429  # the limit: locked
    response = attempt(client, user.email, PASSWORD)
    assert response.status_code == 429
    assert "Слишком много неудачных попыток входа" in response.content.decode()
    assert not logged_in(client)
    # another address does not help: the account itself is locked
    assert attempt(client, user.email, PASSWORD, address="127.0.0.10").status_code == 429


def test_the_address_is_locked_for_every_account(client):
    users = [user_with_role(Role.SECRETARIAT, email=f"u{n}@example.org") for n in range(2)]
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, f"nobody{n}@example.org", "wrong-password", address="127.0.0.11")
    assert attempt(client, users[0].email, PASSWORD, address="127.0.0.11").status_code == 429
    assert attempt(client, users[1].email, PASSWORD, address="127.0.0.12").status_code == 302


def test_a_success_before_the_limit_starts_the_count_again(client):
    user = user_with_role(Role.SECRETARIAT, email="careful@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, user.email, "wrong-password")
    assert attempt(client, user.email, PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, user.email, "wrong-password")
    assert attempt(client, user.email, PASSWORD).status_code == 302


def test_the_secretariat_unlocks_the_account(client):
    from axes.models import AccessAttempt

    user = user_with_role(Role.SECRETARIAT, email="locked@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, user.email, "wrong-password")
    assert attempt(client, user.email, PASSWORD).status_code == 429
    AccessAttempt.objects.filter(username=user.email).delete()  # Administration → Access attempts
    assert attempt(client, user.email, PASSWORD).status_code == 302


def test_the_secretariat_unlocks_in_the_user_list_of_administration(client):
    from elections.models import AuditEntry

    secretariat = user_with_role(Role.SECRETARIAT, email="sec@example.org")  # not a superuser
    user = user_with_role(Role.SECRETARIAT, email="locked2@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, user.email, "wrong-password", address="127.0.0.30")
    assert attempt(client, user.email, PASSWORD, address="127.0.0.31").status_code == 429
    client.force_login(secretariat)
    response = client.post(
        "/en/admin/accounts/user/",
        {"action": "unlock_after_failed_logins", "_selected_action": [user.pk]},
        follow=True,
    )
    assert "1 account unlocked" in response.content.decode()
    assert AuditEntry.objects.filter(action="accounts.user.unlocked").count() == 1
    client.logout()
    assert attempt(client, user.email, PASSWORD, address="127.0.0.31").status_code == 302
