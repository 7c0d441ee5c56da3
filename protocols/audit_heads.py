"""The audit-log heads the protocols app records, for ``verify_audit`` (registered in
``ProtocolsConfig.ready``): the head printed in every signed protocol, and the head in every
archive's manifest — the row's copy and the ``manifest.json`` inside the stored ZIP, which lives
outside the database."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator

from elections.audit import Anchor


def signed_protocol_heads() -> Iterator[Anchor]:
    from .models import Protocol

    rows = (
        Protocol.objects.filter(frozen_at__isnull=False)
        .exclude(audit_head="")
        .values_list("pk", "version", "election__slug", "audit_head")
        .order_by("pk")
    )
    for pk, version, slug, head in rows.iterator(chunk_size=2000):
        yield Anchor(
            hash=head, seq=None, source=f"signed protocol id {pk} version {version} of election {slug}"
        )


def archive_manifest_heads() -> Iterator[Anchor]:
    from .models import ElectionArchive

    for archive in ElectionArchive.objects.select_related("election").order_by("pk"):
        name = f"archive {archive.file.name.rsplit('/', 1)[-1] or archive.pk} of election {archive.election.slug}"
        head = (archive.manifest or {}).get("audit_head") or {}
        if _usable(head):
            yield Anchor(hash=head["hash"], seq=head["seq"], source=f"the manifest of {name}")
        in_file = _manifest_in_file(archive)
        if _usable(in_file):
            yield Anchor(hash=in_file["hash"], seq=in_file["seq"], source=f"manifest.json inside {name}")


def _usable(head) -> bool:
    return isinstance(head, dict) and isinstance(head.get("seq"), int) and isinstance(head.get("hash"), str)


def _manifest_in_file(archive) -> dict | None:
    if not archive.file:
        return None
    try:
        with archive.file.open("rb") as fh, zipfile.ZipFile(fh) as zf:
            return json.loads(zf.read("manifest.json")).get("audit_head")
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return None  # a missing or unreadable file is the archive checks' business, not the log's
