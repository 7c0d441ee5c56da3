from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """Django admin, restricted to the secretariat (see accounts.permissions)."""

    default_site = "electionportal.admin.PortalAdminSite"
