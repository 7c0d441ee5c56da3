"""Two-step login in the browser: the secretariat sets it up from the profile (QR code and the key
typed by hand into the "app" — here the key read from the page), keeps the backup codes, logs out,
and logs in with the password and then the code; a wrong code is refused in plain words. Every page
runs under the Content-Security-Policy (the ``portal`` fixture fails on any violation)."""

import base64
import time

from django_otp.oath import TOTP

from .setup import PASSWORD, ccm_election


def app_code(manual_key: str, *, after: int = -1) -> tuple[str, int]:
    """What an authenticator app shows for the key typed by hand, and its 30-second step (newer
    than ``after``: a code is accepted once)."""
    plain = manual_key.replace(" ", "")
    key = base64.b32decode(plain + "=" * (-len(plain) % 8))
    totp = TOTP(key)
    while totp.t() <= after:
        time.sleep(1)
        totp = TOTP(key)
    return f"{totp.token():06d}", totp.t()


def test_the_secretariat_sets_up_two_step_login_and_logs_in_with_a_code(portal):
    ccm_election()
    page = portal.page
    portal.login("secretariat@example.org", PASSWORD)
    portal.goto("/en/accounts/profile/")
    page.get_by_role("link", name="Set up two-step login").click()
    page.wait_for_url("**/accounts/two-step/")
    assert page.locator("#two-step-qr svg").is_visible()
    portal.shots("/en/accounts/two-step/", "two-step-setup")
    manual_key = page.locator("#two-step-key").inner_text()
    page.fill("input[name=code]", "000000" if app_code(manual_key)[0] != "000000" else "111111")
    page.get_by_role("button", name="Turn on two-step login").click()
    assert page.get_by_text("This is not the code the app shows now").is_visible()
    code, step = app_code(manual_key)
    page.fill("input[name=code]", code)
    page.get_by_role("button", name="Turn on two-step login").click()
    assert page.get_by_text("Two-step login is on.").first.is_visible()
    codes = page.locator("#backup-codes .backup-code").all_inner_texts()
    assert len(codes) == 10
    portal.shot("two-step-backup-codes-en")
    portal.axe(name="two-step-backup-codes")

    portal.logout()
    portal.goto("/en/accounts/login/")
    page.fill("input[name=username]", "secretariat@example.org")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/accounts/login/code/")
    portal.shot("two-step-code-en")
    portal.axe(name="two-step-code")
    page.fill("input[name=code]", "12345")
    page.locator("main form button[type=submit]").click()
    assert page.get_by_text("The code is wrong or has expired").is_visible()
    page.fill("input[name=code]", app_code(manual_key, after=step)[0])
    time.sleep(1.1)  # django-otp makes the try after a wrong code wait a second
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert "/accounts/login" not in page.url
    portal.goto("/en/accounts/profile/")
    assert page.get_by_text("On: the login asks for a code").is_visible()
