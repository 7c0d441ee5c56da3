"""Ballot sets: one contest's anonymised ballots as the bulletin board publishes them, in a file
anyone can recount (``tally --ballots FILE``) with this engine or another tool.

Two formats carry the same ballots:

* **JSON** (``write_ballot_set_json`` / ``parse_ballot_set_json``), the complete one::

    {"format": "election-portal/ballot-set", "version": 1,
     "contest": {"title": ..., "method": "plurality", "seats": 1, "alternates": 1,
                 "threshold": null, "threshold_base": "valid",
                 "tie": {"rule": "backwards", "fallback": "commission", "decisions": [[...]]}},
     "options": [{"code": "a00f585a", "label": "Anna Smith", "kind": "candidate"}, ...],
     "ballots": [{"receipt": "LES2-XCWV-CWQJ", "status": "valid", "choices": ["a00f585a"]}, ...],
     "paper_batches": [{"batch": "Box 1", "counts": {"a00f585a": 3}, "blank": 0, "invalid": 1, "late": 0}],
     "fingerprint": "<SHA-256>"}

  ``choices`` are option codes, most preferred first in a ranked contest. ``receipt`` is null for
  a ballot without a receipt (one received by e-mail or entered from paper one by one).
  ``paper_batches`` are the totals of paper ballots counted in batches (an assembly's ballot box):
  the commission counted them, so only their totals exist. ``fingerprint`` is the SHA-256 the
  protocol prints (``ballot_set_fingerprint``); the reader checks the ballots against it.

* **CSV** (``write_ballot_set_csv`` / ``parse_ballot_set_csv``), one row per ballot, one column per
  option (the ballot's labels as the header), the mark ``1`` or the preference number in the
  cells; a column ``against_all`` for "against all"; ``weight`` 1 for each stored ballot and the
  number of ballots for a paper batch's totals (``receipt`` empty)::

    receipt,status,weight,against_all,Anna Smith,Boris Orlov
    LES2-XCWV-CWQJ,valid,1,,1,
    -,late,1,,1,
    ,valid,3,,1,

Ballots with the status ``invalid`` or ``late`` are published but never counted; a valid ballot
with no mark is blank. Every problem raises :class:`CountingInputError` naming the line (CSV) or
the ballot (JSON).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, TextIO

from .blt import MAX_DIGITS, read_text_file
from .errors import CountingInputError
from .types import BallotGroup, Profile, VoteCounts

FORMAT = "election-portal/ballot-set"
VERSION = 1
STATUSES = ("valid", "invalid", "late")
KINDS = ("candidate", "party_list", "against_all")
AGAINST_ALL = "against_all"
CSV_FIXED = ("receipt", "status", "weight", AGAINST_ALL)
NO_RECEIPT = "-"


@dataclass(frozen=True)
class SetOption:
    code: str
    label: str
    kind: str = "candidate"


@dataclass(frozen=True)
class SetBallot:
    """One stored ballot (``weight`` 1) or, in a CSV file, ``weight`` identical rows of a batch."""

    receipt: str | None
    status: str
    choices: tuple[str, ...]


@dataclass(frozen=True)
class PaperBatch:
    batch: str
    counts: tuple[tuple[str, int], ...]
    blank: int = 0
    invalid: int = 0
    late: int = 0


@dataclass(frozen=True)
class BallotSet:
    options: tuple[SetOption, ...]
    ballots: tuple[SetBallot, ...]
    batches: tuple[PaperBatch, ...] = ()
    title: str = ""
    method: str | None = None
    seats: int | None = None
    alternates: int | None = None
    threshold: str | None = None
    threshold_base: str | None = None
    tie_rule: str | None = None
    tie_fallback: str | None = None
    tie_decisions: tuple[tuple[str, ...], ...] = ()
    #: the fingerprint the file declares (JSON), checked against its ballots when read
    declared_fingerprint: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def candidates(self) -> tuple[SetOption, ...]:
        """The options that can win: every one but "against all", in ballot order."""
        return tuple(o for o in self.options if o.kind != AGAINST_ALL)

    def fingerprint(self) -> str:
        return ballot_set_fingerprint((b.receipt, b.status, list(b.choices)) for b in self.ballots)


def ballot_set_fingerprint(rows) -> str:
    """SHA-256 of a ballot set: one canonical JSON line ``[receipt or "-", status, [codes]]`` per
    ballot, sorted, joined by newlines — the same as the protocol's fingerprint."""
    lines = sorted(
        json.dumps([r or NO_RECEIPT, s, list(c)], ensure_ascii=False, separators=(",", ":"))
        for r, s, c in rows
    )
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


# --- counting input ------------------------------------------------------------------------------


def to_vote_counts(ballot_set: BallotSet) -> VoteCounts:
    """Votes per option over the valid ballots plus the paper batches' totals, "against all",
    blank and invalid apart; late ballots are not counted. The same sums the portal makes."""
    kinds = {o.code: o.kind for o in ballot_set.options}
    votes: Counter = Counter()
    blank = invalid = marked = 0
    for b in ballot_set.ballots:
        if b.status == "invalid":
            invalid += 1
        elif b.status == "valid":
            if b.choices:
                marked += 1
                votes.update(b.choices)
            else:
                blank += 1
    for batch in ballot_set.batches:
        counts = dict(batch.counts)
        votes.update(counts)
        blank += batch.blank
        invalid += batch.invalid
        marked += sum(counts.values())
    candidates = ballot_set.candidates
    return VoteCounts(
        options=tuple(o.label for o in candidates),
        votes=tuple(votes.get(o.code, 0) for o in candidates),
        against_all=sum(n for code, n in votes.items() if kinds.get(code) == AGAINST_ALL),
        blank=blank,
        invalid=invalid,
        marked_ballots=marked if ballot_set.method == "approval" else None,
        title=ballot_set.title,
    )


def to_profile(ballot_set: BallotSet, seats: int | None = None) -> Profile:
    """The valid ballots as a ranked profile (identical rankings grouped; "against all" dropped).
    Refused when the set holds paper batches: a ranked count needs every ballot's order."""
    if ballot_set.batches:
        raise CountingInputError(
            "the ballot set holds totals of paper batches, which have no order of preferences; "
            "a ranked count needs every ballot"
        )
    candidates = ballot_set.candidates
    index = {o.code: i for i, o in enumerate(candidates)}
    groups: Counter = Counter()
    for b in ballot_set.ballots:
        if b.status == "valid":
            groups[tuple(index[c] for c in b.choices if c in index)] += 1
    return Profile(
        candidates=tuple(o.label for o in candidates),
        seats=seats or ballot_set.seats or 1,
        groups=tuple(BallotGroup(weight=n, ranking=r) for r, n in sorted(groups.items())),
        title=ballot_set.title,
    )


# --- JSON ----------------------------------------------------------------------------------------


def write_ballot_set_json(ballot_set: BallotSet) -> str:
    tie = None
    if ballot_set.tie_rule:
        tie = {
            "rule": ballot_set.tie_rule,
            "fallback": ballot_set.tie_fallback,
            "decisions": [list(d) for d in ballot_set.tie_decisions],
        }
    document = {
        "format": FORMAT,
        "version": VERSION,
        **ballot_set.extra,
        "contest": {
            "title": ballot_set.title,
            "method": ballot_set.method,
            "seats": ballot_set.seats,
            "alternates": ballot_set.alternates,
            "threshold": ballot_set.threshold,
            "threshold_base": ballot_set.threshold_base,
            "tie": tie,
            **ballot_set.extra.get("contest", {}),
        },
        "options": [{"code": o.code, "label": o.label, "kind": o.kind} for o in ballot_set.options],
        "ballots": [
            {"receipt": b.receipt, "status": b.status, "choices": list(b.choices)} for b in ballot_set.ballots
        ],
        "paper_batches": [
            {
                "batch": p.batch,
                "counts": dict(p.counts),
                "blank": p.blank,
                "invalid": p.invalid,
                "late": p.late,
            }
            for p in ballot_set.batches
        ],
        "fingerprint": ballot_set.fingerprint(),
    }
    return json.dumps(document, ensure_ascii=False) + "\n"


def parse_ballot_set_json(text: str, source: str | None = None) -> BallotSet:
    """Read a ballot set in JSON; the ballots must match the declared fingerprint."""

    def err(message: str) -> CountingInputError:
        return CountingInputError(message, source=source)

    try:
        doc = json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        raise CountingInputError(f"not valid JSON: {exc.msg}", line=exc.lineno, source=source) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise err(f'not a ballot set: the file must say "format": "{FORMAT}"')
    if doc.get("version") != VERSION:
        raise err(
            f"ballot set version {doc.get('version')!r} is not known; this reader knows version {VERSION}"
        )
    contest = doc.get("contest") or {}
    if not isinstance(contest, dict):
        raise err('"contest" must be an object')
    options = _json_options(doc.get("options"), err)
    codes = {o.code: o for o in options}
    ballots = []
    raw_ballots = doc.get("ballots")
    if not isinstance(raw_ballots, list):
        raise err('"ballots" must be a list')
    for n, raw in enumerate(raw_ballots, start=1):
        if not isinstance(raw, dict):
            raise err(f"ballot {n} must be an object")
        receipt = raw.get("receipt")
        if receipt is not None and (not isinstance(receipt, str) or not receipt.strip()):
            raise err(f"ballot {n}: the receipt must be text or null")
        status = raw.get("status")
        if status not in STATUSES:
            raise err(f"ballot {n}: unknown status {status!r}; use one of {', '.join(STATUSES)}")
        choices = raw.get("choices")
        if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
            raise err(f"ballot {n}: the choices must be a list of option codes")
        if status == "valid":
            _check_choices(choices, codes, lambda m, n=n: err(f"ballot {n}: {m}"))
        ballots.append(SetBallot(receipt, status, tuple(choices)))
    batches = []
    raw_batches = doc.get("paper_batches") or []
    if not isinstance(raw_batches, list):
        raise err('"paper_batches" must be a list')
    for n, raw in enumerate(raw_batches, start=1):
        if not isinstance(raw, dict) or not isinstance(raw.get("counts", {}), dict):
            raise err(f"paper batch {n} must be an object with counts per option code")
        counts = []
        for code, value in raw.get("counts", {}).items():
            if code not in codes:
                raise err(f"paper batch {n}: option code {code!r} is not among the options")
            counts.append((code, _json_count(value, f"paper batch {n}: votes for {code!r}", err)))
        batches.append(
            PaperBatch(
                batch=str(raw.get("batch") or n),
                counts=tuple(counts),
                blank=_json_count(raw.get("blank", 0), f"paper batch {n}: blank", err),
                invalid=_json_count(raw.get("invalid", 0), f"paper batch {n}: invalid", err),
                late=_json_count(raw.get("late", 0), f"paper batch {n}: late", err),
            )
        )
    tie = contest.get("tie") or {}
    decisions = tie.get("decisions") or [] if isinstance(tie, dict) else []
    labels = {o.label for o in options}
    for d in decisions:
        if not isinstance(d, list) or not all(isinstance(x, str) and x in labels for x in d):
            raise err("a tie decision must list names of options on the ballot")
    seats = contest.get("seats")
    alternates = contest.get("alternates")
    for what, value in (("seats", seats), ("alternates", alternates)):
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
            raise err(f'"{what}" must be a whole number')
    threshold = contest.get("threshold")
    ballot_set = BallotSet(
        options=tuple(options),
        ballots=tuple(ballots),
        batches=tuple(batches),
        title=str(contest.get("title") or ""),
        method=contest.get("method") or None,
        seats=seats,
        alternates=alternates,
        threshold=str(threshold) if threshold is not None else None,
        threshold_base=contest.get("threshold_base") or None,
        tie_rule=tie.get("rule") if isinstance(tie, dict) else None,
        tie_fallback=tie.get("fallback") if isinstance(tie, dict) else None,
        tie_decisions=tuple(tuple(d) for d in decisions),
        declared_fingerprint=doc.get("fingerprint"),
    )
    declared = ballot_set.declared_fingerprint
    if declared is not None and declared != ballot_set.fingerprint():
        raise err(
            "the ballots do not match the file's fingerprint: the file was changed after it was "
            "published, or it is incomplete"
        )
    return ballot_set


def _json_options(raw, err) -> list[SetOption]:
    if not isinstance(raw, list) or not raw:
        raise err('"options" must list the options on the ballot')
    options = []
    seen_codes, seen_labels = set(), set()
    for n, o in enumerate(raw, start=1):
        if (
            not isinstance(o, dict)
            or not isinstance(o.get("code"), str)
            or not isinstance(o.get("label"), str)
        ):
            raise err(f"option {n} must have a code and a label")
        kind = o.get("kind") or "candidate"
        if kind not in KINDS:
            raise err(f"option {n}: unknown kind {kind!r}; use one of {', '.join(KINDS)}")
        if o["code"] in seen_codes:
            raise err(f"option {n}: the code {o['code']!r} appears twice")
        if kind != AGAINST_ALL and o["label"] in seen_labels:
            raise err(f"option {n}: the name {o['label']!r} appears twice")
        seen_codes.add(o["code"])
        seen_labels.add(o["label"])
        options.append(SetOption(o["code"], o["label"], kind))
    return options


def _json_count(value, what: str, err) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0 or len(str(value)) > MAX_DIGITS:
        raise err(f"{what} must be a whole number, not negative")
    return value


def _check_choices(choices, codes: dict, err) -> None:
    unknown = [c for c in choices if c not in codes]
    if unknown:
        raise err(f"option code {unknown[0]!r} is not among the options")
    if len(set(choices)) != len(choices):
        raise err("an option is chosen twice")


# --- CSV -----------------------------------------------------------------------------------------


def write_ballot_set_csv(ballot_set: BallotSet) -> str:
    """The ballots as a matrix: one row per stored ballot, then one row per option (and per
    blank, invalid, late figure) of each paper batch with its number as the weight."""
    candidates = ballot_set.candidates
    against = [o.code for o in ballot_set.options if o.kind == AGAINST_ALL]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*CSV_FIXED, *(o.label for o in candidates)])

    def row(receipt: str, status: str, weight: int, choices) -> list:
        rank = {code: i for i, code in enumerate(choices, start=1)}
        mark = (lambda code: str(rank[code])) if ballot_set.method in _RANKED else (lambda code: "1")
        against_mark = next((mark(c) for c in against if c in rank), "")
        return [
            receipt,
            status,
            weight,
            against_mark,
            *(mark(o.code) if o.code in rank else "" for o in candidates),
        ]

    for b in ballot_set.ballots:
        writer.writerow(row(b.receipt or NO_RECEIPT, b.status, 1, b.choices))
    for p in ballot_set.batches:
        for code, n in p.counts:
            if n:
                writer.writerow(row("", "valid", n, (code,)))
        for status, n in (("valid", p.blank), ("invalid", p.invalid), ("late", p.late)):
            if n:
                writer.writerow(row("", status, n, ()))
    return out.getvalue()


_RANKED = ("irv", "stv-scottish", "stv-meek")


def parse_ballot_set_csv(text: str, source: str | None = None, ranked: bool = False) -> BallotSet:
    """Read the CSV matrix. ``ranked``: the cells are preference numbers (1 = first); otherwise
    any non-empty cell is a mark. Rows with an empty receipt are a paper batch's totals."""
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")

    def err(message: str, line: int | None) -> CountingInputError:
        return CountingInputError(message, line=line, source=source)

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    options: list[SetOption] = []
    ballots: list[SetBallot] = []
    batch_rows: list[tuple[str, int, tuple[str, ...]]] = []
    try:
        for cells in reader:
            line = reader.line_num
            if not cells or all(not c.strip() for c in cells):
                continue
            if header is None:
                header = [c.strip() for c in cells]
                if tuple(h.lower() for h in header[:4]) != CSV_FIXED:
                    raise err(
                        f"the header must begin with {','.join(CSV_FIXED)}, then the options' names", line
                    )
                names = header[4:]
                if not names:
                    raise err("the header names no option", line)
                duplicate = next((n for n in names if names.count(n) > 1), None)
                if duplicate is not None or "" in names:
                    raise err(
                        f"option names in the header must be unique and not empty ({duplicate!r})", line
                    )
                options = [SetOption(f"c{i}", name) for i, name in enumerate(names, start=1)]
                options.append(SetOption(AGAINST_ALL, "against all", AGAINST_ALL))
                continue
            if len(cells) > len(header):
                raise err(f"{len(cells)} cells, but the header has {len(header)} columns", line)
            cells = [c.strip() for c in cells] + [""] * (len(header) - len(cells))
            receipt, status, raw_weight = cells[0], cells[1].lower(), cells[2]
            if status not in STATUSES:
                raise err(f"unknown status {cells[1]!r}; use one of {', '.join(STATUSES)}", line)
            if not (raw_weight.isascii() and raw_weight.isdigit()) or len(raw_weight) > MAX_DIGITS:
                raise err(f"the weight must be a whole number, not {raw_weight!r}", line)
            weight = int(raw_weight)
            if weight < 1:
                raise err("the weight must be at least 1", line)
            marked = []
            for col, cell in enumerate(cells[3:]):
                if not cell:
                    continue
                code = AGAINST_ALL if col == 0 else options[col - 1].code
                if ranked:
                    if not (cell.isascii() and cell.isdigit()) or int(cell) < 1:
                        raise err(f"a preference must be a number from 1 up, not {cell!r}", line)
                    marked.append((int(cell), code))
                else:
                    marked.append((1, code))
            prefs = sorted(marked)
            if ranked and [p for p, _c in prefs] != list(range(1, len(prefs) + 1)):
                raise err("the preferences must be 1, 2, 3, … without a gap or a repeat", line)
            choices = tuple(code for _p, code in prefs)
            if receipt:
                if weight != 1:
                    raise err("a ballot with a receipt has the weight 1", line)
                ballots.append(SetBallot(None if receipt == NO_RECEIPT else receipt, status, choices))
            else:
                batch_rows.append((status, weight, choices))
    except csv.Error as exc:
        raise err(f"not a valid CSV file ({exc})", reader.line_num) from None
    if header is None:
        raise err("the file is empty", None)
    batches = ()
    if batch_rows:
        counts: Counter = Counter()
        special = dict.fromkeys(STATUSES, 0)
        for status, weight, choices in batch_rows:
            if status == "valid" and choices:
                if len(choices) != 1:
                    raise err("a paper batch's row marks one option (its votes are the weight)", None)
                counts[choices[0]] += weight
            else:
                special["valid" if status == "valid" else status] += weight
        batches = (
            PaperBatch(
                batch="paper",
                counts=tuple(counts.items()),
                blank=special["valid"],
                invalid=special["invalid"],
                late=special["late"],
            ),
        )
    return BallotSet(options=tuple(options), ballots=tuple(ballots), batches=batches)


# --- files ---------------------------------------------------------------------------------------


def read_ballot_set(source: str | os.PathLike[str] | TextIO, ranked: bool = False) -> BallotSet:
    """A ballot set from a file: JSON when it begins with ``{``, else the CSV matrix."""
    if hasattr(source, "read"):
        text, name = source.read(), getattr(source, "name", None)  # type: ignore[union-attr]
    else:
        text, name = read_text_file(source, "ballot set"), str(source)
    if text.lstrip("\ufeff \t\r\n").startswith("{"):
        return parse_ballot_set_json(text, name)
    return parse_ballot_set_csv(text, name, ranked=ranked)
