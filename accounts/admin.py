from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import User
from .permissions import can


class SecretariatAdminMixin:
    """Admin pages follow the portal's permissions: the secretariat may use them."""

    def has_module_permission(self, request):
        return can(request.user, "admin.use")

    def has_view_permission(self, request, obj=None):
        return can(request.user, "admin.use")

    def has_add_permission(self, request):
        return can(request.user, "admin.use")

    def has_change_permission(self, request, obj=None):
        return can(request.user, "admin.use")

    def has_delete_permission(self, request, obj=None):
        return can(request.user, "admin.use")

    def changelist_view(self, request, extra_context=None):
        # Django titles a list "Select <name> to change", which in Russian puts the name in the
        # wrong case ("Выберите фоновая задача …"); the plural as the heading reads right in
        # every language
        extra_context = {"title": capfirst(self.model._meta.verbose_name_plural), **(extra_context or {})}
        return super().changelist_view(request, extra_context=extra_context)


#: inlines that apps above this one add to a user's page (``register_user_inline``)
_USER_INLINES: list[type[admin.options.InlineModelAdmin]] = []


def register_user_inline(inline: type[admin.options.InlineModelAdmin]) -> None:
    """Show ``inline`` on every user's admin page. The role assignments live beside what they scope,
    above this app, which cannot import them; that app adds their inline from its ``admin.py``."""
    if inline not in _USER_INLINES:
        _USER_INLINES.append(inline)


@admin.register(User)
class UserAdmin(SecretariatAdminMixin, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "language", "is_active", "two_step_login"]
    search_fields = ["email", "full_name"]
    actions = ["unlock_after_failed_logins", "turn_off_two_step_login"]
    list_filter = ["is_active", "language"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal information"), {"fields": ["full_name", "language"]}),
        (_("Status"), {"fields": ["is_active", "last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})
    ]
    readonly_fields = ["last_login", "date_joined"]
    filter_horizontal = []

    def get_inlines(self, request, obj):
        return [*super().get_inlines(request, obj), *_USER_INLINES]

    def get_queryset(self, request):
        from django.db.models import Exists, OuterRef
        from django_otp.plugins.otp_totp.models import TOTPDevice

        devices = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(has_two_step_login=Exists(devices))

    @admin.display(boolean=True, description=_("Two-step login"), ordering="has_two_step_login")
    def two_step_login(self, obj):
        return obj.has_two_step_login

    @admin.action(description=_("Unlock after failed logins"))
    def unlock_after_failed_logins(self, request, queryset):
        """django-axes' lockout lifted for the selected accounts (the secretariat need not be a
        superuser to reach Access attempts)."""
        from .services import user_unlock

        for user in queryset:
            user_unlock(user=user, actor=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d account unlocked: it may log in again at once.",
                "%(count)d accounts unlocked: they may log in again at once.",
                queryset.count(),
            )
            % {"count": queryset.count()},
            messages.SUCCESS,
        )

    @admin.action(description=_("Turn off two-step login (lost phone)"))
    def turn_off_two_step_login(self, request, queryset):
        """The secretariat's reset for a user who lost the phone and the backup codes: the user
        logs in with the password and sets two-step login up again (audited)."""
        from . import two_factor

        done = 0
        for user in queryset:
            if two_factor.is_on(user):
                two_factor.second_factor_disable(user=user, actor=request.user)
                done += 1
        self.message_user(
            request,
            ngettext(
                "Two-step login turned off for %(count)d user; they log in with the password and set it up again.",
                "Two-step login turned off for %(count)d users; they log in with the password and set it up again.",
                done,
            )
            % {"count": done},
            messages.SUCCESS,
        )
