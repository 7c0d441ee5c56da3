"""Exceptions raised by the counting engine."""

from __future__ import annotations


class CountingError(Exception):
    """Base class for every error the counting engine raises on purpose."""


class CountingInputError(CountingError, ValueError):
    """Malformed or inconsistent input (a ballot file, a CSV of list votes, bad parameters).

    ``line`` is the 1-based line number of the offending line when the input came from a file,
    and the message always names it ("line 7: ...") so it can be shown to a person unchanged.
    """

    def __init__(self, message: str, line: int | None = None, source: str | None = None):
        self.line = line
        self.source = source
        self.reason = message
        prefix = ""
        if source:
            prefix += f"{source}: "
        if line is not None:
            prefix += f"line {line}: "
        super().__init__(prefix + message)
