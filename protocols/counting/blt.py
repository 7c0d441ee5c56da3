"""Read and write BLT ballot files (the format of ERS, OpenSTV, Droop and eSTV).

Layout::

    4 2                     <candidates> <seats>
    -3                      optional: withdrawn candidates (negative numbers), one or more lines
    12 1 2 0                <weight> <first pref> <second pref> ... 0
    4 0                     4 blank ballots
    0                       end of ballots
    "Anna Smith"            one name per candidate, in order
    "Mary ""Molly"" Jones"  CSV-style quoting: "" is a literal quote
    Ward 6 - Lerwick North  an unquoted line is taken whole (names or title)
    "Election title"        optional title

Handling decided here (see README.md):

* weights must be whole positive numbers; preferences must be candidate numbers 1..N;
* ``=`` (equal rankings) is rejected: the Scottish rules and IRV need a strict order;
* a candidate ranked twice on one line is rejected;
* blank lines are ignored and lines starting with ``#`` before the names are comments;
* text after the title is rejected.

Every problem raises :class:`CountingInputError` naming the line.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO

from .errors import CountingInputError
from .types import BallotGroup, Profile


def read_blt(source: str | os.PathLike[str] | TextIO) -> Profile:
    """Read a BLT file from a path or an open text file."""
    if hasattr(source, "read"):
        text = source.read()  # type: ignore[union-attr]
        name = getattr(source, "name", None)
    else:
        path = Path(source)  # type: ignore[arg-type]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CountingInputError(
                f"cannot read the ballot file: {exc.strerror or exc}", source=str(path)
            ) from None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise CountingInputError(
                "the file is not valid UTF-8 text", line=line, source=str(path)
            ) from None
        name = str(path)
    return parse_blt(text, source=name)


def parse_blt(text: str, source: str | None = None) -> Profile:
    """Parse BLT text into a :class:`Profile`."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.splitlines()
    pos = 0

    def err(message: str, lineno: int | None) -> CountingInputError:
        return CountingInputError(message, line=lineno, source=source)

    def next_content(i: int) -> int:
        while i < len(lines) and (not lines[i].strip() or lines[i].lstrip().startswith("#")):
            i += 1
        return i

    # header --------------------------------------------------------------
    pos = next_content(pos)
    if pos >= len(lines):
        raise err("the file is empty; expected '<candidates> <seats>'", 1)
    header = lines[pos].split()
    if len(header) != 2 or not all(_is_int(t) for t in header):
        raise err(f"expected '<candidates> <seats>', found {lines[pos].strip()!r}", pos + 1)
    n_cand, seats = int(header[0]), int(header[1])
    if n_cand < 1:
        raise err("the number of candidates must be at least 1", pos + 1)
    if seats < 1:
        raise err("the number of seats must be at least 1", pos + 1)
    pos += 1

    # withdrawn candidates -------------------------------------------------
    withdrawn: set[int] = set()
    while True:
        pos = next_content(pos)
        if pos >= len(lines):
            break
        tokens = lines[pos].split()
        if not tokens[0].startswith("-"):
            break
        for tok in tokens:
            if not (tok.startswith("-") and tok[1:].isdigit()):
                raise err(f"expected withdrawn candidates like '-2', found {tok!r}", pos + 1)
            k = int(tok[1:])
            if not 1 <= k <= n_cand:
                raise err(f"withdrawn candidate {k} does not exist (there are {n_cand})", pos + 1)
            withdrawn.add(k - 1)
        pos += 1

    # ballots --------------------------------------------------------------
    groups: list[BallotGroup] = []
    ended = False
    last = pos
    while True:
        pos = next_content(pos)
        if pos >= len(lines):
            break
        last = pos
        line = lines[pos].strip()
        if line == "0":
            ended = True
            pos += 1
            break
        groups.append(_parse_ballot(line, pos + 1, n_cand, err))
        pos += 1
    if not ended:
        raise err(
            "the ballots must end with a line '0' (the file ends too early)", min(last, len(lines) - 1) + 1
        )

    # names and title --------------------------------------------------------
    strings: list[tuple[str, int]] = []
    for i in range(pos, len(lines)):
        raw = lines[i].strip()
        if not raw:
            continue
        if raw.startswith('"'):
            for s in _split_quoted(raw, i + 1, err):
                strings.append((s, i + 1))
        else:
            strings.append((raw, i + 1))
    if len(strings) < n_cand:
        where = strings[-1][1] if strings else len(lines)
        raise err(f"expected {n_cand} candidate names after the ballots, found {len(strings)}", where)
    names = [s for s, _ in strings[:n_cand]]
    seen: dict[str, int] = {}
    for s, lineno in strings[:n_cand]:
        if not s.strip():
            raise err("a candidate name is empty", lineno)
        if s in seen:
            raise err(f"candidate name {s!r} appears twice (first on line {seen[s]})", lineno)
        seen[s] = lineno
    title = ""
    if len(strings) > n_cand:
        title = strings[n_cand][0]
    if len(strings) > n_cand + 1:
        extra, lineno = strings[n_cand + 1]
        raise err(f"unexpected text after the title: {extra!r}", lineno)
    return Profile(tuple(names), seats, tuple(groups), frozenset(withdrawn), title)


def _parse_ballot(line: str, lineno: int, n_cand: int, err: Callable[..., CountingInputError]) -> BallotGroup:
    if "=" in line:
        raise err("equal rankings ('=') are not supported: every preference must have its own rank", lineno)
    tokens = line.split()
    if tokens[0].startswith("("):
        raise err("ballot identifiers in parentheses are not supported", lineno)
    weight_tok = tokens[0]
    if not _is_int(weight_tok):
        raise err(f"the ballot weight must be a whole number, found {weight_tok!r}", lineno)
    weight = int(weight_tok)
    if weight < 1:
        raise err(f"the ballot weight must be positive, found {weight}", lineno)
    if tokens[-1] != "0" or len(tokens) < 2:
        raise err("a ballot line must end with 0", lineno)
    ranking: list[int] = []
    for tok in tokens[1:-1]:
        if not tok.isdigit():
            raise err(f"expected a candidate number, found {tok!r}", lineno)
        k = int(tok)
        if k == 0:
            raise err("0 may only end a ballot line", lineno)
        if k > n_cand:
            raise err(f"candidate {k} does not exist (there are {n_cand})", lineno)
        if k - 1 in ranking:
            raise err(f"candidate {k} is ranked twice", lineno)
        ranking.append(k - 1)
    return BallotGroup(weight, tuple(ranking))


def _split_quoted(raw: str, lineno: int, err: Callable[..., CountingInputError]) -> list[str]:
    """Split a line of one or more double-quoted strings; "" inside quotes is a literal quote."""
    out = []
    i = 0
    n = len(raw)
    while i < n:
        while i < n and raw[i].isspace():
            i += 1
        if i >= n:
            break
        if raw[i] != '"':
            raise err(f"expected a quoted name, found {raw[i:]!r}", lineno)
        i += 1
        buf = []
        while True:
            if i >= n:
                raise err("a quoted name is not closed", lineno)
            ch = raw[i]
            if ch == '"':
                if i + 1 < n and raw[i + 1] == '"':
                    buf.append('"')
                    i += 2
                    continue
                i += 1
                break
            buf.append(ch)
            i += 1
        if i < n and not raw[i].isspace():
            raise err(f"unexpected text after a quoted name: {raw[i:]!r}", lineno)
        out.append("".join(buf))
    return out


def _is_int(token: str) -> bool:
    return token.isdigit() or (token[:1] == "-" and token[1:].isdigit())


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def write_blt(profile: Profile) -> str:
    """BLT text for ``profile`` (names and title quoted, quotes doubled)."""
    out = [f"{len(profile.candidates)} {profile.seats}"]
    out.extend(f"-{k + 1}" for k in sorted(profile.withdrawn))
    for g in profile.groups:
        out.append(" ".join([str(g.weight), *(str(c + 1) for c in g.ranking), "0"]))
    out.append("0")
    out.extend(_quote(name) for name in profile.candidates)
    out.append(_quote(profile.title))
    return "\n".join(out) + "\n"


def dump_blt(profile: Profile, fp: TextIO) -> None:
    """Write ``profile`` as BLT to an open text file."""
    fp.write(write_blt(profile))


def iter_blt_files(folder: str | os.PathLike[str]) -> Iterable[Path]:
    """BLT files in ``folder`` (sorted), for batch checks and benchmarks."""
    return sorted(Path(folder).glob("*.blt"))
