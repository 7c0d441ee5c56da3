"""Print the computed calendar plan of a template; writes nothing to the database.

    calendar_plan --template SLUG --anchor voting_day=YYYY-MM-DD [--anchor NAME=VALUE ...]
                  [--format json|csv|ics] [--check] [--lang ru|en]
    calendar_plan --list

Exit codes: 0 done; 1 ``--check`` found contradictions; 2 unknown template, unknown/missing/bad
anchor or bad arguments.
"""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from elections import calendar as engine


def _templates() -> dict:
    """Templates shipped in the repository, plus those the secretariat keeps in the database."""
    found = {t.slug: t for t in engine.list_templates()}
    try:
        from elections.models import PlanTemplate

        for row in PlanTemplate.objects.all():
            if row.slug not in found:
                try:
                    found[row.slug] = row.parsed()
                except engine.CalendarError:
                    continue
    except DatabaseError:
        pass  # no database yet: the repository's templates are enough
    return found


class Command(BaseCommand):
    help = "Print the computed calendar plan of a template (JSON, CSV or iCalendar); writes nothing."

    def add_arguments(self, parser):
        parser.add_argument("--template", help="template slug, e.g. kg-local-2016")
        parser.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="anchor value, e.g. voting_day=2016-12-11 (dates YYYY-MM-DD, times HH:MM)",
        )
        parser.add_argument("--format", choices=["json", "csv", "ics"], default="json")
        parser.add_argument("--check", action="store_true", help="print the contradictions; exit 1 if any")
        parser.add_argument(
            "--list", action="store_true", help="list the templates and the anchors each needs"
        )
        parser.add_argument("--lang", choices=["ru", "en"], default="ru", help="language of the texts")

    def handle(self, *args, **opts):
        templates = _templates()
        if opts["list"]:
            for slug in sorted(templates):
                tpl = templates[slug]
                self.stdout.write(f"{slug}\t{tpl.name_en or tpl.name_ru}")
                for line in engine.anchors_help(tpl, opts["lang"]):
                    self.stdout.write(f"    {line}")
            return
        if not opts["template"]:
            raise CommandError("--template SLUG is required (see --list)", returncode=2)
        template = templates.get(opts["template"])
        if template is None:
            raise CommandError(
                f"unknown template {opts['template']!r}; known templates: {', '.join(sorted(templates))}",
                returncode=2,
            )
        anchors = {}
        for item in opts["anchor"]:
            name, sep, value = item.partition("=")
            if not sep or not name.strip() or not value.strip():
                raise CommandError(
                    f"bad --anchor {item!r}: write NAME=VALUE, e.g. voting_day=2016-12-11", returncode=2
                )
            anchors[name.strip()] = value.strip()
        try:
            plan = engine.compute_plan(template, anchors)
        except engine.CalendarError as exc:
            raise CommandError(str(exc), returncode=2) from None
        if opts["check"]:
            found = engine.check_plan(plan)
            if found:
                self.stdout.write(engine.format_contradictions(found, lang=opts["lang"]))
                sys.exit(1)
            self.stdout.write("no contradictions" if opts["lang"] == "en" else "противоречий нет")
            return
        if opts["format"] == "json":
            self.stdout.write(engine.plan_to_json(plan, lang=opts["lang"]))
        elif opts["format"] == "csv":
            self.stdout.write(engine.plan_to_csv(plan, lang=opts["lang"]), ending="")
        else:
            self.stdout.write(engine.plan_to_ics(plan, lang=opts["lang"]), ending="")
