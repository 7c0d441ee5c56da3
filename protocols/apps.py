from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProtocolsConfig(AppConfig):
    name = "protocols"
    verbose_name = _("Protocols and results")

    def ready(self):
        from meetings.agenda_subjects import register_agenda_subjects

        from .agenda import agenda_subjects

        # a meeting's agenda items may point at what this app holds
        register_agenda_subjects(agenda_subjects)

        from elections.activity_work import register_activity_work

        from .acts_selectors import calendar_work

        # the calendar plan's rows link to the acts of hand-over and the TEC protocols
        register_activity_work(calendar_work)

        from elections import lifecycle

        from .services.publication import results_mail_on_publish

        lifecycle.register_on_enter("publish", results_mail_on_publish)

        from .guards import certification_consequences, publication_consequences

        lifecycle.register_consequence("publish", publication_consequences)
        lifecycle.register_consequence("certify", certification_consequences)

        from .archive_selectors import archive_blockers

        lifecycle.register_guard("archive", archive_blockers)

        from .aggregation_selectors import certification_blockers

        lifecycle.register_guard("certify", certification_blockers)

        from .guards import group_protocols_signed, recount_after_signing

        lifecycle.register_guard("certify", group_protocols_signed)

        from ballots.services import RECOUNT_GUARDS

        if recount_after_signing not in RECOUNT_GUARDS:
            RECOUNT_GUARDS.append(recount_after_signing)

        from polling.services import FROZEN_BY

        from .guards import day_records_frozen

        if day_records_frozen not in FROZEN_BY:
            FROZEN_BY.append(day_records_frozen)

        from elections.dashboard import register_panel

        from .guards import protocols_panel

        register_panel("protocols", protocols_panel, order=50)

        # the audit log's published heads are signed with the portal's key, and verify_audit
        # checks the heads recorded in signed protocols and archive manifests (elections may not
        # import protocols, so they are registered here)
        from elections import audit_anchors
        from elections.signing import signing_material

        from .audit_heads import archive_manifest_heads, signed_protocol_heads

        audit_anchors.register_signing_key(signing_material)
        audit_anchors.register_anchor_source(signed_protocol_heads)
        audit_anchors.register_anchor_source(archive_manifest_heads)

        from groups.services.file_imports import register_reader

        from .services.preliminary import may_import_preliminary, preliminary_import_content

        register_reader(
            "preliminary",
            preliminary_import_content,
            limit_setting="IMPORT_PRELIMINARY_MAX_MB",
            default_mb=10,
            may_upload=may_import_preliminary,
        )
