import re

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory


@pytest.mark.django_db
def test_login_by_email_case_insensitive(client):
    UserFactory(email="anna@example.org")
    response = client.post(reverse("accounts:login"), {"username": "Anna@Example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session.get("_auth_user_id")


@pytest.mark.django_db
def test_wrong_password_gets_a_translated_error_and_no_session(client):
    UserFactory(email="anna@example.org")
    response = client.post(reverse("accounts:login"), {"username": "anna@example.org", "password": "nope"})
    assert response.status_code == 200
    assert "Неверный адрес электронной почты или пароль" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_password_reset_by_email(client, mailoutbox):
    user = UserFactory(email="anna@example.org")
    response = client.post(reverse("accounts:password_reset"), {"email": "anna@example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["anna@example.org"]
    assert "пароль" in mail.subject.lower()
    link = re.search(r"http://testserver(/\S+)", mail.body).group(1)
    response = client.get(link, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "a-New-pass-2024", "new_password2": "a-New-pass-2024"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-New-pass-2024")


@pytest.mark.django_db
def test_password_reset_for_unknown_address_sends_nothing_and_reveals_nothing(client, mailoutbox):
    response = client.post(reverse("accounts:password_reset"), {"email": "ghost@example.org"})
    assert response.status_code == 302
    assert mailoutbox == []


@pytest.mark.django_db
def test_profile_needs_login_and_lists_roles(client, structure):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    client.force_login(structure["users"]["org_committee_a"])
    body = client.get(reverse("accounts:profile")).content.decode()
    assert "Член организационного комитета" in body
    assert "Группа А" in body


@pytest.mark.django_db
def test_logout_is_a_post(client):
    client.force_login(UserFactory())
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
