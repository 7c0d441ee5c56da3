from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from elections.activity_work import register_activity_work

        from .selectors import calendar_work

        # the calendar plan's rows link to the meetings that carry their activities out
        register_activity_work(calendar_work)
