"""Two-step login (issue 16, deliverable 4): a time-based code from an authenticator app (TOTP,
RFC 6238, with django-otp) after the password, for the secretariat and commission chairs.

* It is optional: a user whose roles allow it (capability ``account.second_factor``) turns it on
  on the page "Two-step login" (QR code or key typed by hand, confirmed with a first code) and
  gets ten single-use backup codes for a lost phone. With ``OTP_REQUIRED_FOR_STAFF`` on, those
  users must turn it on before they can use any other page (``accounts.middleware``).
* Once on, the login asks for a code after a correct password; a wrong code is refused and counts
  as a failed login for django-axes' lockout (``accounts.views.LoginCodeView``).
* A lost phone: log in with a backup code and set up the new phone, or the portal-wide secretariat
  turns it off in Administration → Users (action "Turn off two-step login").

Every change is a service here: one transaction, an audit entry (never the secret or the codes).
"""

from __future__ import annotations

import binascii
import re

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from .audit import audit_log
from .permissions import can_anywhere, require

#: backup codes made at a time
BACKUP_CODES = 10
APP_DEVICE_NAME = "authenticator"
BACKUP_DEVICE_NAME = "backup"


def is_eligible(user) -> bool:
    """May this user use two-step login (the secretariat, commission chairs)?"""
    return can_anywhere(user, "account.second_factor")


def is_required(user) -> bool:
    """Must this user use it (``OTP_REQUIRED_FOR_STAFF`` and an eligible role)?"""
    return bool(getattr(settings, "OTP_REQUIRED_FOR_STAFF", False)) and is_eligible(user)


def app_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def is_on(user) -> bool:
    """Has the user a confirmed authenticator app (then the login asks for a code)?"""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def new_key() -> str:
    """A new secret (hex, 20 bytes) for the setup page; nothing is stored until it is confirmed."""
    return default_key()


def manual_key(hex_key: str) -> str:
    """The secret as the apps want it typed: base32, in groups of four."""
    import base64

    b32 = base64.b32encode(binascii.unhexlify(hex_key)).decode().rstrip("=")
    return " ".join(b32[i : i + 4] for i in range(0, len(b32), 4))


def config_url(user, hex_key: str) -> str:
    """The ``otpauth://`` address the QR code holds (issuer ``OTP_TOTP_ISSUER``)."""
    return TOTPDevice(user=user, key=hex_key, name=APP_DEVICE_NAME).config_url


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as inline SVG markup: paths only, no style attribute (the pages'
    Content-Security-Policy refuses those) and no image request."""
    import qrcode
    import qrcode.image.svg
    from django.utils.safestring import mark_safe

    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308 - our own markup, escaped data


def _clean_code(token: str) -> str:
    return re.sub(r"[\s-]+", "", token or "").lower()


def _new_backup_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def second_factor_enable(*, user, hex_key: str, token: str) -> list[str]:
    """Turn two-step login on with the app set up from ``hex_key``, confirmed by its current code.
    Replaces an earlier app and earlier backup codes; returns the new backup codes (shown once)."""
    if not is_eligible(user):
        raise PermissionDenied(_("Your role may not do this."))
    code = _clean_code(token)
    totp = TOTP(binascii.unhexlify(hex_key))
    if not (code.isdigit() and totp.verify(int(code), tolerance=1)):
        raise ValidationError(
            _("This is not the code the app shows now. Check that the phone's clock is right and try again.")
        )
    TOTPDevice.objects.filter(user=user).delete()
    TOTPDevice.objects.create(
        user=user, name=APP_DEVICE_NAME, key=hex_key, confirmed=True, last_t=totp.t(), drift=totp.drift
    )
    codes = _new_backup_codes(user)
    audit_log(action="accounts.second_factor.enabled", actor=user, obj=user, data={"user": user.email})
    return codes


@transaction.atomic
def backup_codes_renew(*, user) -> list[str]:
    """New backup codes replace the old ones (which stop working); returns them (shown once)."""
    if not is_on(user):
        raise ValidationError(_("Two-step login is off: there are no backup codes to renew."))
    codes = _new_backup_codes(user)
    audit_log(action="accounts.second_factor.backup_codes_renewed", actor=user, obj=user, data={})
    return codes


@transaction.atomic
def second_factor_disable(*, user, actor) -> None:
    """Turn two-step login off: the user's own choice (not while it is required for the role), or
    the portal-wide secretariat's reset for a lost phone (then the user sets it up again)."""
    if actor is not None and actor.pk != user.pk:
        require(actor, "roles.manage")
        action = "accounts.second_factor.reset"
    else:
        if is_required(user):
            raise ValidationError(
                _("Two-step login is required for your role. You can set up a new phone instead.")
            )
        action = "accounts.second_factor.disabled"
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit_log(action=action, actor=actor, obj=user, data={"user": user.email})


def _devices_for(user, code: str):
    """The devices a code is meant for: six digits go to the app, anything else is a backup code
    (so a mistyped backup code does not make the app's next code wait, and the reverse)."""
    if code.isdigit() and len(code) <= 8:
        return TOTPDevice.objects.filter(user=user, confirmed=True)
    return StaticDevice.objects.filter(user=user, confirmed=True)


def _wait_seconds(devices) -> int:
    from django.utils import timezone

    waits = []
    for device in devices:
        allowed, info = device.verify_is_allowed()
        if not allowed and info and info.get("locked_until"):
            waits.append((info["locked_until"] - timezone.now()).total_seconds())
    return max(1, int(min(waits) + 0.999)) if waits else 0


def verify_login_code(*, user, token: str) -> tuple[object | None, int]:
    """Check a code at login: six digits from the app, or a backup code (then used up). Returns
    the device that accepted it, or None with the seconds to wait when django-otp's growing delay
    after wrong codes (1, 2, 4 … s) has not passed yet (0: the code was tried and is wrong)."""
    code = _clean_code(token)
    if not code:
        return None, 0
    with transaction.atomic():
        devices = list(_devices_for(user, code).select_for_update())
        wait = _wait_seconds(devices)
        if wait:
            return None, wait
        for device in devices:
            if device.verify_token(code):
                return device, 0
    return None, 0
