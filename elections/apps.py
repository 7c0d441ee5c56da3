from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    name = "elections"
    verbose_name = _("Elections")

    def ready(self):
        from accounts.audit import register_audit_writer

        from . import lifecycle
        from .audit import audit_log

        register_audit_writer(audit_log)  # accounts cannot import the log: it sits below elections

        lifecycle.register_builtin_guards()

        from .audit_anchors import publish_head_after_commit
        from .models import PublishedHead

        def publish_on_results(*, election, actor):
            publish_head_after_commit(occasion=PublishedHead.Occasion.RESULTS_PUBLISHED, election=election)

        def publish_on_archive(*, election, actor):
            publish_head_after_commit(occasion=PublishedHead.Occasion.ELECTION_ARCHIVED, election=election)

        lifecycle.register_on_enter("publish", publish_on_results)
        lifecycle.register_on_enter("archive", publish_on_archive)
