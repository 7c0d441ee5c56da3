"""Everything that changes the voters area: keyword-only arguments, one transaction, the
permission and phase checks, ``full_clean()``, an audit entry (``voters.*``); e-mails and
long work queued after commit (``voters.tasks``)."""

from .credentials import (
    CredentialAlreadyUsed,
    credential_mail_send,
    credential_mails_send,
    credential_mark_used,
    credential_reminders_send,
    credential_resend,
    credentials_issue,
)
from .imports import (
    failure_message,
    register_import_confirm,
    register_import_discard,
    register_import_run,
    register_import_upload,
    register_import_validate,
    register_imports_recover_stale,
)
from .register import (
    check_corrections_open,
    correction_decide,
    correction_decisions_open,
    correction_notify,
    correction_submit,
    freeze_blockers,
    register_entry_change,
    voter_list_freeze,
)
from .registration import (
    check_registration_open,
    consent_text,
    registration_confirm,
    registration_confirmation_send,
    registration_decide,
    registration_decisions_open,
    registration_duplicate_notice,
    registration_notify,
    registration_submit,
)
from .settings import SETTINGS_FIELDS, voter_settings_update

__all__ = [
    "SETTINGS_FIELDS",
    "CredentialAlreadyUsed",
    "check_corrections_open",
    "check_registration_open",
    "consent_text",
    "correction_decide",
    "correction_decisions_open",
    "correction_notify",
    "correction_submit",
    "credential_mail_send",
    "credential_mails_send",
    "credential_mark_used",
    "credential_reminders_send",
    "credential_resend",
    "credentials_issue",
    "failure_message",
    "freeze_blockers",
    "register_entry_change",
    "register_import_confirm",
    "register_import_discard",
    "register_import_run",
    "register_import_upload",
    "register_import_validate",
    "register_imports_recover_stale",
    "registration_confirm",
    "registration_confirmation_send",
    "registration_decide",
    "registration_decisions_open",
    "registration_duplicate_notice",
    "registration_notify",
    "registration_submit",
    "voter_list_freeze",
    "voter_settings_update",
]
