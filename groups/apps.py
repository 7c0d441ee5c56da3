from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = _("Electoral structure")

    def ready(self):
        from .dashboard import register_builtin_panels

        register_builtin_panels()
