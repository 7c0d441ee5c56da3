"""Admin entries for the secretariat: read-only. Applications, decisions and settings change on
the portal's own screens, through ``candidates.services`` (audited)."""

from django.contrib import admin

from groups.admin import ReadOnlyAdmin

from .models import Application, CandidacySettings, Criterion, PartyList


@admin.register(CandidacySettings)
class CandidacySettingsAdmin(ReadOnlyAdmin):
    list_display = ["election", "published_at", "window_activity", "withdrawal_activity", "updated_at"]
    exclude = ["application_form"]


@admin.register(Criterion)
class CriterionAdmin(ReadOnlyAdmin):
    list_display = ["text_ru", "election", "order"]
    list_filter = ["election"]


@admin.register(PartyList)
class PartyListAdmin(ReadOnlyAdmin):
    list_display = ["party_name", "unit", "election", "representative", "withdrawn_at"]
    list_filter = ["election"]
    search_fields = ["party_name"]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = [
        "full_name",
        "election",
        "group",
        "unit",
        "nomination",
        "status",
        "received_at",
        "decision_due_at",
    ]
    list_filter = ["election", "status", "nomination"]
    search_fields = ["full_name", "email", "organisation"]
    exclude = ["document", "photo"]
