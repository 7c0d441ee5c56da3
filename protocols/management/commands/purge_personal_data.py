"""purge_personal_data: run the purges of personal data that are due (docs/retention.md).

    manage.py purge_personal_data                 # purge every election that is due
    manage.py purge_personal_data --dry-run       # only list what is due (and when the others are)
    manage.py purge_personal_data --election SLUG # only this election (refused if it is not due)

Exit codes: 0 — done (also when nothing was due); 1 — a purge was refused or failed (the reason
is printed), or ``--election`` names an election that is not due; 2 — unknown election.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from elections.models import Election
from protocols import archive_selectors as sel
from protocols.services.retention import personal_data_purge


class Command(BaseCommand):
    help = (
        "Purge personal data of archived elections whose retention period "
        "(PERSONAL_DATA_RETENTION_DAYS) has passed. Exit 0 when done or nothing is due, 1 when a "
        "purge was refused or failed, 2 for an unknown election."
    )

    def add_arguments(self, parser):
        parser.add_argument("--election", help="slug of one election to purge (it must be due)")
        parser.add_argument("--dry-run", action="store_true", help="list what is due, change nothing")

    def handle(self, *args, **options):
        now = timezone.now()
        if options["election"]:
            election = Election.objects.filter(slug=options["election"]).first()
            if election is None:
                raise CommandError(f"Unknown election {options['election']!r}", returncode=2)
            elections = [election]
        else:
            elections = list(Election.objects.filter(state=Election.State.ARCHIVED).order_by("pk"))
        failed = 0
        for election in elections:
            blockers = sel.purge_blockers(election, now)
            if blockers:
                if options["election"]:
                    self.stderr.write(f"{election.slug}: not due: {' '.join(blockers)}")
                    failed += 1
                elif options["verbosity"] > 1 or options["dry_run"]:
                    self.stdout.write(f"{election.slug}: not due: {' '.join(blockers)}")
                continue
            if options["dry_run"]:
                self.stdout.write(f"{election.slug}: due")
                continue
            try:
                done = personal_data_purge(election=election, actor=None, now=now)
            except ValidationError as exc:
                self.stderr.write(f"{election.slug}: refused: {' '.join(exc.messages)}")
                failed += 1
                continue
            summary = ", ".join(f"{k}={v}" for k, v in done.items())
            self.stdout.write(f"{election.slug}: purged ({summary})")
        if failed:
            raise SystemExit(1)
