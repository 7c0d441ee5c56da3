from django.contrib import admin

from accounts.admin import SecretariatAdminMixin

from .models import AgendaItem, Meeting, Participant


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["order", "title", "decision"]
    readonly_fields = fields


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    fields = ["user", "role", "position", "present", "invited_at"]
    readonly_fields = fields


@admin.register(Meeting)
class MeetingAdmin(SecretariatAdminMixin, admin.ModelAdmin):
    """Read only: meetings are scheduled and recorded on their pages (audited)."""

    list_display = ["title", "kind", "commission", "starts_at", "status", "election"]
    list_filter = ["election", "kind", "status"]
    inlines = [AgendaItemInline, ParticipantInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
