from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotersConfig(AppConfig):
    """Voters: registration in groups (seed 000), the voter register and precinct lists (seed 003),
    and voting credentials."""

    name = "voters"
    verbose_name = _("Voters")

    def ready(self):
        from .dashboard import register_panels
        from .guards import register_guards

        register_guards()
        register_panels()

        from groups.voter_lists import register_list_sizes

        from .selectors import precinct_register_sizes

        # groups sits below voters: its page of districts and precincts reads the lists' sizes here
        register_list_sizes(precinct_register_sizes)
