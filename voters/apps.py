from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotersConfig(AppConfig):
    """Voters: registration in groups (seed 000), the voter register and precinct lists (seed 003),
    and voting credentials."""

    name = "voters"
    verbose_name = _("Voters")
