from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CandidatesConfig(AppConfig):
    name = "candidates"
    verbose_name = _("Candidates")

    def ready(self):
        from elections.dashboard import register_panel
        from elections.lifecycle import register_guard

        from .dashboard import candidates_panel
        from .guards import undecided_applications

        register_guard("open_voting", undecided_applications)
        register_panel("candidates", candidates_panel, order=30)
