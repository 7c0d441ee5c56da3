"""Input and output data of the counting engine.

Inputs
  * :class:`Profile` - ranked (or approval) ballots as weighted :class:`BallotGroup` s, the shape
    of a BLT file.  Candidates are referred to by 0-based index into ``Profile.candidates``.
  * :class:`VoteCounts` - one number per option (candidate or list) plus the special ballots:
    "against all", blank and invalid.  Used by plurality, approval, absolute majority and the
    party-list methods.

Outputs
  * :class:`Result` with its :class:`Stage` s and :class:`Tie` s.  ``Result.to_dict()`` is plain
    JSON-serialisable data: exact numbers are rendered as strings.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .errors import CountingInputError
from .version import ENGINE_VERSION

#: threshold / majority bases (see README.md)
BASE_PARTICIPANTS = "participants"
BASE_VALID = "valid"
BASE_LIST = "list"
BASES = (BASE_PARTICIPANTS, BASE_VALID, BASE_LIST)

#: result statuses
STATUS_COMPLETE = "complete"
STATUS_RUNOFF = "runoff_needed"
STATUS_TIE = "tie_unresolved"
STATUS_UNFILLED = "seats_unfilled"


@dataclass(frozen=True)
class BallotGroup:
    """``weight`` identical ballots ranking ``ranking`` (candidate indices, most preferred first).

    An empty ranking is a blank ballot.  For approval counts the ranking is the set of approved
    candidates (order ignored).
    """

    weight: int
    ranking: tuple[int, ...]


@dataclass(frozen=True)
class Profile:
    """A ballot profile: candidates, seats, ballot groups, withdrawn candidates and a title."""

    candidates: tuple[str, ...]
    seats: int
    groups: tuple[BallotGroup, ...]
    withdrawn: frozenset[int] = frozenset()
    title: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "candidates", tuple(self.candidates))
        object.__setattr__(self, "groups", tuple(self.groups))
        object.__setattr__(self, "withdrawn", frozenset(self.withdrawn))
        n = len(self.candidates)
        if n == 0:
            raise CountingInputError("there are no candidates")
        if len(set(self.candidates)) != n:
            raise CountingInputError("candidate names must be unique")
        if not isinstance(self.seats, int) or self.seats < 1:
            raise CountingInputError("the number of seats must be a positive integer")
        for k in self.withdrawn:
            if not 0 <= k < n:
                raise CountingInputError(f"withdrawn candidate {k + 1} does not exist")
        for g in self.groups:
            if not isinstance(g.weight, int) or g.weight < 1:
                raise CountingInputError(f"ballot weight must be a positive integer, got {g.weight!r}")
            if len(set(g.ranking)) != len(g.ranking):
                raise CountingInputError(f"a ballot ranks the same candidate twice: {g.ranking}")
            for c in g.ranking:
                if not isinstance(c, int) or not 0 <= c < n:
                    raise CountingInputError(f"a ballot refers to candidate {c!r}, which does not exist")

    @classmethod
    def from_rankings(
        cls,
        candidates: Sequence[str],
        rankings: Iterable[Sequence[str] | tuple[int, Sequence[str]]],
        seats: int = 1,
        withdrawn: Iterable[str] = (),
        title: str = "",
    ) -> Profile:
        """Build a profile from rankings given by candidate name.

        Each item is either a sequence of names (one ballot) or ``(weight, names)``.
        """
        index = {name: i for i, name in enumerate(candidates)}
        groups = []
        for item in rankings:
            if isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], int):
                weight, names = item
            else:
                weight, names = 1, item
            try:
                ranking = tuple(index[name] for name in names)
            except KeyError as exc:
                raise CountingInputError(f"unknown candidate {exc.args[0]!r} on a ballot") from None
            groups.append(BallotGroup(weight, ranking))
        try:
            withdrawn_idx = frozenset(index[name] for name in withdrawn)
        except KeyError as exc:
            raise CountingInputError(f"unknown withdrawn candidate {exc.args[0]!r}") from None
        return cls(tuple(candidates), seats, tuple(groups), withdrawn_idx, title)

    @property
    def total_ballots(self) -> int:
        return sum(g.weight for g in self.groups)

    def grouped(self) -> Profile:
        """The same profile with identical rankings merged (first-appearance order kept)."""
        merged: dict[tuple[int, ...], int] = {}
        for g in self.groups:
            merged[g.ranking] = merged.get(g.ranking, 0) + g.weight
        groups = tuple(BallotGroup(w, r) for r, w in merged.items())
        return Profile(self.candidates, self.seats, groups, self.withdrawn, self.title)

    def with_seats(self, seats: int) -> Profile:
        return Profile(self.candidates, seats, self.groups, self.withdrawn, self.title)


@dataclass(frozen=True)
class VoteCounts:
    """Votes per option (candidate or party list) plus special ballots.

    ``marked_ballots`` is, for approval votes, the number of valid ballots with at least one mark
    (the votes then add up to more than the ballots); leave it ``None`` for single-mark votes.
    """

    options: tuple[str, ...]
    votes: tuple[int, ...]
    against_all: int = 0
    blank: int = 0
    invalid: int = 0
    marked_ballots: int | None = None
    title: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "options", tuple(self.options))
        object.__setattr__(self, "votes", tuple(self.votes))
        if len(self.options) != len(self.votes):
            raise CountingInputError("options and votes differ in length")
        if len(set(self.options)) != len(self.options):
            raise CountingInputError("option names must be unique")
        for name, value in [
            *zip(self.options, self.votes, strict=True),
            ("against all", self.against_all),
            ("blank", self.blank),
            ("invalid", self.invalid),
        ]:
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise CountingInputError(f"votes for {name!r} must be a non-negative integer, got {value!r}")
        if self.marked_ballots is not None and (
            not isinstance(self.marked_ballots, int) or self.marked_ballots < 0
        ):
            raise CountingInputError("marked_ballots must be a non-negative integer")

    @classmethod
    def from_mapping(cls, votes: dict[str, int], **kwargs: Any) -> VoteCounts:
        return cls(tuple(votes), tuple(votes.values()), **kwargs)

    @property
    def list_votes(self) -> int:
        """Votes (ballots) for the options themselves."""
        return self.marked_ballots if self.marked_ballots is not None else sum(self.votes)

    @property
    def valid(self) -> int:
        """Valid ballots: option votes + "against all" + blank."""
        return self.list_votes + self.against_all + self.blank

    @property
    def participants(self) -> int:
        """Everybody who took part: valid + invalid ballots."""
        return self.valid + self.invalid

    def base(self, name: str) -> int:
        """Size of the threshold / majority base called ``name`` (one of :data:`BASES`)."""
        if name == BASE_PARTICIPANTS:
            return self.participants
        if name == BASE_VALID:
            return self.valid
        if name == BASE_LIST:
            return self.list_votes
        raise CountingInputError(f"unknown base {name!r}; use one of {', '.join(BASES)}")

    def totals(self) -> dict[str, str]:
        return {
            "list_votes": str(self.list_votes),
            "against_all": str(self.against_all),
            "blank": str(self.blank),
            "invalid": str(self.invalid),
            "valid": str(self.valid),
            "participants": str(self.participants),
        }


@dataclass
class Stage:
    """One stage (round) of a count.  Every number is a string."""

    number: int
    action: str
    description: str
    tallies: dict[str, str]
    subject: str | None = None
    transfers: dict[str, str] = field(default_factory=dict)
    elected: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    non_transferable: str | None = None
    loss: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "number": self.number,
            "action": self.action,
            "description": self.description,
            "tallies": dict(self.tallies),
        }
        if self.subject is not None:
            data["subject"] = self.subject
        if self.transfers:
            data["transfers"] = dict(self.transfers)
        data["elected"] = list(self.elected)
        data["excluded"] = list(self.excluded)
        if self.non_transferable is not None:
            data["non_transferable"] = self.non_transferable
        if self.loss is not None:
            data["loss_by_fraction"] = self.loss
        if self.details:
            data["details"] = self.details
        return data


@dataclass
class Tie:
    """A tie met during a count and how it was (or was not) resolved."""

    context: str
    candidates: list[str]
    pick: str
    rule: str
    stage: int | None = None
    resolved_by: str | None = None
    chosen: str | None = None
    detail: str = ""
    seed: int | None = None
    draw: dict[str, Any] | None = None

    @property
    def resolved(self) -> bool:
        return self.chosen is not None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "context": self.context,
            "stage": self.stage,
            "candidates": list(self.candidates),
            "pick": self.pick,
            "rule": self.rule,
            "resolved": self.resolved,
            "resolved_by": self.resolved_by,
            "chosen": self.chosen,
            "detail": self.detail,
        }
        if self.seed is not None:
            data["seed"] = self.seed
        if self.draw is not None:
            data["draw"] = self.draw
        return data


@dataclass
class Result:
    """Outcome of a count with its full stage-by-stage report."""

    method: str
    candidates: list[str]
    seat_count: int
    elected: list[str] = field(default_factory=list)
    seats: dict[str, int] = field(default_factory=dict)
    status: str = STATUS_COMPLETE
    quota: str | None = None
    stages: list[Stage] = field(default_factory=list)
    ties: list[Tie] = field(default_factory=list)
    alternates: list[str] = field(default_factory=list)
    runoff: list[str] = field(default_factory=list)
    unresolved_tie: Tie | None = None
    parameters: dict[str, Any] = field(default_factory=dict)
    totals: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    title: str = ""
    engine_version: str = ENGINE_VERSION

    @property
    def complete(self) -> bool:
        return self.status == STATUS_COMPLETE

    def to_dict(self) -> dict[str, Any]:
        return {
            "engine_version": self.engine_version,
            "method": self.method,
            "title": self.title,
            "status": self.status,
            "seat_count": self.seat_count,
            "candidates": list(self.candidates),
            "elected": list(self.elected),
            "seats": dict(self.seats),
            "alternates": list(self.alternates),
            "runoff": list(self.runoff),
            "quota": self.quota,
            "totals": dict(self.totals),
            "parameters": dict(self.parameters),
            "stages": [s.to_dict() for s in self.stages],
            "ties": [t.to_dict() for t in self.ties],
            "unresolved_tie": self.unresolved_tie.to_dict() if self.unresolved_tie else None,
            "notes": list(self.notes),
        }
