"""Admin entries for the secretariat: read-only. Registrations, imports, Form 3 requests and
credentials are decided on the portal's own screens, through the audited services."""

from django.contrib import admin

from groups.admin import ReadOnlyAdmin

from .models import (
    CorrectionRequest,
    RegisterEntry,
    RegisterImport,
    VoterRegistration,
    VoterSettings,
    VotingCredential,
)


@admin.register(VoterSettings)
class VoterSettingsAdmin(ReadOnlyAdmin):
    list_display = ["election", "registration_opens_at", "registration_closes_at", "list_frozen_at"]


@admin.register(VoterRegistration)
class VoterRegistrationAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "group", "region", "status", "submitted_at"]
    list_filter = ["election", "status", "kind", "region"]
    search_fields = ["name", "email", "registration_number"]
    exclude = ["confirm_token_hash"]


@admin.register(RegisterImport)
class RegisterImportAdmin(ReadOnlyAdmin):
    list_display = [
        "original_name",
        "election",
        "status",
        "rows_total",
        "rows_invalid",
        "rows_imported",
        "created_at",
    ]
    list_filter = ["election", "status"]


@admin.register(RegisterEntry)
class RegisterEntryAdmin(ReadOnlyAdmin):
    list_display = ["last_name", "first_name", "middle_name", "precinct", "status"]
    list_filter = ["election", "status"]
    search_fields = ["personal_number", "last_name"]
    show_full_result_count = False


@admin.register(CorrectionRequest)
class CorrectionRequestAdmin(ReadOnlyAdmin):
    list_display = ["pk", "precinct", "field", "status", "submitted_at"]
    list_filter = ["election", "status", "field"]


@admin.register(VotingCredential)
class VotingCredentialAdmin(ReadOnlyAdmin):
    list_display = ["email", "election", "sent_at", "resend_count", "used_at", "revoked_at"]
    list_filter = ["election"]
    search_fields = ["email"]
    exclude = ["token_hash"]
