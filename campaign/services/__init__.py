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
from .representatives import (
    representative_cancel,
    representative_receive,
    representative_refuse,
    representative_register,
)

__all__ = [
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
