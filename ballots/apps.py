from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BallotsConfig(AppConfig):
    name = "ballots"
    verbose_name = _("Voting")

    def ready(self):
        from elections import lifecycle

        from . import guards
        from .services import lock_contests, seal_participations

        lifecycle.register_guard("open_voting", guards.contests_ready)
        lifecycle.register_on_enter("open_voting", lock_contests)
        lifecycle.register_on_enter("close_voting", seal_participations)
        try:
            from groups.dashboard import register_panel

            register_panel("turnout", guards.turnout_panel, order=40)
        except ImportError:  # pragma: no cover - groups is always installed
            pass
