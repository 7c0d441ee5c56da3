"""``manage.py make_signing_key``: create a self-signed key and certificate for signing protocol PDFs.

    make_signing_key [--out-dir DIR] [--force] [--common-name NAME] [--organization ORG]
                     [--days N] [--key-type rsa|ec]

Writes ``key.pem`` (mode 0600, not encrypted) and ``cert.pem`` into DIR, by default the directory
of the configured ``PROTOCOL_SIGNING_KEY_FILE`` (``var/signing/`` when unset). For demos and
tests; production uses a certificate issued to the organisation. Exit codes: 0 written; 1 the
files exist (use --force to replace them) or cannot be written.
"""

import os
import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand

from elections import signing


class Command(BaseCommand):
    help = "Create a self-signed key and certificate (key.pem, cert.pem) for signing protocol PDFs."

    def add_arguments(self, parser):
        parser.add_argument(
            "--out-dir",
            help="directory for key.pem and cert.pem (default: the directory of "
            "PROTOCOL_SIGNING_KEY_FILE, else var/signing/)",
        )
        parser.add_argument("--force", action="store_true", help="replace existing files")
        parser.add_argument("--common-name", default="Election Portal (demo)", help="subject CN")
        parser.add_argument("--organization", default="Election Portal", help="subject O")
        parser.add_argument("--days", type=int, default=3650, help="validity in days (default 3650)")
        parser.add_argument("--key-type", choices=["rsa", "ec"], default="rsa", help="RSA 2048 or EC P-256")

    def handle(self, *args, **options):
        configured_key, configured_cert = signing.configured_paths()
        out_dir = Path(options["out_dir"]) if options["out_dir"] else configured_key.parent
        key_path = (out_dir / signing.DEFAULT_KEY_NAME).absolute()
        cert_path = (out_dir / signing.DEFAULT_CERT_NAME).absolute()

        existing = [str(p) for p in (key_path, cert_path) if p.exists()]
        if existing and not options["force"]:
            self.stderr.write(
                f"Refusing to overwrite {' and '.join(existing)}; use --force to replace "
                "(documents signed with the old key then verify only against the old certificate)."
            )
            sys.exit(1)
        if options["days"] < 1:
            self.stderr.write("--days must be at least 1.")
            sys.exit(1)

        key_pem, cert_pem = signing.generate_self_signed(
            common_name=options["common_name"],
            organization=options["organization"],
            days=options["days"],
            key_type=options["key_type"],
        )
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
            _write(key_path, key_pem, 0o600)
            _write(cert_path, cert_pem, 0o644)
        except OSError as exc:
            self.stderr.write(f"Cannot write the signing key into {out_dir}: {exc}")
            sys.exit(1)

        certificate = signing.load_certificates(cert_pem)[0]
        self.stdout.write(f"Private key:  {key_path} (mode 0600, keep it secret)")
        self.stdout.write(f"Certificate:  {cert_path}")
        self.stdout.write(
            f"Subject:      {signing.describe_subject(certificate)}, valid {options['days']} days"
        )
        self.stdout.write(f"SHA-256:      {signing.fingerprint(certificate)}")
        if (key_path, cert_path) == (configured_key.absolute(), configured_cert.absolute()):
            self.stdout.write("The settings already point at these files.")
        else:
            self.stdout.write("Set these (environment variables or .env) for the portal to use them:")
            self.stdout.write(f"  PROTOCOL_SIGNING_KEY_FILE={key_path}")
            self.stdout.write(f"  PROTOCOL_SIGNING_CERT_FILE={cert_path}")
            self.stdout.write(
                f"(currently PROTOCOL_SIGNING_KEY_FILE={configured_key}, "
                f"PROTOCOL_SIGNING_CERT_FILE={configured_cert})"
            )


def _write(path: Path, data: bytes, mode: int) -> None:
    """Write ``data`` to ``path`` atomically, the file having ``mode`` from its creation on."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
