"""Two-step login (issue 16, deliverable 4): the secretariat and commission chairs may add a code
from an authenticator app after the password. Set up with the QR code or the key and a first code;
then the login asks for the code; a wrong code is refused in plain words and counts towards the
lockout; backup codes work once each; the secretariat turns it off for a lost phone; with
OTP_REQUIRED_FOR_STAFF the users concerned must set it up first."""

import binascii
import datetime as dt

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from accounts import two_factor
from accounts.models import Position, Role
from elections.models import AuditEntry
from tests.factories import PASSWORD, CommissionFactory, user_with_role

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 1, 9, 0, 0, tzinfo=dt.UTC)


def code_for(hex_key: str, at: dt.datetime | None = None) -> str:
    totp = TOTP(binascii.unhexlify(hex_key))
    if at is not None:
        totp.time = at.timestamp()
    return f"{totp.token():06d}"


def password_step(client, user, address="127.0.0.20", **extra):
    return client.post(
        reverse("accounts:login"),
        {"username": user.email, "password": PASSWORD, **extra},
        REMOTE_ADDR=address,
    )


def code_step(client, code, address="127.0.0.20"):
    return client.post(reverse("accounts:login_code"), {"code": code}, REMOTE_ADDR=address)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def enable(client, user) -> tuple[str, list[str]]:
    """Set up two-step login through the pages; returns the key and the backup codes."""
    client.force_login(user)
    page = client.get(reverse("accounts:two_step"))
    assert page.status_code == 200
    key = client.session["accounts_second_factor_key"]
    response = client.post(reverse("accounts:two_step_enable"), {"code": code_for(key)})
    assert response.status_code == 302
    shown = client.get(reverse("accounts:two_step")).context["new_backup_codes"]
    client.logout()
    return key, shown


@pytest.fixture
def secretariat():
    return user_with_role(Role.SECRETARIAT, email="sec@example.org")


def test_setup_shows_the_qr_code_and_key_and_needs_a_right_first_code(client, secretariat):
    client.force_login(secretariat)
    page = client.get("/en/accounts/two-step/")
    html = page.content.decode()
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    assert "<svg" in html and 'id="two-step-key"' in html
    key = client.session["accounts_second_factor_key"]
    assert two_factor.manual_key(key).replace(" ", "") in html.replace(" ", "")
    # a reload keeps the same key (the app may already hold it)
    client.get("/en/accounts/two-step/")
    assert client.session["accounts_second_factor_key"] == key
    wrong = client.post(
        "/en/accounts/two-step/enable/", {"code": "000000" if code_for(key) != "000000" else "111111"}
    )
    assert wrong.status_code == 200
    assert "This is not the code the app shows now" in wrong.content.decode()
    assert not two_factor.is_on(secretariat)
    assert client.post("/en/accounts/two-step/enable/", {"code": code_for(key)}).status_code == 302
    assert two_factor.is_on(secretariat)
    codes = client.get("/en/accounts/two-step/").context["new_backup_codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/en/accounts/two-step/").context["new_backup_codes"] is None  # shown once
    entry = AuditEntry.objects.filter(action="accounts.second_factor.enabled").get()
    assert key not in str(entry.data) and not any(c in str(entry.data) for c in codes)


def test_only_the_secretariat_and_chairs_may_set_it_up(client):
    commission = CommissionFactory()
    chair = user_with_role(Role.COMMISSION_MEMBER, commission=commission, position=Position.CHAIR)
    member = user_with_role(Role.COMMISSION_MEMBER, commission=commission, position=Position.MEMBER)
    voter = user_with_role(Role.VOTER, election=commission.election)
    client.force_login(chair)
    assert client.get(reverse("accounts:two_step")).status_code == 200
    assert "/accounts/two-step/" in client.get(reverse("accounts:profile")).content.decode()
    for user in (member, voter):
        client.force_login(user)
        assert client.get(reverse("accounts:two_step")).status_code == 403
        assert "/accounts/two-step/" not in client.get(reverse("accounts:profile")).content.decode()


def test_the_login_asks_for_the_code_after_the_password(client, secretariat):
    with freeze_time(START) as frozen:
        key, _codes = enable(client, secretariat)
        frozen.tick(30)  # the next code: the app's code used to confirm is not accepted twice
        _login_with_the_code(client, secretariat, key)


def _login_with_the_code(client, secretariat, key):
    response = password_step(client, secretariat, next="/en/accounts/profile/")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login_code")
    assert not logged_in(client)  # the password alone is not enough
    assert client.get("/en/accounts/profile/").status_code == 302  # still anonymous
    page = client.get("/en/accounts/login/code/")
    assert page.status_code == 200 and "authenticator app" in page.content.decode()
    response = code_step(client, code_for(key))
    assert response.status_code == 302 and response["Location"] == "/en/accounts/profile/"
    assert logged_in(client)
    assert client.get("/en/accounts/profile/").wsgi_request.user.is_verified()


def test_a_user_without_two_step_login_logs_in_with_the_password(client, secretariat):
    response = password_step(client, secretariat)
    assert response.status_code == 302 and logged_in(client)


def test_a_wrong_code_is_refused_plainly_and_counts_towards_the_lockout(client, secretariat, settings):
    with freeze_time(START - dt.timedelta(minutes=1)):
        key, _codes = enable(client, secretariat)
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # only django-axes' count here
    with freeze_time(START) as frozen:
        password_step(client, secretariat)
        right = code_for(key, START)
        wrong = "123456" if right != "123456" else "654321"
        response = client.post("/en/accounts/login/code/", {"code": wrong}, REMOTE_ADDR="127.0.0.20")
        assert response.status_code == 200
        assert "The code is wrong or has expired" in response.content.decode()
        assert not logged_in(client)
        for _ in range(settings.AXES_FAILURE_LIMIT - 2):
            assert code_step(client, wrong).status_code == 200
        frozen.tick(1)
        assert code_step(client, wrong).status_code == 429  # the limit: locked like a password
        assert code_step(client, right).status_code == 429  # the right code is refused now too
        assert not logged_in(client)
        # the password step is locked as well
        assert password_step(client, secretariat, address="127.0.0.21").status_code == 429


def test_after_a_wrong_code_the_next_try_waits(client, secretariat):
    with freeze_time(START - dt.timedelta(minutes=1)):
        key, _codes = enable(client, secretariat)
    with freeze_time(START) as frozen:
        password_step(client, secretariat)
        right = code_for(key, START)
        wrong = "123456" if right != "123456" else "654321"
        code_step(client, wrong)
        code_step(client, wrong)  # too early: not even tried
        response = client.post("/en/accounts/login/code/", {"code": right}, REMOTE_ADDR="127.0.0.20")
        assert response.status_code == 429
        assert "Too many wrong codes. Wait" in response.content.decode()
        assert not logged_in(client)
        frozen.tick(2)
        assert code_step(client, code_for(key, START + dt.timedelta(seconds=2))).status_code == 302
        assert logged_in(client)


def test_the_code_must_follow_the_password_within_minutes(client, secretariat):
    with freeze_time(START - dt.timedelta(minutes=1)):
        key, _codes = enable(client, secretariat)
    with freeze_time(START) as frozen:
        password_step(client, secretariat)
        frozen.tick(6 * 60)
        response = code_step(client, code_for(key, START + dt.timedelta(minutes=6)))
        assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
        assert not logged_in(client)
    assert client.get(reverse("accounts:login_code")).status_code == 302  # nothing pending


def test_a_backup_code_works_once(client, secretariat):
    _key, codes = enable(client, secretariat)
    password_step(client, secretariat)
    response = client.post(
        "/en/accounts/login/code/", {"code": codes[0].upper()}, REMOTE_ADDR="127.0.0.20", follow=True
    )
    assert logged_in(client)
    assert "You logged in with a backup code; 9 are left" in response.content.decode()
    client.logout()
    password_step(client, secretariat)
    assert code_step(client, codes[0]).status_code == 200  # used up
    assert not logged_in(client)


def test_new_backup_codes_replace_the_old_ones(client, secretariat):
    key, codes = enable(client, secretariat)
    client.force_login(secretariat)
    assert client.post(reverse("accounts:two_step_backup_codes")).status_code == 302
    new = client.get(reverse("accounts:two_step")).context["new_backup_codes"]
    assert len(new) == 10 and not set(new) & set(codes)
    client.logout()
    password_step(client, secretariat)
    assert code_step(client, codes[1]).status_code == 200 and not logged_in(client)


def test_turning_it_off_needs_the_password(client, secretariat):
    enable(client, secretariat)
    client.force_login(secretariat)
    wrong = client.post("/en/accounts/two-step/disable/", {"password": "nope"})
    assert wrong.status_code == 200 and "The password is wrong." in wrong.content.decode()
    assert two_factor.is_on(secretariat)
    assert client.post("/en/accounts/two-step/disable/", {"password": PASSWORD}).status_code == 302
    assert not two_factor.is_on(secretariat)
    client.logout()
    assert password_step(client, secretariat).status_code == 302 and logged_in(client)


def test_the_secretariat_turns_it_off_for_a_lost_phone_in_administration(client, secretariat):
    chair = user_with_role(
        Role.COMMISSION_MEMBER,
        commission=CommissionFactory(),
        position=Position.CHAIR,
        email="chair@example.org",
    )
    enable(client, chair)
    client.force_login(secretariat)
    changelist = client.get("/en/admin/accounts/user/")
    assert changelist.status_code == 200
    response = client.post(
        "/en/admin/accounts/user/",
        {"action": "turn_off_two_step_login", "_selected_action": [chair.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "Two-step login turned off for 1 user" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=chair).exists()
    entry = AuditEntry.objects.filter(action="accounts.second_factor.reset").get()
    assert entry.data == {"user": "chair@example.org"}
    client.logout()
    assert password_step(client, chair).status_code == 302 and logged_in(client)


def test_required_for_staff_sends_them_to_the_setup_first(client, secretariat, settings):
    settings.OTP_REQUIRED_FOR_STAFF = True
    voter = user_with_role(Role.VOTER, election=CommissionFactory().election)
    client.force_login(voter)
    assert client.get("/en/accounts/profile/").status_code == 200  # not concerned
    client.force_login(secretariat)
    response = client.get("/en/accounts/profile/")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:two_step")
    assert client.get("/en/admin/").status_code == 302
    page = client.get("/en/accounts/two-step/")
    assert page.status_code == 200 and "Two-step login is required for your role" in page.content.decode()
    key = client.session["accounts_second_factor_key"]
    assert client.post("/en/accounts/two-step/enable/", {"code": code_for(key)}).status_code == 302
    assert client.get("/en/accounts/profile/").status_code == 200  # this session passed the code
    # it cannot be turned off by the user while required
    client.post("/en/accounts/two-step/disable/", {"password": PASSWORD})
    assert two_factor.is_on(secretariat)
    # a session that did not pass the code is sent to log in again
    client.logout()
    client.force_login(secretariat)
    response = client.get("/en/accounts/profile/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert not logged_in(client)


def test_a_mistyped_backup_code_does_not_hold_up_the_apps_code(client, secretariat):
    with freeze_time(START - dt.timedelta(minutes=1)):
        key, _codes = enable(client, secretariat)
    with freeze_time(START):
        password_step(client, secretariat)
        assert code_step(client, "abcd-efgh").status_code == 200  # a wrong backup code
        assert code_step(client, code_for(key, START)).status_code == 302  # the app's code at once
        assert logged_in(client)
