"""Load calendar plan templates into the database: the shipped ones, or the given YAML files."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from elections.services.calendar import load_builtin_templates, plan_template_save


class Command(BaseCommand):
    help = (
        "Load the calendar plan templates shipped in elections/calendar_templates/ (or the YAML files "
        "given) into the database. Idempotent; an invalid file is reported with every problem and exit 2."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="YAML template files (default: the shipped templates)")

    def handle(self, *args, **options):
        if not options["files"]:
            for template in load_builtin_templates():
                self.stdout.write(f"{template.slug}: {template.name}")
            return
        for name in options["files"]:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"{name}: no such file", returncode=2)
            try:
                template = plan_template_save(yaml_text=path.read_text(encoding="utf-8"), actor=None)
            except ValidationError as exc:
                raise CommandError(f"{name}:\n  - " + "\n  - ".join(exc.messages), returncode=2) from None
            self.stdout.write(f"{template.slug}: {template.name}")
