from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignConfig(AppConfig):
    name = "campaign"
    verbose_name = _("The campaign and its money")

    def ready(self):
        from elections.activity_work import register_activity_work

        from .selectors import calendar_work

        # the calendar plan's rows link to the representatives, the funds and their reports
        register_activity_work(calendar_work)

        from candidates.selectors import register_represented_lists

        from .selectors import represented_lists

        # a party's registered representatives see its list's applications
        register_represented_lists(represented_lists)
