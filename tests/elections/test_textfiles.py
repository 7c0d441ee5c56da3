"""The one text decoder of the imports (elections/textfiles.py) over files of several 1 MB chunks:
line numbers stay exact across chunk borders for every newline style, a CRLF split between two
chunks is one line end, a long line spanning chunks is found, and Windows-1251 is told apart
from Latin-1."""

import pytest

from elections import textfiles


def _scan(data: bytes, **kwargs):
    chunks = (data[i : i + textfiles.CHUNK] for i in range(0, len(data), textfiles.CHUNK))
    return textfiles.scan(chunks, **kwargs)


@pytest.mark.parametrize("newline", [b"\n", b"\r", b"\r\n"], ids=["lf", "cr", "crlf"])
def test_the_line_of_a_nul_byte_is_exact_across_chunks(newline):
    lines = [b"%07d,Asanov" % i for i in range(400_000)]  # about 5 MB: five chunks
    lines[345_678] = b"bad\x00line"
    with pytest.raises(textfiles.TextFileError) as refused:
        _scan(newline.join(lines))
    assert (refused.value.code, refused.value.line) == ("nul", 345_679)


def test_a_crlf_split_between_chunks_is_one_line_end():
    head = b"x" * (textfiles.CHUNK - 1) + b"\r"  # the CR ends chunk 1, its LF starts chunk 2
    data = b"a\n" + head[2:] + b"\n" + b"b\n\x01"
    with pytest.raises(textfiles.TextFileError) as refused:
        _scan(data, max_line=10 * textfiles.CHUNK)
    assert refused.value.line == 4


def test_a_long_line_spanning_chunks_is_refused_naming_it():
    data = b"header\n" + b"ok\n" * 10 + b"y" * (3 * textfiles.CHUNK) + b"\nlast\n"
    with pytest.raises(textfiles.TextFileError) as refused:
        _scan(data, max_line=20_000)
    assert (refused.value.code, refused.value.line) == ("line_too_long", 12)
    assert _scan(b"header\n" + "я".encode() * 19_000 + b"\n", max_line=20_000) == "utf-8-sig"


def test_windows_1251_is_told_apart_from_latin_1():
    assert _scan("фамилия;имя\nАсанов;Бакыт\n".encode("cp1251")) == "cp1251"
    with pytest.raises(textfiles.TextFileError) as refused:
        _scan("name\nMüller\nGarçon\n".encode("latin-1"))
    assert (refused.value.code, refused.value.line) == ("encoding", 2)
    with pytest.raises(textfiles.TextFileError) as refused:
        _scan("фамилия\nАсанов\n".encode("cp1251"), allow_cp1251=False)
    assert refused.value.code == "cp1251"
