from django.contrib import admin
from django.utils.translation import gettext as _

from accounts.admin import SecretariatAdminMixin

from . import outbox, services
from .models import AuditEntry, Decision, DecisionVote, Election, OutboxMail, OutboxTask, PublishedHead


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


class DecisionVoteInline(admin.TabularInline):
    model = DecisionVote
    fields = ["user", "position", "vote"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Decision)
class DecisionAdmin(SecretariatAdminMixin, admin.ModelAdmin):
    """Read only: decisions are taken on the pages of the body that decides (and audited)."""

    list_display = ["number", "year", "title", "body_name", "subject_label", "decided_at", "is_adopted"]
    list_filter = ["election", "kind", "outcome", "is_adopted"]
    search_fields = ["subject_label", "body_name_ru", "body_name_en", "reasons"]
    inlines = [DecisionVoteInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class _OutboxAdmin(SecretariatAdminMixin, admin.ModelAdmin):
    """What the outbox still has to send or run, and why it has not (last error). Read-only but
    for two actions; the text of a mail is never shown (it may hold a voter's single-use link)."""

    list_filter = ["status"]
    actions = ["retry_now", "cancel"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Try again now"))
    def retry_now(self, request, queryset):
        count = outbox.outbox_retry_now(
            model=self.model, ids=list(queryset.values_list("pk", flat=True)), actor=request.user
        )
        self.message_user(request, _("Waiting items to try again now: %(count)s.") % {"count": count})

    @admin.action(description=_("Cancel (do not send)"))
    def cancel(self, request, queryset):
        count = outbox.outbox_cancel(
            model=self.model, ids=list(queryset.values_list("pk", flat=True)), actor=request.user
        )
        self.message_user(request, _("Cancelled: %(count)s.") % {"count": count})


def _why(row) -> str:
    """The last error in plain words (the technical text stays on the row's page)."""
    error = row.last_error or ""
    if not error:
        return "—"
    if error == "replaced by a newer mail":
        return _("Replaced by a newer mail (a new link).")
    if error == "cancelled in Administration":
        return _("Cancelled in Administration.")
    if error.startswith("the worker sending it stopped"):
        return _("The worker sending it stopped; it was sent again.")
    if "RecipientsRefused" in error:
        return _("The mail server refused this address.")
    if row._meta.model_name == "outboxtask":
        return _("The task failed; the portal tries again later.")
    return _("The mail server did not take it; the portal tries again later.")


@admin.register(OutboxMail)
class OutboxMailAdmin(_OutboxAdmin):
    list_display = ["to", "subject", "status", "attempts", "next_attempt_at", "sent_at", "why"]
    list_filter = ["status", "election"]
    search_fields = ["to", "subject"]
    fields = [
        "election",
        "to",
        "subject",
        "status",
        "created_at",
        "attempts",
        "next_attempt_at",
        "why",
        "sent_at",
        "last_error",
    ]
    readonly_fields = ["why"]
    date_hierarchy = "created_at"

    @admin.display(description=_("why it waits"))
    def why(self, obj):
        return _why(obj)


@admin.register(OutboxTask)
class OutboxTaskAdmin(_OutboxAdmin):
    list_display = ["what", "status", "attempts", "next_attempt_at", "done_at", "why"]
    list_filter = ["status"]
    fields = ["what", "status", "created_at", "attempts", "next_attempt_at", "why", "done_at", "last_error"]
    readonly_fields = ["what", "why"]

    @admin.display(description=_("task"))
    def what(self, obj):
        return str(obj)

    @admin.display(description=_("why it waits"))
    def why(self, obj):
        return _why(obj)
