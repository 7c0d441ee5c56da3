"""``manage.py tally``: count a BLT ballot file, a CSV of list votes or a contest's published
ballot set with the counting engine.

    tally --method plurality|approval|irv|stv-scottish|stv-meek|hare|dhondt|sainte-lague --seats N
          [--blt FILE | --votes FILE.csv | --ballots FILE.json|FILE.csv]
          [--threshold PCT --threshold-base participants|valid|list]
          [--format json|text] [--tie-rule backwards|forwards|lot|commission] [--seed N]

Exit codes: 0 counted; 1 an unexpected failure (one line, never a traceback); 2 bad arguments or
a malformed file (the message names the line); 3 a tie left for the commission to decide; 130
interrupted. The options and formats are documented in protocols/counting/README.md.
"""

import sys

from django.core.management.base import BaseCommand

from protocols.counting.cli import main


class Command(BaseCommand):
    help = (
        "Count a BLT ballot file, a CSV of list votes or a published ballot set "
        "(see protocols/counting/README.md)."
    )

    def run_from_argv(self, argv):
        # The engine's CLI owns its arguments; Django only provides the entry point.
        sys.exit(main(argv[2:], sys.stdout, sys.stderr))

    def add_arguments(self, parser):
        parser.add_argument("engine_args", nargs="*", help="the tally options, as on the command line")

    def handle(self, *args, **options):
        code = main(list(options.get("engine_args") or []), self.stdout, self.stderr)
        if code:
            sys.exit(code)
