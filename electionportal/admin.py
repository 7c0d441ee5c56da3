from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.permissions import can


class PortalAdminSite(admin.AdminSite):
    site_header = _("Election Portal administration")
    site_title = _("Election Portal")
    index_title = _("Secretariat administration")

    def has_permission(self, request):

        return bool(request.user.is_active and can(request.user, "admin.use"))
