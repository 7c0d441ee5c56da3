"""The package the organising committee submits to the secretariat (seed 000 item 17): the
contest's decided applications as rows with the commission's admission decisions."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy

from elections.spreadsheets import neutralise

#: a cell starting with one of these is a formula to a spreadsheet (CSV injection)


def csv_cell(value):
    """A value safe to open in a spreadsheet (``elections.spreadsheets.neutralise``)."""
    return neutralise(value)


PACKAGE_COLUMNS = [
    ("party", gettext_lazy("Party")),
    ("list_position", gettext_lazy("Position")),
    ("full_name", gettext_lazy("Full name")),
    ("organisation", gettext_lazy("Organisation")),
    ("region", gettext_lazy("Region")),
    ("nomination", gettext_lazy("Nomination")),
    ("received_at", gettext_lazy("Received")),
    ("decision", gettext_lazy("Decision")),
    ("decision_number", gettext_lazy("Decision №")),
    ("decision_date", gettext_lazy("Date of the decision")),
    ("votes", gettext_lazy("Votes for / against / abstained")),
    ("reasons", gettext_lazy("Reasons")),
    ("status", gettext_lazy("Status now")),
]


def package_table(rows, election) -> list[dict]:
    def local(value):
        return timezone.localtime(value, election.tz).strftime("%Y-%m-%d %H:%M") if value else ""

    table = []
    for a in rows:
        d = a.decision
        table.append(
            {
                "party": a.party_list.party_name if a.party_list_id else "",
                "list_position": a.list_position or "",
                "full_name": a.full_name,
                "organisation": a.organisation,
                "region": a.region,
                "nomination": a.get_nomination_display(),
                "received_at": local(a.received_at),
                "decision": d.get_kind_display(),
                "decision_number": d.number,
                "decision_date": local(d.decided_at),
                "votes": f"{d.votes_for} / {d.votes_against} / {d.votes_abstained}",
                "reasons": d.reasons,
                "status": a.get_status_display(),
            }
        )
    return table
