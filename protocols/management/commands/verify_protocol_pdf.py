"""``manage.py verify_protocol_pdf FILE [--cert CERT.pem]``: check the signature of a protocol PDF.

Prints one line, ``OK: signature valid, document intact, signed by CN=… at …`` or
``INVALID: <reason>``. Exit codes: 0 the signature is valid, made with the trusted certificate
(the portal's configured one, or the PEM file given with --cert) and covers the whole file;
1 otherwise, and also for an unreadable file or certificate. Works offline.
"""

import logging
import sys
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand

from elections import signing


class Command(BaseCommand):
    help = "Verify the signature of a protocol PDF; exit 0 when valid and intact, 1 otherwise."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the signed PDF")
        parser.add_argument(
            "--cert",
            help="PEM certificate(s) to trust (default: PROTOCOL_SIGNING_CERT_FILE, the portal's own)",
        )

    def handle(self, *args, **options):
        if options["verbosity"] >= 2:
            return self._verify(options)
        # pyHanko logs every failed check with a traceback; the verdict line says it all.
        loggers = [logging.getLogger(name) for name in ("pyhanko", "pyhanko_certvalidator")]
        levels = [logger.level for logger in loggers]
        for logger in loggers:
            logger.setLevel(logging.CRITICAL)
        try:
            return self._verify(options)
        finally:
            for logger, level in zip(loggers, levels, strict=True):
                logger.setLevel(level)

    def _verify(self, options):
        try:
            data = Path(options["file"]).read_bytes()
        except OSError as exc:
            self._fail(f"cannot read {options['file']}: {exc.strerror or exc}")

        trusted = None
        if options["cert"]:
            try:
                trusted = Path(options["cert"]).read_bytes()
            except OSError as exc:
                self._fail(f"cannot read the certificate {options['cert']}: {exc.strerror or exc}")

        try:
            result = signing.verify_pdf(data, trusted_cert_pem=trusted)
        except ImproperlyConfigured as exc:
            self._fail(f"no trusted certificate: {exc}")
        except ValueError as exc:
            self._fail(f"unusable certificate {options['cert'] or ''}: {exc}".replace("  ", " "))

        self.stdout.write(result.summary())
        if options["verbosity"] >= 2:
            self.stdout.write(
                f"signatures: {result.signature_count}, intact: {result.intact}, "
                f"covers whole file: {result.covers_whole_document}, "
                f"pyHanko coverage: {result.coverage or '-'}, "
                f"modification level: {result.modification_level or '-'}"
            )
        if not result.ok:
            sys.exit(1)

    def _fail(self, message: str):
        self.stderr.write(f"ERROR: {message}")
        sys.exit(1)
