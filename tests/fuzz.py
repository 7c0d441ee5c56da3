"""Shared strategies of the import fuzz tests (issue 16, deliverable 6): arbitrary bytes, and
near-valid files — valid lines mixed with hostile ones, every newline style, every encoding,
random bytes spliced in. Each test bounds one example's time with a hypothesis deadline and keeps
``max_examples`` modest so the suite stays quick."""

from __future__ import annotations

import datetime as dt
import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

#: one example may take this long (a 2-core machine shared by the whole suite: generous)
DEADLINE = dt.timedelta(seconds=3)
#: FUZZ_EXAMPLES=2000 for a deeper run by hand; the suite keeps it quick
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "40")),
    deadline=DEADLINE,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=False,
)

HOSTILE_LINES = [
    "",
    " ",
    '"',
    '"unclosed,field',
    "\x00",
    "\x01\x02",
    "\ufeff",
    "𝟙𝟚𝟛",
    "²³",
    "٣٤٥",
    "1" * 5000,
    "9" * 30,
    "-1",
    "1e999999",
    "NaN",
    ";;;;",
    ",,,,",
    "=cmd|' /C calc'!A0",
    "Асанов;Бакыт",
    "Мүлүк Ңө Үй",
    "x" * 300,
]
NEWLINES = ["\n", "\r", "\r\n"]
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1251", "latin-1"]


@st.composite
def near_valid(draw, valid_lines: list[str]) -> bytes:
    """A file made of valid and hostile lines, one newline style (sometimes mixed), one
    encoding, and sometimes a few random bytes spliced in."""
    lines = draw(
        st.lists(
            st.sampled_from(valid_lines) | st.sampled_from(HOSTILE_LINES) | st.text(max_size=40), max_size=12
        )
    )
    if valid_lines and draw(st.booleans()):
        lines = [valid_lines[0], *lines]  # usually keep the header first
    newline = draw(st.sampled_from(NEWLINES))
    text = newline.join(lines) + draw(st.sampled_from(["", newline]))
    data = text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(max_size=4)) + data[at + draw(st.integers(0, 2)) :]
    return data


def any_file(valid_lines: list[str]):
    """Arbitrary bytes or a near-valid file."""
    return st.binary(max_size=3000) | near_valid(valid_lines)
