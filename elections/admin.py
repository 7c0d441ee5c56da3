from django.contrib import admin

from accounts.admin import SecretariatAdminMixin

from . import services
from .models import AuditEntry, Election, PublishedHead


@admin.register(Election)
class ElectionAdmin(SecretariatAdminMixin, admin.ModelAdmin):
    """Edits go through elections.services (audited); the stage changes only by its steps."""

    list_display = ["slug", "title_ru", "kind", "state", "voting_day", "time_zone"]
    list_filter = ["kind", "state"]
    search_fields = ["slug", "title_ru", "title_en"]
    readonly_fields = ["state", "state_changed_at", "created_at", "updated_at", "created_by"]

    def save_model(self, request, obj, form, change):
        fields = {f: form.cleaned_data[f] for f in services.EDITABLE_FIELDS if f in form.cleaned_data}
        if change:
            services.election_update(election=Election.objects.get(pk=obj.pk), actor=request.user, **fields)
        else:
            created = services.election_create(actor=request.user, **fields)
            obj.pk = created.pk

    def has_delete_permission(self, request, obj=None):
        return False  # elections are archived, never deleted


@admin.register(AuditEntry)
class AuditEntryAdmin(SecretariatAdminMixin, admin.ModelAdmin):
    list_display = [
        "seq",
        "created_at",
        "actor_label",
        "role",
        "action",
        "object_type",
        "object_id",
        "election",
    ]
    list_filter = ["action", "election"]
    search_fields = ["action", "actor_label", "object_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PublishedHead)
class PublishedHeadAdmin(SecretariatAdminMixin, admin.ModelAdmin):
    """Read only: heads are published by the beat task and the services, and signed once."""

    list_display = ["published_at", "seq", "hash", "occasion", "election", "signed_at"]
    list_filter = ["occasion"]
    search_fields = ["hash"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
