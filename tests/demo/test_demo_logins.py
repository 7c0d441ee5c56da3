"""Every login ``load_demo`` prints works with the printed demo password."""

import re

import pytest
from django.contrib.auth import authenticate

from demo.loader import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def _printed_logins(out: str) -> list[str]:
    """The e-mails of the lines after "Demo logins …": one login a line, indented."""
    _, _, listing = out.partition("Demo logins")
    return re.findall(r"^\s+(\S+@\S+)\s", listing, flags=re.MULTILINE)


def test_every_printed_demo_login_authenticates_with_the_demo_password(demo):
    logins = _printed_logins(demo["out"])
    assert "finrep-horizon@demo.example" in logins and "secretariat@demo.example" in logins
    failing = [email for email in logins if authenticate(username=email, password=DEMO_PASSWORD) is None]
    assert failing == []
