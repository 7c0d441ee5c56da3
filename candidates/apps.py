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

        from meetings.agenda_subjects import register_agenda_subjects

        from .agenda import agenda_subjects

        # a meeting's agenda items may point at what this app holds
        register_agenda_subjects(agenda_subjects)
        register_panel("candidates", candidates_panel, order=30)
