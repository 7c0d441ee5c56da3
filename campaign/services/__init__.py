"""Everything that changes the campaign's records: one transaction and one audit entry each."""

from .funds import (
    fund_entries_import,
    fund_entry_add,
    fund_entry_decide,
    fund_open,
    fund_report_review,
    fund_report_submit,
    fund_rules_save,
)
from .public import (
    campaign_period,
    event_answer,
    event_notify,
    media_rate_record,
    place_record,
    voter_notice_publish,
)
from .representatives import (
    representative_cancel,
    representative_receive,
    representative_refuse,
    representative_register,
)

__all__ = [
    "campaign_period",
    "event_answer",
    "event_notify",
    "media_rate_record",
    "place_record",
    "voter_notice_publish",
    "fund_entries_import",
    "fund_entry_add",
    "fund_entry_decide",
    "fund_open",
    "fund_report_review",
    "fund_report_submit",
    "fund_rules_save",
    "representative_cancel",
    "representative_receive",
    "representative_refuse",
    "representative_register",
]
