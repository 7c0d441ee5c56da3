"""Writing a ZIP member by member with the SHA-256 of each member computed while it is written:
files are copied in 1 MiB chunks and text is streamed, so no member is held in memory (the
election archive, ``protocols.services.archive``)."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import zipfile

from django.core.serializers.json import DjangoJSONEncoder

CHUNK = 1024 * 1024


class _HashingWriter(io.RawIOBase):
    """Writes through to a ZIP member, counting bytes and hashing them on the way."""

    def __init__(self, raw):
        super().__init__()
        self.raw = raw
        self.sha = hashlib.sha256()
        self.size = 0

    def writable(self):
        return True

    def write(self, b):
        data = bytes(b)
        self.raw.write(data)
        self.sha.update(data)
        self.size += len(data)
        return len(data)

    def close(self):  # the member is closed by ZipWriter.member()
        self.raw = None
        super().close()


class ZipWriter:
    """A ZIP written to a file object member by member; records path, size and SHA-256 of each."""

    def __init__(self, fileobj):
        self.zip = zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6)
        self.entries: list[dict] = []

    def _open(self, path):
        return self.zip.open(path, "w", force_zip64=True)

    def _record(self, path, writer):
        self.entries.append({"path": path, "size": writer.size, "sha256": writer.sha.hexdigest()})

    def copy(self, path: str, source) -> None:
        """Copy an open binary file into the member ``path`` in chunks."""
        with self._open(path) as raw:
            writer = _HashingWriter(raw)
            shutil.copyfileobj(source, writer, CHUNK)
            self._record(path, writer)
            writer.close()

    def text(self, path: str):
        """A context manager giving a UTF-8 text stream for the member ``path``."""
        return _TextMember(self, path)

    def close(self, manifest: dict) -> None:
        with self._open("manifest.json") as raw:
            raw.write(
                json.dumps(manifest, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder).encode("utf-8")
            )
        self.zip.close()


class _TextMember:
    def __init__(self, zw: ZipWriter, path: str):
        self.zw, self.path = zw, path

    def __enter__(self):
        self.raw = self.zw._open(self.path)
        self.writer = _HashingWriter(self.raw)
        self.buffer = io.BufferedWriter(self.writer, buffer_size=64 * 1024)
        self.stream = io.TextIOWrapper(self.buffer, encoding="utf-8", newline="")
        return self.stream

    def __exit__(self, exc_type, exc, tb):
        self.stream.flush()
        self.stream.detach()
        self.buffer.flush()
        self.buffer.detach()
        self.raw.close()
        if exc_type is None:
            self.zw._record(self.path, self.writer)
        self.writer.close()
        return False
