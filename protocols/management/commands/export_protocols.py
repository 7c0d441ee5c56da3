"""``manage.py export_protocols --election SLUG --out DIR``: write every signed protocol PDF of an
election into DIR.

Every stored, digitally signed document of every signed protocol of the election (superseded
versions included: they are part of the record) is written under its stable name
``<level>-<group-SLUG | district-N>[-precinct-N]-v<version>-copy<N>-<ru|en>.pdf``, one line per file
on standard output: ``<name>  <size> bytes  sha256 <hex>``. DIR is created when missing; files of
the same name are replaced, so running it again gives the same directory.

Exit codes: 0 every document was written; 1 the election does not exist, it has no signed protocol
document yet, DIR cannot be written, or a stored file is missing or no longer matches its recorded
SHA-256 (the others are still written, the broken ones are named on standard error).
"""

import hashlib
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from elections.models import Election
from protocols.models import Protocol, ProtocolDocument
from protocols.services.pdf import document_filename


class Command(BaseCommand):
    help = "Write every signed protocol PDF of an election into a directory."

    def add_arguments(self, parser):
        parser.add_argument("--election", required=True, metavar="SLUG", help="the election's short name")
        parser.add_argument("--out", required=True, metavar="DIR", help="directory to write the PDFs into")

    def handle(self, *args, **options):
        slug, out = options["election"], Path(options["out"])
        election = Election.objects.filter(slug=slug).first()
        if election is None:
            self._fail(f"the election “{slug}” does not exist.")
        documents = list(
            ProtocolDocument.objects.filter(
                protocol__election=election,
                protocol__status__in=(Protocol.Status.SIGNED, Protocol.Status.SUPERSEDED),
                is_signed=True,
            )
            .select_related("protocol__contest__group", "protocol__contest__unit", "protocol__unit")
            .order_by("protocol__level", "protocol__series", "protocol__version", "language", "copy")
        )
        if not documents:
            self._fail(
                f"the election “{slug}” has no signed protocol document yet (documents are made "
                "after the last member signs a protocol)."
            )
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self._fail(f"cannot create {out}: {exc.strerror or exc}")

        broken = []
        for document in documents:
            name = document_filename(document)
            try:
                with document.file.open("rb") as handle:
                    content = handle.read()
            except (FileNotFoundError, ValueError):
                broken.append(f"{name}: the stored file {document.file.name or '(none)'} is missing")
                continue
            if hashlib.sha256(content).hexdigest() != document.sha256:
                broken.append(f"{name}: the stored file does not match its recorded SHA-256; not written")
                continue
            try:
                (out / name).write_bytes(content)
            except OSError as exc:
                self._fail(f"cannot write {out / name}: {exc.strerror or exc}")
            self.stdout.write(f"{out / name}  {len(content)} bytes  sha256 {document.sha256}")

        written = len(documents) - len(broken)
        for line in broken:
            self.stderr.write(f"ERROR: {line}")
        if broken:
            self._fail(f"{written} of {len(documents)} documents written to {out}.")
        self.stdout.write(f"{written} documents written to {out}.")

    def _fail(self, message: str):
        self.stderr.write(f"ERROR: {message}")
        sys.exit(1)
