from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from elections.audit_anchors import KeptHeadsError, expected_head, kept_heads, verify_anchored

#: exit codes (README, "Commands"); 0 and 1 keep their meaning from before the published heads
EXIT_BROKEN = 1  # a row was changed, inserted or deleted: the chain itself is broken
EXIT_USAGE = 2  # --expect-head or --since cannot be used
EXIT_CONTRADICTED = 3  # the chain holds together but not a head published or kept before
EXIT_SIGNATURE = 4  # the table of published heads was altered (a signature does not match)


class Command(BaseCommand):
    help = (
        "Verify the audit log's hash chain and that the log still holds every head the portal published "
        "(published heads, signed protocols, archive manifests) and the heads given with --expect-head and "
        "--since. Exit 0 when intact; 1 naming the first bad entry when a row was changed, inserted or "
        "deleted; 2 for an unusable option; 3 when the log was rewritten, truncated or wiped; 4 when a "
        "published head no longer matches its signature."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--expect-head",
            action="append",
            default=[],
            metavar="HASH",
            help="a head hash noted earlier: it must be an entry of the log (may be repeated)",
        )
        parser.add_argument(
            "--since",
            action="append",
            default=[],
            metavar="FILE",
            help=(
                "a file of heads kept earlier (the history JSON of the public /audit/ page, a signed head.json, "
                "or a CSV with entries,head_hash): each head must be in the log at its position (may be repeated)"
            ),
        )

    def handle(self, *args, **options):
        extra = []
        try:
            extra += [expected_head(value) for value in options["expect_head"]]
            for name in options["since"]:
                try:
                    text = Path(name).read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError) as exc:
                    raise KeptHeadsError(f"{name} cannot be read: {exc}") from None
                extra += kept_heads(text, name)
        except KeptHeadsError as exc:
            raise CommandError(str(exc), returncode=EXIT_USAGE) from None

        report = verify_anchored(extra=extra)
        chain = report.chain
        if options["verbosity"] >= 2:
            for note in report.notes:
                self.stderr.write(f"NOTE: {note}")
        if report.ok:
            self.stdout.write(f"OK: audit chain intact, {chain.count} entries, head {chain.head_hash}")
            return
        if chain.bad_seq is not None:
            where = f"entry #{chain.bad_seq}" + (f" (id {chain.bad_id})" if chain.bad_id else "")
            self.stderr.write(f"BROKEN: audit chain fails at {where}: {chain.reason}")
        for problem in chain.anchor_problems:
            self.stderr.write(f"BROKEN: the audit log does not hold a published head: {problem.message}")
        for problem in report.signature_problems:
            self.stderr.write(f"BROKEN: a published head was altered: {problem}")
        if chain.bad_seq is not None:
            raise SystemExit(EXIT_BROKEN)
        raise SystemExit(EXIT_CONTRADICTED if chain.anchor_problems else EXIT_SIGNATURE)
