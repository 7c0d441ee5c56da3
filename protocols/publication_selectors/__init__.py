"""Reads for the public results (seed 000 item 24; seed 003 items 56 and 58).

Only signed protocols of an election at the stage ``published`` or ``archived`` are ever read
here: before that every selector returns nothing, so no page, file or mail can leak a figure.

Each result row carries the absolute number, the percentage and the *base* the percentage is of:

* votes for a candidate or list, “against all” and blank ballots — of the **valid ballots**;
* invalid (wrongly filled) and late ballots — of the **ballots received** (CCM group protocol,
  line 5) or of the **ballots found in the ballot boxes** (KG protocols, line 6).

Where the numbers come from: a CCM group's signed group protocol; a KG council's signed result
of the central commission (falling back to the territorial summary of its district), the
territorial summary per district and the precinct protocols per precinct. Turnout by region comes
from aggregated counts only (never a row per voter).

The reads are split by concern: ``state``, ``rows``, ``pages``, ``turnout``, ``open_data``;
every name is re-exported here.
"""

from .open_data import OPEN_DATA_COLUMNS, _protocol_record, open_data, open_data_rows
from .pages import (
    ContestResults,
    _group_by_contest,
    _signed,
    _signed_document,
    district_results,
    election_results,
    group_results,
    precinct_results,
)
from .rows import (
    DOCUMENT_LANGUAGES,
    FigureRow,
    OptionRow,
    ProtocolResult,
    PublicDocument,
    SpecialRow,
    _int,
    _matches,
    _seats,
    protocol_result,
)
from .state import (
    BASE_LABELS,
    HEADLINE_LEVELS,
    PUBLICATION_ACTIVITY,
    PUBLISHED_STATES,
    SPECIAL_LABELS,
    is_published,
    last_modified,
    percent,
    publication_activity,
    published_at,
)
from .turnout import TurnoutRow, _region_turnout, turnout_by_region, turnout_chart

__all__ = [
    "PUBLISHED_STATES",
    "PUBLICATION_ACTIVITY",
    "HEADLINE_LEVELS",
    "BASE_LABELS",
    "SPECIAL_LABELS",
    "percent",
    "is_published",
    "published_at",
    "last_modified",
    "publication_activity",
    "OptionRow",
    "SpecialRow",
    "FigureRow",
    "PublicDocument",
    "ProtocolResult",
    "_int",
    "_matches",
    "_seats",
    "protocol_result",
    "DOCUMENT_LANGUAGES",
    "_signed_document",
    "_signed",
    "ContestResults",
    "_group_by_contest",
    "election_results",
    "group_results",
    "district_results",
    "precinct_results",
    "TurnoutRow",
    "turnout_by_region",
    "_region_turnout",
    "turnout_chart",
    "OPEN_DATA_COLUMNS",
    "_protocol_record",
    "open_data",
    "open_data_rows",
]
