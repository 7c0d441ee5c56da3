"""Everything that changes the ballot papers' and the voting day's records, one transaction and
one audit entry each."""

from ._common import FROZEN_BY, PollingRefused, turnout_times
from .day import day_close, day_open, incident_record, turnout_report
from .home_voting import contests_at, home_request_not_voted, home_request_register, mobile_run_record
from .norms import parse_times, polling_settings_save
from .print_run import PRINT_GUARDS, precincts_of, print_run_calculate, print_run_order, print_run_produced

__all__ = [
    "FROZEN_BY",
    "PRINT_GUARDS",
    "PollingRefused",
    "contests_at",
    "day_close",
    "day_open",
    "home_request_not_voted",
    "home_request_register",
    "incident_record",
    "mobile_run_record",
    "parse_times",
    "polling_settings_save",
    "precincts_of",
    "print_run_calculate",
    "print_run_order",
    "print_run_produced",
    "turnout_report",
    "turnout_times",
]
