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

#: input files larger than this are refused before they are read (the largest real BLT file of
#: the reference set is 60 KB; a national list-vote CSV a few KB)
MAX_FILE_BYTES = 100 * 1024 * 1024
#: whole numbers longer than this are refused (Python refuses to convert more than 4,300 digits,
#: and no election has 10**15 ballots)
MAX_DIGITS = 15


def read_blt(source: str | os.PathLike[str] | TextIO) -> Profile:
    """Read a BLT file from a path or an open text file."""
    if hasattr(source, "read"):
        text = source.read()  # type: ignore[union-attr]
        name = getattr(source, "name", None)
    else:
        text = read_text_file(source, "ballot file")
        name = str(source)
    return parse_blt(text, source=name)


def read_text_file(source: str | os.PathLike[str], what: str) -> str:
    """A counting input file as text, through the portal's one decoder (textfiles: UTF-8
    with or without BOM, UTF-16 with a BOM, any newline style; NUL bytes, control characters,
    over-long lines, Windows-1251 and files over MAX_FILE_BYTES refused naming the line)."""
    from textfiles import TextFileError, decode

    path = Path(source)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise CountingInputError(f"cannot read the {what}: {exc.strerror or exc}", source=str(path)) from None
    if len(data) > MAX_FILE_BYTES:
        raise CountingInputError(
            f"the {what} is larger than {MAX_FILE_BYTES // (1 << 20)} MB", source=str(path)
        )
    try:
        return decode(data, allow_cp1251=False).text
    except TextFileError as exc:
        message = str(exc)  # English, naming the line: "Line 5 cannot be read…"
        raise CountingInputError(message[0].lower() + message[1:], source=str(path)) from None


def parse_blt(text: str, source: str | None = None) -> Profile:
    """Parse BLT text into a :class:`Profile`."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")  # LF, CRLF, CR; nothing else
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
        raise err(f"expected '<candidates> <seats>', found {_shown(lines[pos].strip())}", pos + 1)
    n_cand = _int(header[0], "the number of candidates", pos + 1, err)
    seats = _int(header[1], "the number of seats", pos + 1, err)
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
            if not (tok.startswith("-") and _is_digits(tok[1:])):
                raise err(f"expected withdrawn candidates like '-2', found {_shown(tok)}", pos + 1)
            k = _int(tok[1:], "a candidate number", pos + 1, err)
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
        raise err(f"the ballot weight must be a whole number, found {_shown(weight_tok)}", lineno)
    weight = _int(weight_tok, "the ballot weight", lineno, err)
    if weight < 1:
        raise err(f"the ballot weight must be positive, found {weight}", lineno)
    if tokens[-1] != "0" or len(tokens) < 2:
        raise err("a ballot line must end with 0", lineno)
    ranking: list[int] = []
    for tok in tokens[1:-1]:
        if not _is_digits(tok):
            raise err(f"expected a candidate number, found {_shown(tok)}", lineno)
        k = _int(tok, "a candidate number", lineno, err)
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


def _is_digits(token: str) -> bool:
    """ASCII digits only ("²" and "٣" are digits to ``str.isdigit`` but not to ``int``)."""
    return token.isascii() and token.isdigit()


def _is_int(token: str) -> bool:
    return _is_digits(token) or (token[:1] == "-" and _is_digits(token[1:]))


def _shown(token: str) -> str:
    """A token quoted in a message, shortened (a 5,000-digit number is not a message)."""
    return repr(token if len(token) <= 40 else token[:20] + "…" + token[-10:])


def _int(token: str, what: str, lineno: int, err: Callable[..., CountingInputError]) -> int:
    digits = token.lstrip("-")
    if len(digits) > MAX_DIGITS:
        raise err(f"{what} is too large: {len(digits)} digits, at most {MAX_DIGITS}", lineno)
    return int(token)


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
