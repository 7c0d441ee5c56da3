"""Fuzz (hypothesis): the one text decoder of every import (elections/textfiles.py) never raises
anything but TextFileError, whatever the bytes; and a text saved in any supported encoding with
any newline style reads back as the same text."""

from hypothesis import given
from hypothesis import strategies as st

from elections import textfiles
from tests.fuzz import FUZZ, any_file

LINES = ["personal_number,last_name", "21203198012345,Асанов", "a;b;c"]


@FUZZ
@given(data=any_file(LINES), allow_cp1251=st.booleans(), max_line=st.integers(1, 200))
def test_any_bytes_decode_or_are_refused_plainly(data, allow_cp1251, max_line):
    try:
        decoded = textfiles.decode(data, allow_cp1251=allow_cp1251, max_line=max_line)
    except textfiles.TextFileError as exc:
        assert exc.message() and (exc.line is None or exc.line >= 1)
        return
    assert "\r" not in decoded.text and "\x00" not in decoded.text
    assert all(len(line) <= max_line for line in decoded.text.split("\n"))


TEXT = st.text(
    alphabet=st.characters(blacklist_categories=["Cs", "Cc"], blacklist_characters="\ufeff")
    | st.sampled_from("\t"),
    max_size=60,
)


@FUZZ
@given(
    lines=st.lists(TEXT, min_size=1, max_size=8),
    newline=st.sampled_from(["\n", "\r", "\r\n"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "utf-32"]),
)
def test_a_text_reads_back_the_same_in_any_encoding_and_newline_style(lines, newline, encoding):
    data = newline.join(lines).encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data  # a BOM: without one UTF-16 is refused (NUL bytes)
    if not data:
        return
    assert textfiles.decode(data, max_line=1000).text == "\n".join(lines)
