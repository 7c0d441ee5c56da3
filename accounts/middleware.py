"""Security middleware of the portal.

``SecondFactorRequiredMiddleware``: with ``OTP_REQUIRED_FOR_STAFF`` on, a user whose role may use
two-step login (the secretariat, commission chairs) and whose session was not confirmed with a
code is sent to set it up (or, when it is already set up — a session from before — to log in
again with the code) before any other page.

``ContentSecurityPolicyMiddleware``: django-csp's middleware (``CONTENT_SECURITY_POLICY``). A PDF
(protocols, certificates…) gets a policy of its own, ``object-src 'self'; frame-ancestors 'none'``:
Chromium shows a PDF in the tab through an ``<embed>`` on a page with inline styles that inherits
the response's policy (crbug.com/271452), so the pages' ``object-src 'none'`` and
``style-src 'self'`` would leave it blank. A PDF runs no script of ours, so nothing is lost.
"""

from __future__ import annotations

from csp.constants import NONE, SELF
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import two_factor


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if getattr(settings, "OTP_REQUIRED_FOR_STAFF", False):
            response = self._check(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _allowed(self, path: str) -> bool:
        free = [
            reverse("accounts:two_step"),
            reverse("accounts:two_step_enable"),
            reverse("accounts:logout"),
            reverse("set_language"),
        ]
        prefixes = ("/" + settings.STATIC_URL.lstrip("/"), "/" + settings.MEDIA_URL.lstrip("/"))
        return path in free or path.startswith(prefixes)

    def _check(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        is_verified = getattr(user, "is_verified", None)
        if is_verified is not None and is_verified():
            return None
        if self._allowed(request.path) or not two_factor.is_eligible(user):
            return None
        if two_factor.is_on(user):  # a session from before the setup: log in with the code
            logout(request)
            return redirect_to_login(request.get_full_path())
        messages.warning(request, _("Two-step login is required for your role: set it up to continue."))
        return redirect("accounts:two_step")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        if response.get("Content-Type", "").startswith("application/pdf"):
            response._csp_config = {"object-src": [SELF], "frame-ancestors": [NONE]}
        return super().process_response(request, response)
