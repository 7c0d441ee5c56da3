from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PollingConfig(AppConfig):
    name = "polling"
    verbose_name = _("Ballot papers and voting day")

    def ready(self):
        from ballots.selectors import register_precinct_turnout
        from elections.activity_work import register_activity_work

        from .selectors import calendar_work, contest_turnout

        # the calendar plan's rows link to the print run, the precincts' day and home voting
        register_activity_work(calendar_work)
        # the voting page's turnout of contests voted at precincts: the precincts' turnout reports
        register_precinct_turnout(contest_turnout)
