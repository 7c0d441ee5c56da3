from django.contrib import admin

from accounts.admin import SecretariatAdminMixin

from .models import Commission, ElectoralGroup


@admin.register(ElectoralGroup)
class ElectoralGroupAdmin(SecretariatAdminMixin, admin.ModelAdmin):
    list_display = ["name_ru", "election", "seats_members", "seats_alternates", "order"]
    list_filter = ["election"]
    search_fields = ["name_ru", "name_en"]


@admin.register(Commission)
class CommissionAdmin(SecretariatAdminMixin, admin.ModelAdmin):
    list_display = ["name_ru", "kind", "election", "group", "parent"]
    list_filter = ["election", "kind"]
    search_fields = ["name_ru", "name_en"]
