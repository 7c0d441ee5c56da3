"""Everything that changes candidates' data: keyword-only arguments, one transaction, the rule
check (capability, calendar window or deadline, the commission's declaration), ``full_clean()``,
an audit entry; e-mails queued after commit."""

from .accounts import applicant_account_request
from .applications import application_withdraw, party_list_create, party_list_withdraw
from .notify import application_notify
from .reminders import send_decision_reminders
from .settings import announcement_publish, candidacy_settings_update, criterion_add, criterion_delete
from .submission import application_submit, consent_text
from .verification import application_decide, registration_cancel, review_record

__all__ = [
    "announcement_publish",
    "applicant_account_request",
    "application_decide",
    "application_notify",
    "application_submit",
    "application_withdraw",
    "candidacy_settings_update",
    "consent_text",
    "criterion_add",
    "criterion_delete",
    "party_list_create",
    "party_list_withdraw",
    "registration_cancel",
    "review_record",
    "send_decision_reminders",
]
