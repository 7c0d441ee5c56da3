from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data of both seed elections (``manage.py load_demo``). Depends on every other app."""

    name = "demo"
    verbose_name = _("Demo data")
