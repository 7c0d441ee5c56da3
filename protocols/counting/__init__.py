"""Counting engine of the Election Portal: pure Python, exact arithmetic, no Django.

Every count returns a :class:`Result` with a stage-by-stage report; ``report.to_json`` /
``report.to_text`` render it.  See README.md in this folder for the methods and formats.
"""

from .approval import approval_counts, count_approval
from .blt import parse_blt, read_blt, write_blt
from .dispatch import METHODS, count
from .errors import CountingError, CountingInputError
from .irv import count_irv
from .listvotes import parse_list_votes, read_list_votes, write_list_votes
from .majority import count_absolute_majority
from .party_list import (
    DHONDT,
    HARE,
    LIST_METHODS,
    SAINTE_LAGUE,
    allocate_seats,
    dhondt,
    hare_largest_remainder,
    sainte_lague,
)
from .plurality import count_plurality, first_preference_counts
from .report import to_dict, to_json, to_text
from .stv_meek import count_stv_meek
from .stv_scottish import count_stv_scottish
from .ties import TIE_RULES, TieBreaker
from .types import (
    BASES,
    STATUS_COMPLETE,
    STATUS_RUNOFF,
    STATUS_TIE,
    STATUS_UNFILLED,
    BallotGroup,
    Profile,
    Result,
    Stage,
    Tie,
    VoteCounts,
)
from .version import ENGINE_VERSION

__all__ = [
    "BASES",
    "DHONDT",
    "ENGINE_VERSION",
    "HARE",
    "LIST_METHODS",
    "METHODS",
    "SAINTE_LAGUE",
    "STATUS_COMPLETE",
    "STATUS_RUNOFF",
    "STATUS_TIE",
    "STATUS_UNFILLED",
    "TIE_RULES",
    "BallotGroup",
    "CountingError",
    "CountingInputError",
    "Profile",
    "Result",
    "Stage",
    "Tie",
    "TieBreaker",
    "VoteCounts",
    "allocate_seats",
    "count",
    "approval_counts",
    "count_absolute_majority",
    "count_approval",
    "count_irv",
    "count_plurality",
    "count_stv_meek",
    "count_stv_scottish",
    "dhondt",
    "first_preference_counts",
    "hare_largest_remainder",
    "parse_blt",
    "parse_list_votes",
    "read_blt",
    "read_list_votes",
    "sainte_lague",
    "to_dict",
    "to_json",
    "to_text",
    "write_blt",
    "write_list_votes",
]
