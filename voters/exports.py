"""Exports of a group's registered voters (seed 000 item 16: "the list of registered voters"),
CSV or XLSX, with the counts by region and by organisation the protocol needs."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from elections.spreadsheets import csv_writer, neutralise

from . import selectors
from .models import VoterRegistration
from .regions import REGION_LABELS


def _header() -> list[str]:
    return [
        "№",
        _("Voter"),
        _("Name"),
        _("Registration number (BIN)"),
        _("Representative"),
        _("Region"),
        _("Organisation or community group"),
        _("E-mail"),
        _("Phone"),
        _("Status"),
        _("E-mail confirmed at"),
        _("Decided at"),
    ]


def _rows(election, group):
    qs = (
        VoterRegistration.objects.filter(group=group)
        .exclude(status=VoterRegistration.Status.UNCONFIRMED)
        .select_related("decision")
        .order_by("status", "name", "pk")
    )
    for number, r in enumerate(qs.iterator(chunk_size=2000), start=1):
        yield [
            number,
            r.get_kind_display(),
            r.name,
            r.registration_number,
            r.representative_name,
            str(REGION_LABELS.get(r.region, r.region)),
            r.organisation,
            r.email,
            r.phone,
            r.get_status_display(),
            election.local(r.confirmed_at).strftime("%Y-%m-%d %H:%M") if r.confirmed_at else "",
            election.local(r.decided_at).strftime("%Y-%m-%d %H:%M") if r.decided_at else "",
        ]


def _count_rows(election, group) -> list[list]:
    counts = selectors.registration_counts(election, group)
    rows = [[], [_("Registered voters"), counts["total"]], [_("Natural persons"), counts["persons"]]]
    rows.append([_("Organisations"), counts["organisations"]])
    rows.append([])
    rows.append([_("By region"), ""])
    rows += [[r["label"], r["count"]] for r in counts["by_region"]]
    rows.append([])
    rows.append([_("By organisation"), ""])
    rows += [[o["name"], o["count"]] for o in counts["by_organisation"]]
    if counts["without_organisation"]:
        rows.append([_("No organisation given"), counts["without_organisation"]])
    return rows


def registered_csv(election, group) -> bytes:
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow([f"{election.title} — {group.name}"])
    writer.writerow([_("Exported at"), timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    writer.writerow(_header())
    writer.writerows(_rows(election, group))
    writer.writerows(_count_rows(election, group))
    return buffer.getvalue().encode("utf-8-sig")


def registered_xlsx(election, group) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Registered voters")[:31])
    sheet.append([neutralise(f"{election.title} — {group.name}")])
    sheet.append(_header())
    for row in _rows(election, group):
        sheet.append([neutralise(v) for v in row])
    counts = workbook.create_sheet(_("Counts")[:31])
    for row in _count_rows(election, group):
        counts.append([neutralise(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
