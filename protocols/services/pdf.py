"""Rendering, signing (PAdES) and storing the PDFs of a signed protocol.

Which documents: the protocol "in two copies" (seed 003 items 48–50) is the legal record, in
Russian and in each other language of the election's official copies (``Election.official_languages``,
e.g. Kyrgyz): copy 1 stays with the commission, copy 2 goes to the higher commission or the
Secretariat. An English rendering (copy 1) is made for international observers and partners; it
is a translation and carries no second copy. So three files per protocol version for a Russian-only
election (``DOCUMENTS``), five with a state language (``documents_for``).

Each file is rendered by ``protocols.pdf.protocol_pdf_render``, signed with the portal's key
(``elections.signing.sign_pdf``, settings ``PROTOCOL_SIGNING_*``) and stored in the private
storage with its SHA-256. Idempotent: a document already stored is not made again, so a retried
task or a second run adds nothing.
"""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from elections import signing
from elections.audit import audit_log

from .. import pdf
from ..models import Protocol, ProtocolDocument

#: (language, copy) of every document of a signed protocol of an election whose official copies
#: are in Russian only, in the order they are made
DOCUMENTS: tuple[tuple[str, int], ...] = (("ru", 1), ("ru", 2), ("en", 1))


def documents_for(election) -> tuple[tuple[str, int], ...]:
    """The documents of a signed protocol of ``election``: two copies in each language of its
    official copies (Russian and, where the election says so, the state language: a Kyrgyz copy
    is as much the record as the Russian one), then the English translation (copy 1)."""
    made = [(language, copy) for language in election.document_languages for copy in (1, 2)]
    if "en" not in election.document_languages:
        made.append(("en", 1))
    return tuple(made)


def document_filename(document: ProtocolDocument) -> str:
    """A stable, readable file name: ``<level>-<group or district>[-precinct-N]-v<version>-copy<N>-<lang>.pdf``,
    unique within an election (a protocol series is its level, contest and unit)."""
    protocol = document.protocol
    contest = protocol.contest
    if contest.group_id:
        parts = [protocol.level, f"group-{contest.group.slug}"]
    else:
        parts = [protocol.level, f"{contest.unit.kind}-{contest.unit.number}"]
    if protocol.unit_id and protocol.unit_id != contest.unit_id:
        parts.append(f"{protocol.unit.kind}-{protocol.unit.number}")
    parts += [f"v{protocol.version}", f"copy{document.copy}", document.language]
    return "-".join(parts) + ".pdf"


def _is_complete(document: ProtocolDocument | None) -> bool:
    """Signed and its file still in the storage."""
    return (
        document is not None
        and document.is_signed
        and bool(document.file)
        and document.file.storage.exists(document.file.name)
    )


def protocol_documents_render(*, protocol: Protocol) -> list[ProtocolDocument]:
    """Render, sign and store the missing documents of a signed protocol (``DOCUMENTS``); return
    the documents that were made now (empty when all were there already).

    Only a frozen protocol (signed by all present members, or superseded later) is rendered as a
    document: a draft is not a legal record. Rendering and signing happen outside the database
    transaction; each document row is then created in its own one, so two workers racing on the
    same protocol leave one row per copy and language (the unique constraint decides, the loser
    removes its file). A row whose file is missing from the storage is made again. Raises
    ``ImproperlyConfigured`` (before rendering anything) when the portal's signing key or
    certificate is missing: see ``elections.signing.signing_material``.
    """
    protocol = Protocol.objects.select_related(
        "election", "contest", "contest__group", "contest__unit", "unit", "commission"
    ).get(pk=protocol.pk)
    if not protocol.is_frozen:
        raise ValidationError(
            _("Only a protocol signed by all present members is rendered as a signed document."),
            code="not_signed",
        )
    existing = {(d.language, d.copy): d for d in protocol.documents.all()}
    missing = [key for key in documents_for(protocol.election) if not _is_complete(existing.get(key))]
    if not missing:
        return []
    material = signing.signing_material()  # before rendering: ImproperlyConfigured without a key
    made = []
    for language, copy in missing:
        document = existing.get((language, copy))
        content = signing.sign_pdf(
            pdf.protocol_pdf_render(protocol, copy=copy, language=language),
            key_pem=material.key_pem,
            cert_pem=material.cert_pem,
            key_passphrase=material.passphrase,
        )
        stored = _store(protocol, document, language=language, copy=copy, content=content)
        if stored is not None:
            made.append(stored)
    if made:
        with transaction.atomic():
            audit_log(
                action="protocols.protocol.documents_rendered",
                actor=None,
                obj=protocol,
                election=protocol.election,
                data={
                    "version": protocol.version,
                    "documents": [
                        {"language": d.language, "copy": d.copy, "sha256": d.sha256, "size": d.size}
                        for d in made
                    ],
                },
            )
    return made


def _store(
    protocol: Protocol, document: ProtocolDocument | None, *, language: str, copy: int, content: bytes
) -> ProtocolDocument | None:
    """Save the file and its row; None when another worker stored the same document meanwhile."""
    if document is None:
        document = ProtocolDocument(protocol=protocol, language=language, copy=copy)
    old_name = document.file.name if document.file else ""
    document.sha256 = hashlib.sha256(content).hexdigest()
    document.size = len(content)
    document.is_signed = True
    document.rendered_at = timezone.now()
    document.file.save(
        f"{protocol.election.slug}-{document_filename(document)}", ContentFile(content), save=False
    )
    try:
        with transaction.atomic():
            document.full_clean()
            document.save()
    except (IntegrityError, ValidationError):
        if (
            document.pk is None
            and ProtocolDocument.objects.filter(protocol=protocol, language=language, copy=copy).exists()
        ):
            document.file.storage.delete(document.file.name)
            return None
        raise
    if old_name and old_name != document.file.name:
        document.file.storage.delete(old_name)
    return document
