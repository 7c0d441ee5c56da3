"""Reading uploaded text files: the one decoder of every import (issue 16, "uploads that always end").

Every import (the voter register, districts and precincts, preliminary figures, calendar plan
templates, the ``tally`` command's BLT and votes files) reads its bytes through this module, so that
each refuses the same bad files with the same plain reason, naming the line, before any parsing:

* the size is checked before the file is read (``check_size``; the limits are settings);
* UTF-8 with or without BOM, UTF-16 and UTF-32 with a BOM are read; Windows-1251 (what Excel on a
  Russian Windows saves as "CSV") is accepted where the caller allows it and the text really looks
  Cyrillic, and otherwise named in the refusal ("the file looks like Windows-1251; save it as
  UTF-8"); any other encoding is refused at the first line that does not decode;
* NUL bytes and other control characters (a spreadsheet, a PDF, UTF-16 without a BOM) are refused;
* every newline style (LF, CRLF, CR alone) is read, and comes out as ``\\n``;
* a line longer than the limit is refused before the parser sees it (checked in one streaming pass
  over the bytes, in constant memory, so a 1 GB file without a newline costs nothing).

This package imports neither Django nor an app, so the counting engine (``protocols/counting``)
reads its files through it too. ``str(error)`` is English (the command line); ``error.message()``
is the same text translated once the portal has called ``configure`` (``elections.textfiles``
does, with Django's gettext and the ``IMPORT_MAX_LINE_LENGTH`` setting).
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO


def gettext_noop(message: str) -> str:
    """Marks a message for translation (makemessages knows the name) without needing settings."""
    return message


DEFAULT_MAX_LINE_LENGTH = 20_000
CHUNK = 1 << 20

_MESSAGES = {
    "too_large": gettext_noop("The file is too large: the limit is %(limit)s."),
    "empty": gettext_noop("The file is empty."),
    "spreadsheet": gettext_noop(
        "This is an Excel workbook, not a text file. In Excel choose “Save as” → “CSV UTF-8” and "
        "upload that file."
    ),
    "nul": gettext_noop(
        "The file is not plain text: line %(line)s contains a NUL byte (a spreadsheet, a document or "
        "UTF-16 text without its mark?). Save it as text in UTF-8 and upload it again."
    ),
    "control": gettext_noop(
        "The file is not plain text: line %(line)s contains a control character. Save it as text "
        "in UTF-8 and upload it again."
    ),
    "encoding": gettext_noop(
        "Line %(line)s cannot be read as %(encoding)s text. Save the file as text in UTF-8 and "
        "upload it again."
    ),
    "cp1251": gettext_noop("The file looks like Windows-1251 text; save it as UTF-8 and upload it again."),
    "line_too_long": gettext_noop(
        "Line %(line)s is too long: more than %(limit)s characters. Is it the right file?"
    ),
}

_CONTROL = bytes([*range(0, 9), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_CONTROL_RE = re.compile(b"[" + re.escape(_CONTROL) + b"]")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SPREADSHEETS = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # XLSX (zip), XLS (OLE2)
#: how an encoding is named to a person
ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "utf-16": "UTF-16",
    "utf-32": "UTF-32",
    "cp1251": "Windows-1251",
}


class TextFileError(ValueError):
    """A file refused as a whole (``line`` None) or at a line (1-based). ``code`` is one of
    ``_MESSAGES``; ``str()`` is English, ``message()`` translated."""

    def __init__(self, code: str, line: int | None = None, **params):
        self.code = code
        self.line = line
        self.params = {"line": line, **params}
        super().__init__(_MESSAGES[code] % self.params)

    def message(self) -> str:
        return _config["translate"](_MESSAGES[self.code]) % self.params


def size_label(limit_bytes: int) -> str:
    """ "5 MB", "1 GB", "300 KB": a limit as people write it."""
    for unit, size in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if limit_bytes >= size and limit_bytes % size == 0:
            return f"{limit_bytes // size} {unit}"
    return f"{limit_bytes} B"


def check_size(size: int, limit_bytes: int) -> None:
    """Refuse a file larger than ``limit_bytes`` (call it before reading the file)."""
    if size > limit_bytes:
        raise TextFileError("too_large", limit=size_label(limit_bytes))


def _identity(message: str) -> str:
    return message


_config = {"translate": _identity, "max_line_length": lambda: DEFAULT_MAX_LINE_LENGTH}


def configure(*, translate=None, max_line_length=None) -> None:
    """The portal's translation of messages and its limit on line length (callables); without
    it messages stay English and lines are limited to ``DEFAULT_MAX_LINE_LENGTH``."""
    if translate is not None:
        _config["translate"] = translate
    if max_line_length is not None:
        _config["max_line_length"] = max_line_length


def max_line_length() -> int:
    """The longest line an import reads."""
    return _config["max_line_length"]()


def _count_lines(data: bytes) -> int:
    """Line ends in ``data`` (LF, CRLF and CR alone each count once)."""
    lines = data.count(b"\n")
    if b"\r" in data:  # counting CRLF is the dear part: only when there is a CR at all
        lines += data.count(b"\r") - data.count(b"\r\n")
    return lines


def _looks_cyrillic(sample: bytes) -> bool:
    """Windows-1251 bytes that read as Russian/Kyrgyz/Kazakh words, not as Latin words with stray
    letters (Latin-1 "Müller" would read "Mьller" in Windows-1251: refused, never guessed)."""
    text = sample.decode("cp1251", errors="replace")
    cyrillic = mixed = 0
    for word in re.findall(r"[^\W\d_]+", text):
        has_cyr = any("\u0400" <= ch <= "\u04ff" for ch in word)
        if not has_cyr:
            continue
        if any(ch.isascii() for ch in word):
            mixed += 1
        else:
            cyrillic += 1
    return cyrillic > 0 and mixed * 10 <= cyrillic


class _Scanner:
    """One pass over ASCII-compatible bytes (UTF-8 or Windows-1251): control characters, line
    lengths, UTF-8 validity; line numbers are counted as it goes."""

    def __init__(self, max_line: int, *, check_utf8: bool = True):
        self.max_line = max_line
        self.check_utf8 = check_utf8
        self.lines = 0  # complete lines before the current chunk
        self.carry = b""  # the unfinished last line of the previous chunk
        self.last_cr = False
        self.utf8 = codecs.getincrementaldecoder("utf-8")()
        self.utf8_error: tuple[int, bytes] | None = None  # (line, sample around it)
        self.not_cp1251_line: int | None = None

    def _line_at(self, chunk: bytes, pos: int) -> int:
        return self.lines + _count_lines(chunk[:pos]) + 1

    def _chars(self, data: bytes) -> int:
        return len(data.decode("utf-8", errors="replace")) if self.utf8_error is None else len(data)

    def feed(self, chunk: bytes) -> None:
        if not chunk:
            return
        if self.last_cr and chunk[:1] == b"\n":  # a CRLF split between two chunks
            chunk = chunk[1:]
            if not chunk:
                self.last_cr = False
                return
        if len(chunk.translate(None, _CONTROL)) != len(chunk):
            nul = chunk.find(b"\x00")
            if nul >= 0:
                raise TextFileError("nul", self._line_at(chunk, nul))
            raise TextFileError("control", self._line_at(chunk, _CONTROL_RE.search(chunk).start()))
        if self.check_utf8 and self.utf8_error is None:
            try:
                self.utf8.decode(chunk)
            except UnicodeDecodeError as exc:
                start = exc.start
                line_start = max(chunk.rfind(b"\n", 0, start), chunk.rfind(b"\r", 0, start)) + 1
                self.utf8_error = (self._line_at(chunk, start), chunk[line_start : line_start + 65536])
        if self.not_cp1251_line is None and b"\x98" in chunk:  # the one byte Windows-1251 lacks
            self.not_cp1251_line = self._line_at(chunk, chunk.find(b"\x98"))
        self._check_lines(chunk)
        self.lines += _count_lines(chunk)
        self.last_cr = chunk[-1:] == b"\r"

    def _check_lines(self, chunk: bytes) -> None:
        """No line longer than ``max_line`` characters. A line that long contains a whole block
        of ``max_line // 2`` bytes aligned on the data, so only blocks without a newline are
        looked at closely: a couple of ``find`` calls per block, no copy of the lines."""
        data = self.carry + chunk if self.carry else chunk
        block = max(self.max_line // 2, 1)
        for start in range(0, len(data) - block + 1, block):
            end = start + block
            if data.find(b"\n", start, end) < 0 and data.find(b"\r", start, end) < 0:
                for i, part in enumerate(data.splitlines()):
                    if len(part) > self.max_line and self._chars(part) > self.max_line:
                        raise TextFileError("line_too_long", self.lines + 1 + i, limit=self.max_line)
                break
        last = max(data.rfind(b"\n"), data.rfind(b"\r"))
        self.carry = data[last + 1 :]

    def finish(self, *, allow_cp1251: bool) -> str:
        """The encoding of the whole file (``utf-8`` or ``cp1251``) or a refusal."""
        if not self.check_utf8:
            return "utf-8"
        if self.utf8_error is None:
            try:
                self.utf8.decode(b"", final=True)
            except UnicodeDecodeError:
                self.utf8_error = (self.lines + 1, self.carry[-65536:])
        if self.utf8_error is None:
            return "utf-8"
        line, sample = self.utf8_error
        if self.not_cp1251_line is None and _looks_cyrillic(sample):
            if allow_cp1251:
                return "cp1251"
            raise TextFileError("cp1251")
        raise TextFileError("encoding", line, encoding="UTF-8")


def _sniff(head: bytes, *, allow_spreadsheet: bool = False) -> str | None:
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    if not allow_spreadsheet and head[:4] in _SPREADSHEETS:
        raise TextFileError("spreadsheet")
    return None


def _transcode(chunks: Iterable[bytes], encoding: str, scanner: _Scanner) -> Iterator[bytes]:
    """UTF-16/32 chunks as UTF-8 chunks (so one scanner checks every encoding)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        for chunk in chunks:
            yield decoder.decode(chunk).encode("utf-8", errors="surrogatepass")
        yield decoder.decode(b"", final=True).encode("utf-8", errors="surrogatepass")
    except UnicodeDecodeError:
        raise TextFileError(
            "encoding", scanner.lines + _count_lines(scanner.carry) + 1, encoding=ENCODING_NAMES[encoding]
        ) from None


def scan(
    chunks: Iterable[bytes],
    *,
    allow_cp1251: bool = True,
    max_line: int | None = None,
    check_utf8: bool = True,
) -> str:
    """Check a file given as byte chunks (the first holding at least 4 bytes, or all of them);
    return the Python codec to read it with (``utf-8-sig``, ``utf-16``, ``utf-32`` or ``cp1251``)
    or raise :class:`TextFileError`.

    ``check_utf8=False`` leaves the UTF-8 check to the caller's own reading (a big file read once
    more is the dearest part of the scan): it gets ``utf-8-sig`` for any file without a BOM and,
    when its reading meets a ``UnicodeDecodeError``, calls :func:`scan` again to learn whether
    the file is Windows-1251 or which line is not text."""
    iterator = iter(chunks)
    first = next(iterator, b"")
    if not first:
        raise TextFileError("empty")
    encoding = _sniff(first)
    scanner = _Scanner(max_line or max_line_length(), check_utf8=check_utf8)
    if encoding in ("utf-16", "utf-32"):
        for chunk in _transcode(_chain(first, iterator), encoding, scanner):
            scanner.feed(chunk)
        scanner.finish(allow_cp1251=False)
        return encoding
    for chunk in _chain(first, iterator):
        scanner.feed(chunk)
    found = scanner.finish(allow_cp1251=allow_cp1251)
    return "utf-8-sig" if found == "utf-8" else found


def _chain(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest


def _file_chunks(handle: BinaryIO) -> Iterator[bytes]:
    while chunk := handle.read(CHUNK):
        yield chunk


def scan_file(
    path, *, allow_cp1251: bool = True, max_line: int | None = None, check_utf8: bool = True
) -> str:
    """:func:`scan` for a file on disk (one streaming pass, constant memory)."""
    with open(path, "rb") as handle:
        return scan(_file_chunks(handle), allow_cp1251=allow_cp1251, max_line=max_line, check_utf8=check_utf8)


def open_text(
    path, *, allow_cp1251: bool = True, max_line: int | None = None, encoding: str | None = None
) -> tuple[io.TextIOWrapper, str]:
    """Check a file on disk, then open it as text with every newline style read as ``\\n``.
    Returns the open text stream and the codec it is read with (``utf-8-sig``, ``cp1251``…;
    ``ENCODING_NAMES`` names it for people). ``encoding="assume-utf-8"`` skips the UTF-8 check
    (see :func:`scan`); a codec already found by a full scan skips the scan."""
    if encoding is None or encoding == "assume-utf-8":
        encoding = scan_file(path, allow_cp1251=allow_cp1251, max_line=max_line, check_utf8=encoding is None)
    raw = open(path, "rb")  # noqa: SIM115 - the caller closes the returned stream
    return io.TextIOWrapper(raw, encoding=encoding, newline=None), encoding


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # as people name it: "UTF-8", "Windows-1251", "UTF-16"…


def decode(data: bytes, *, allow_cp1251: bool = True, max_line: int | None = None) -> Decoded:
    """Check and decode a whole file held in memory: newlines become ``\\n``, the BOM is dropped."""
    encoding = scan(
        (data[i : i + CHUNK] for i in range(0, len(data), CHUNK)) if data else iter(()),
        allow_cp1251=allow_cp1251,
        max_line=max_line,
    )
    text = data.decode(encoding)
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Decoded(text, ENCODING_NAMES[encoding])


def read_upload(file, *, limit_bytes: int, allow_cp1251: bool = True) -> Decoded:
    """An uploaded file (Django ``UploadedFile``, ``File`` or a binary stream): the size checked
    before reading, then :func:`decode`."""
    size = getattr(file, "size", None)
    if size is not None:
        check_size(size, limit_bytes)
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(limit_bytes + 1) if hasattr(file, "read") else bytes(file)
    if isinstance(data, str):
        data = data.encode("utf-8")
    check_size(len(data), limit_bytes)
    return decode(data, allow_cp1251=allow_cp1251)
