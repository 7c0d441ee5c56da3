from django.core.management.base import BaseCommand

from elections.audit import verify_chain


class Command(BaseCommand):
    help = (
        "Verify the audit log's hash chain. Exit 0 when intact; exit 1 naming the first bad entry when "
        "any row was changed, inserted or deleted."
    )

    def handle(self, *args, **options):
        report = verify_chain()
        if report.ok:
            self.stdout.write(f"OK: audit chain intact, {report.count} entries, head {report.head_hash}")
            return
        where = f"entry #{report.bad_seq}" + (f" (id {report.bad_id})" if report.bad_id else "")
        self.stderr.write(f"BROKEN: audit chain fails at {where}: {report.reason}")
        raise SystemExit(1)
