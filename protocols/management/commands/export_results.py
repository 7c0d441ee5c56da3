"""``manage.py export_results --election SLUG --format nist|json [--out FILE]``: the election's
results as a file.

* ``nist`` — the NIST SP 1500-100 version 2 Election Results Common Data Format (JSON), validated
  against the official schema kept in ``../shared/standards/nist-1500-100-v2/`` when it is there;
* ``json`` — the portal's open data (the same as ``/elections/<slug>/results/open-data.json``).

Only a published (or archived) election's results are exported. Standard output (or FILE) gets
the JSON; exit codes: 0 written; 1 no such election, not published, or the export does not
validate against the schema (the first error is named on standard error).
"""

import json
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from elections.models import Election
from protocols.nist import nist_results
from protocols.publication_selectors import is_published, open_data

SCHEMA = (
    Path(settings.BASE_DIR).parent
    / "shared"
    / "standards"
    / "nist-1500-100-v2"
    / "NIST_V2_election_results_reporting.json"
)


def schema_errors(document: dict) -> list[str]:
    """The schema's complaints about ``document`` (empty when it validates or when the schema is
    not beside the repository)."""
    if not SCHEMA.exists():
        return []
    import jsonschema

    validator = jsonschema.Draft4Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    return [
        f"{'/'.join(str(p) for p in e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)
    ]


class Command(BaseCommand):
    help = "Write an election's results as NIST SP 1500-100 v2 JSON or as the portal's open data."

    def add_arguments(self, parser):
        parser.add_argument("--election", required=True, metavar="SLUG")
        parser.add_argument("--format", required=True, choices=("nist", "json"))
        parser.add_argument("--out", metavar="FILE", help="write here instead of standard output")

    def handle(self, *args, **options):
        election = Election.objects.filter(slug=options["election"]).first()
        if election is None:
            self._fail(f"the election “{options['election']}” does not exist.")
        if not is_published(election):
            self._fail("the election's results are not published yet.")
        if options["format"] == "nist":
            document = nist_results(election)
            errors = schema_errors(document)
            if errors:
                self._fail(f"the export does not validate against the NIST schema: {errors[0]}")
        else:
            document = open_data(election)
        text = json.dumps(document, ensure_ascii=False, indent=2)
        if options["out"]:
            Path(options["out"]).write_text(text + "\n", encoding="utf-8")
        else:
            self.stdout.write(text)

    def _fail(self, message: str) -> None:
        sys.stderr.write(f"export_results: {message}\n")
        sys.exit(1)
