import hashlib
import time

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, user_login_failed
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from . import ratelimit, two_factor
from .access import CapabilityRequired, LoginRequired, Public
from .forms import (
    EmailAuthenticationForm,
    LoginCodeForm,
    PortalPasswordResetForm,
    ProfileForm,
    SecondFactorDisableForm,
    SecondFactorSetupForm,
)
from .permissions import can_anywhere, role_assignments

#: the session key of a login whose password was right and whose code is still to come
PENDING_LOGIN = "accounts_pending_login"
#: seconds within which the code must follow the password
PENDING_LOGIN_SECONDS = 5 * 60
#: the session key of a setup's secret until it is confirmed, and of backup codes to show once
SETUP_KEY = "accounts_second_factor_key"
NEW_BACKUP_CODES = "accounts_new_backup_codes"


class LoginView(Public, auth_views.LoginView):
    """Step one: e-mail and password. A user with two-step login on is not logged in yet: the
    session remembers them for a few minutes and the code page asks for the code."""

    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if not two_factor.is_on(user):
            return super().form_valid(form)
        self.request.session[PENDING_LOGIN] = {
            "user": user.pk,
            "backend": user.backend,
            "at": time.time(),
            "next": self.get_success_url(),
        }
        return redirect("accounts:login_code")


class LoginCodeView(Public, View):
    """Step two: the code from the authenticator app (or a backup code). A wrong code is refused in
    plain words and counted by django-axes like a wrong password, so guessing codes ends in the
    same lockout; django-otp also makes each next try wait longer (1, 2, 4 … seconds)."""

    template_name = "accounts/login_code.html"

    def _pending_user(self, request):
        pending = request.session.get(PENDING_LOGIN)
        if not pending or time.time() - pending.get("at", 0) > PENDING_LOGIN_SECONDS:
            request.session.pop(PENDING_LOGIN, None)
            return None, None
        user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
        return user, pending

    def _again(self, request):
        messages.info(request, _("Please enter your e-mail and password again."))
        return redirect("accounts:login")

    def _render(self, request, form, status=200):
        return render(request, self.template_name, {"form": form}, status=status)

    def get(self, request, *args, **kwargs):
        user, _pending = self._pending_user(request)
        if user is None:
            return self._again(request)
        return self._render(request, LoginCodeForm())

    def post(self, request, *args, **kwargs):
        user, pending = self._pending_user(request)
        if user is None:
            return self._again(request)
        credentials = {settings.AXES_USERNAME_FORM_FIELD: user.email}
        if not AxesProxyHandler.is_allowed(request, credentials):
            request.session.pop(PENDING_LOGIN, None)
            return locked_out(request, credentials)
        form = LoginCodeForm(request.POST)
        if not form.is_valid():
            return self._render(request, form)
        device, wait = two_factor.verify_login_code(user=user, token=form.cleaned_data["code"])
        if wait:
            form.add_error(
                "code",
                ngettext(
                    "Too many wrong codes. Wait %(seconds)d second and enter the code the app shows then.",
                    "Too many wrong codes. Wait %(seconds)d seconds and enter the code the app shows then.",
                    wait,
                )
                % {"seconds": wait},
            )
            return self._render(request, form, status=429)
        if device is None:
            # counted like a wrong password (django-axes: per account and per address)
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            form.add_error(
                "code",
                _("The code is wrong or has expired. Enter the code the app shows now, or a backup code."),
            )
            return self._render(request, form)
        request.session.pop(PENDING_LOGIN, None)
        auth_login(request, user, backend=pending["backend"])
        otp_login(request, device)
        if isinstance(device, StaticDevice):
            left = two_factor.backup_codes_left(user)
            messages.warning(
                request,
                ngettext(
                    "You logged in with a backup code; %(count)d is left. Set up your phone again or make new codes on the page “Two-step login”.",
                    "You logged in with a backup code; %(count)d are left. Set up your phone again or make new codes on the page “Two-step login”.",
                    left,
                )
                % {"count": left},
            )
        target = pending.get("next") or ""
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = reverse(settings.LOGIN_REDIRECT_URL)
        return redirect(target)


class SecondFactorView(CapabilityRequired, TemplateView):
    """Two-step login of one's own account: set it up (QR code or key, confirmed with a first
    code), see it on, renew the backup codes, turn it off (with the password)."""

    capability = "account.second_factor"
    template_name = "accounts/two_step.html"

    def has_permission(self):
        # the secretariat or a commission chair in any election: not a check on one object
        return can_anywhere(self.request.user, self.capability)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["is_on"] = two_factor.is_on(user)
        ctx["is_required"] = two_factor.is_required(user)
        if ctx["is_on"]:
            ctx["device"] = two_factor.app_device(user)
            ctx["backup_codes_left"] = two_factor.backup_codes_left(user)
            ctx.setdefault("disable_form", SecondFactorDisableForm(user=user))
        else:
            key = self.request.session.get(SETUP_KEY)
            if not key:
                key = self.request.session[SETUP_KEY] = two_factor.new_key()
            ctx["qr_svg"] = two_factor.qr_svg(two_factor.config_url(user, key))
            ctx["manual_key"] = two_factor.manual_key(key)
            ctx["issuer"] = settings.OTP_TOTP_ISSUER
            ctx.setdefault("setup_form", SecondFactorSetupForm())
        return ctx

    def get(self, request, *args, **kwargs):
        ctx = self.get_context_data()
        ctx["new_backup_codes"] = request.session.pop(NEW_BACKUP_CODES, None)
        response = self.render_to_response(ctx)
        response["Cache-Control"] = "no-store"  # a secret or backup codes are on the page
        return response


class SecondFactorEnableView(SecondFactorView):
    def get(self, request, *args, **kwargs):
        return redirect("accounts:two_step")

    def post(self, request, *args, **kwargs):
        form = SecondFactorSetupForm(request.POST)
        key = request.session.get(SETUP_KEY)
        if form.is_valid() and key:
            try:
                codes = two_factor.second_factor_enable(
                    user=request.user, hex_key=key, token=form.cleaned_data["code"]
                )
            except ValidationError as exc:
                form.add_error("code", exc.messages)
            else:
                request.session.pop(SETUP_KEY, None)
                request.session[NEW_BACKUP_CODES] = codes
                otp_login(request, two_factor.app_device(request.user))
                messages.success(request, _("Two-step login is on. From now on the login asks for a code."))
                return redirect("accounts:two_step")
        elif form.is_valid():
            form.add_error(None, _("The setup page was opened too long ago. Scan the new QR code."))
        response = self.render_to_response(self.get_context_data(setup_form=form))
        response["Cache-Control"] = "no-store"
        return response


class BackupCodesRenewView(SecondFactorView):
    def get(self, request, *args, **kwargs):
        return redirect("accounts:two_step")

    def post(self, request, *args, **kwargs):
        try:
            request.session[NEW_BACKUP_CODES] = two_factor.backup_codes_renew(user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("New backup codes are made; the old ones no longer work."))
        return redirect("accounts:two_step")


class SecondFactorDisableView(SecondFactorView):
    def get(self, request, *args, **kwargs):
        return redirect("accounts:two_step")

    def post(self, request, *args, **kwargs):
        form = SecondFactorDisableForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                two_factor.second_factor_disable(user=request.user, actor=request.user)
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
            else:
                messages.success(request, _("Two-step login is off. The login asks for the password only."))
            return redirect("accounts:two_step")
        return self.render_to_response(self.get_context_data(disable_form=form))


class LogoutView(Public, auth_views.LogoutView):
    pass


class PasswordResetView(Public, auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    form_class = PortalPasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        wait = password_reset_throttled(self.request, form.cleaned_data["email"])
        if wait:
            minutes = max(1, (wait + 59) // 60)
            form.add_error(
                None,
                ngettext(
                    "Too many requests to reset a password from your address or for this e-mail. No e-mail was sent. Try again in %(minutes)d minute.",
                    "Too many requests to reset a password from your address or for this e-mail. No e-mail was sent. Try again in %(minutes)d minutes.",
                    minutes,
                )
                % {"minutes": minutes},
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


def password_reset_throttled(request, email: str) -> int:
    """Count a password-reset request per client address and per e-mail (both per hour, settings
    ``PASSWORD_RESET_LIMIT_PER_ADDRESS`` and ``PASSWORD_RESET_LIMIT_PER_EMAIL``); the seconds to
    wait when one of them is used up (then no mail is sent), else 0. The e-mail is counted whether
    or not an account uses it, so the answer tells nothing about accounts; it is hashed in the
    cache key."""
    window = 60 * 60
    if not ratelimit.hit(
        "password_reset:address",
        ratelimit.client_address(request),
        limit=settings.PASSWORD_RESET_LIMIT_PER_ADDRESS,
        window=window,
    ):
        return ratelimit.seconds_left(window)
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    if not ratelimit.hit(
        "password_reset:email", digest, limit=settings.PASSWORD_RESET_LIMIT_PER_EMAIL, window=window
    ):
        return ratelimit.seconds_left(window)
    return 0


class PasswordResetDoneView(Public, auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(Public, auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(Public, auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class ProfileView(LoginRequired, TemplateView):
    """The user's own account: name, language of e-mails and the roles held."""

    template_name = "accounts/profile.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["form"] = kwargs.get("form") or ProfileForm(instance=self.request.user)
        ctx["assignments"] = role_assignments(self.request.user).select_related(
            "election", "group", "commission"
        )
        ctx["two_step_eligible"] = two_factor.is_eligible(self.request.user)
        ctx["two_step_on"] = ctx["two_step_eligible"] and two_factor.is_on(self.request.user)
        return ctx

    def post(self, request, *args, **kwargs):
        form = ProfileForm(request.POST, instance=request.user)
        if form.is_valid():
            form.save()
            messages.success(request, _("Your profile is saved."))
            return redirect("accounts:profile")
        return self.render_to_response(self.get_context_data(form=form))


def locked_out(request, credentials=None, *args, **kwargs):
    """django-axes' answer to a locked-out login (``AXES_LOCKOUT_CALLABLE``): a plain page, 429."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"cooloff_minutes": minutes}, status=429)
