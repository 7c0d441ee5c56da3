from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BallotsConfig(AppConfig):
    name = "ballots"
    verbose_name = _("Voting")

    def ready(self):
        from elections import lifecycle
        from groups.services.structure import follow_group_rules

        from . import guards
        from .mixing import ballots_mix_final
        from .services import contests_follow_group, lock_contests, seal_participations

        follow_group_rules(contests_follow_group)
        # voters asks whether someone voted in any channel (e.g. no reminder after the assembly)
        from voters.selectors import register_vote_record

        from .selectors import has_voted

        register_vote_record(has_voted)
        lifecycle.register_guard("open_voting", guards.contests_ready)
        lifecycle.register_consequence("open_voting", guards.voting_consequences)
        lifecycle.register_consequence("close_voting", guards.closing_consequences)
        lifecycle.register_on_enter("open_voting", lock_contests)
        # the mix first: it takes the waiting ballots' table lock before anything takes the audit
        # head (sealing the participations audits), the order every other mix takes them in
        lifecycle.register_on_enter("close_voting", ballots_mix_final)
        lifecycle.register_on_enter("close_voting", seal_participations)
        lifecycle.register_guard("certify", guards.no_ballots_waiting)
        from meetings.agenda_subjects import register_agenda_subjects

        from .agenda import agenda_subjects

        # a meeting's agenda item may point at the ballot text it approves
        register_agenda_subjects(agenda_subjects)
        from elections.activity_work import register_activity_work

        from .approval import calendar_work

        # the calendar plan's row of the ballot text's approval links to each ballot's text
        register_activity_work(calendar_work)
        self._evict_cached_contests()
        try:
            from elections.dashboard import register_panel

            register_panel("turnout", guards.turnout_panel, order=40)
        except ImportError:  # pragma: no cover - groups is always installed
            pass

    @staticmethod
    def _evict_cached_contests():
        """Locked contests are cached per process (selectors.voting_contest); a save or a delete
        of a contest or an option drops the entry (a locked contest never changes, but a test
        database may reuse its id)."""
        from django.db.models.signals import post_delete, post_save

        from . import selectors
        from .models import Contest, ContestOption

        def evict(sender, instance, **kwargs):
            selectors.forget_contest(instance.pk if sender is Contest else instance.contest_id)

        def evict_election(sender, instance, **kwargs):
            selectors.forget_cast_elections()  # this process; others keep theirs a few seconds

        # lazy: models of another app load after the app registry; this runs from ready()
        from elections.models import Election

        post_save.connect(evict_election, sender=Election, weak=False, dispatch_uid="ballots.evict.Election")
        post_delete.connect(
            evict_election, sender=Election, weak=False, dispatch_uid="ballots.evict.Election.d"
        )
        for model in (Contest, ContestOption):
            post_save.connect(evict, sender=model, weak=False, dispatch_uid=f"ballots.evict.{model.__name__}")
            post_delete.connect(
                evict, sender=model, weak=False, dispatch_uid=f"ballots.evict.{model.__name__}.d"
            )
