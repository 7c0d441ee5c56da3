"""CSV and XLSX exports that carry no live formula (issue 16: "formula injection").

A cell a user typed — a name, an organisation, a party — that starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return is read by Excel and LibreOffice as a formula (``=cmd|' /C calc'!A0``
runs a program). Every export of the portal writes through these helpers, which put an apostrophe
in front of such a text (the spreadsheet shows the text as typed). Numbers — and texts that are
plain numbers, such as ``-5`` — are left as they are.
"""

from __future__ import annotations

import csv
import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def neutralise(value):
    """``value`` made safe for a spreadsheet cell."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


class _Writer:
    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row):
        return self._writer.writerow([neutralise(v) for v in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


class _DictWriter:
    def __init__(self, writer):
        self._writer = writer

    def writeheader(self):
        return self._writer.writeheader()

    def writerow(self, row):
        return self._writer.writerow({k: neutralise(v) for k, v in row.items()})

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(handle, **kwargs) -> _Writer:
    """``csv.writer`` whose cells are neutralised."""
    return _Writer(csv.writer(handle, **kwargs))


def csv_dict_writer(handle, fieldnames, **kwargs) -> _DictWriter:
    """``csv.DictWriter`` whose cells are neutralised."""
    return _DictWriter(csv.DictWriter(handle, fieldnames=fieldnames, **kwargs))
