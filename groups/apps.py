from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = _("Electoral structure")

    def ready(self):
        from accounts.permissions import register_role_assignments

        from .models import RoleAssignment

        # accounts decides what roles may do but sits below the scopes a role is held in, so it
        # reads the assignments through this lookup (as it writes the audit log through elections)
        register_role_assignments(RoleAssignment.objects.all)

        from elections.activity_work import register_activity_work

        from .work_selectors import calendar_work

        # the calendar plan's rows of training and of the budget link to their pages
        register_activity_work(calendar_work)

        from .dashboard import register_builtin_panels

        register_builtin_panels()

        from .services.file_imports import register_reader
        from .services.units import may_import_units, units_import

        register_reader(
            "units",
            units_import,
            limit_setting="IMPORT_UNITS_MAX_MB",
            default_mb=5,
            may_upload=may_import_units,
        )
