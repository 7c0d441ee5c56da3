from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PollingConfig(AppConfig):
    name = "polling"
    verbose_name = _("Ballot papers and voting day")

    def ready(self):
        from elections.activity_work import register_activity_work

        from .selectors import calendar_work

        # the calendar plan's rows link to the print run, the precincts' day and home voting
        register_activity_work(calendar_work)
