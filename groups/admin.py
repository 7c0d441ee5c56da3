"""Admin entries for the secretariat. Changes go through groups.services (audited); decisions
on members, nominations and observers are taken on the portal's own screens, so those entries
are read-only here. Role assignments are edited as plain rows (their list, and an inline on the
user's page)."""

from django.contrib import admin

from accounts.admin import SecretariatAdminMixin, register_user_inline
from accounts.permissions import can

from . import services
from .models import (
    Commission,
    CommissionMember,
    ElectoralGroup,
    ObserverApplication,
    OrgCommitteeNomination,
    RoleAssignment,
    TerritorialUnit,
)


class ThroughServicesAdmin(SecretariatAdminMixin, admin.ModelAdmin):
    """Saves call ``create(actor, **fields)`` / ``update(obj, actor, **fields)``; no deletion."""

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        fields = {f: form.cleaned_data[f] for f in form.changed_data if f in form.cleaned_data}
        if change:
            saved = self.update(obj=type(obj).objects.get(pk=obj.pk), actor=request.user, fields=fields)
        else:
            data = {f: form.cleaned_data[f] for f in form.cleaned_data}
            saved = self.create(actor=request.user, data=data)
        obj.pk = saved.pk


class ReadOnlyAdmin(SecretariatAdminMixin, admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ElectoralGroup)
class ElectoralGroupAdmin(ThroughServicesAdmin):
    list_display = ["name_ru", "election", "seats_members", "seats_alternates", "decision_rule", "order"]
    list_filter = ["election", "decision_rule"]
    search_fields = ["name_ru", "name_en", "slug"]

    def create(self, *, actor, data):
        return services.group_create(actor=actor, **data)

    def update(self, *, obj, actor, fields):
        fields.pop("election", None)
        return services.group_update(group=obj, actor=actor, **fields)


@admin.register(TerritorialUnit)
class TerritorialUnitAdmin(ThroughServicesAdmin):
    list_display = ["number", "kind", "name_ru", "parent", "voters_on_list", "election"]
    list_filter = ["election", "kind"]
    search_fields = ["name_ru", "name_en", "address", "number"]

    def create(self, *, actor, data):
        return services.unit_create(actor=actor, **data)

    def update(self, *, obj, actor, fields):
        fields.pop("election", None)
        fields.pop("kind", None)
        return services.unit_update(unit=obj, actor=actor, **fields)


@admin.register(Commission)
class CommissionAdmin(ThroughServicesAdmin):
    list_display = ["name_ru", "kind", "election", "group", "unit", "parent"]
    list_filter = ["election", "kind"]
    search_fields = ["name_ru", "name_en"]

    def create(self, *, actor, data):
        return services.commission_create(actor=actor, **data)

    def update(self, *, obj, actor, fields):
        fields.pop("election", None)
        return services.commission_update(commission=obj, actor=actor, **fields)


@admin.register(CommissionMember)
class CommissionMemberAdmin(ReadOnlyAdmin):
    list_display = ["user", "commission", "position", "is_active", "invited_at", "coi_declared_at"]
    list_filter = ["commission__election", "position", "is_active"]
    search_fields = ["user__email", "user__full_name", "commission__name_ru"]


@admin.register(OrgCommitteeNomination)
class OrgCommitteeNominationAdmin(ReadOnlyAdmin):
    list_display = ["full_name", "group", "status", "submitted_at", "decided_at"]
    list_filter = ["commission__election", "status"]
    search_fields = ["full_name", "email"]
    exclude = ["decision_document"]


@admin.register(ObserverApplication)
class ObserverApplicationAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "election", "group", "status", "submitted_at", "decided_at"]
    list_filter = ["election", "kind", "status"]
    search_fields = ["name", "organisation", "contact_email"]
    exclude = ["document"]


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    fields = ["role", "election", "group", "commission", "position"]

    def has_add_permission(self, request, obj=None):
        return can(request.user, "admin.use")

    def has_change_permission(self, request, obj=None):
        return can(request.user, "admin.use")

    def has_delete_permission(self, request, obj=None):
        return can(request.user, "admin.use")

    def has_view_permission(self, request, obj=None):
        return can(request.user, "admin.use")


# the user's page (accounts) lists the user's roles; accounts cannot import them, so they are added here
register_user_inline(RoleAssignmentInline)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SecretariatAdminMixin, admin.ModelAdmin):
    list_display = ["user", "role", "position", "election", "group", "commission"]
    list_filter = ["role", "election"]
    search_fields = ["user__email", "user__full_name"]
