from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from .access import LoginRequired, Public
from .forms import EmailAuthenticationForm, PortalPasswordResetForm, ProfileForm


class LoginView(Public, auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


class LogoutView(Public, auth_views.LogoutView):
    pass


class PasswordResetView(Public, auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    form_class = PortalPasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")


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
        ctx["assignments"] = self.request.user.role_assignments.select_related(
            "election", "group", "commission"
        )
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
    from django.conf import settings
    from django.shortcuts import render

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"cooloff_minutes": minutes}, status=429)
