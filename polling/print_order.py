"""The order for the printing house (seed 003 item 41): the run's rows as CSV and as a PDF.
Pure functions of the stored run."""

from __future__ import annotations

import csv
import io

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import PrintRun
from .selectors import run_summary

#: every language of the portal (catalogues and date formats for each)
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


def order_csv(run: PrintRun) -> str:
    """One row per contest and precinct: the columns a printing house needs, in Russian."""
    out = io.StringIO()
    writer = csv.writer(out)
    with translation.override("ru"):
        writer.writerow(
            [
                _("Ballot"),
                _("District"),
                _("Precinct"),
                _("Voters on the list"),
                _("Reserve"),
                _("Ballots"),
                _("First number"),
                _("Last number"),
            ]
        )
        for row in run_summary(run)["rows"]:
            writer.writerow(
                [
                    row.contest.title_ru,
                    row.unit.parent.number if row.unit.parent_id else "",
                    row.unit.number,
                    row.voters_on_list,
                    row.reserve,
                    row.total,
                    row.serial_from or "",
                    row.serial_to or "",
                ]
            )
    return out.getvalue()


def order_pdf_render(run: PrintRun, *, language: str) -> bytes:
    from weasyprint import HTML

    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    election = run.election
    with translation.override(language), timezone.override(election.tz):
        html = render_to_string(
            "polling/pdf/order.html", {"run": run, "election": election, "summary": run_summary(run)}
        )
    return HTML(string=html).write_pdf()
