"""The printable list of a precinct (seed 003 items 10 and 14: lists printed for the precinct
commissions; the final paper list numbered, bound and sealed): A4, numbered pages "Page N of M",
columns №, full name, date of birth, address and the voter's signature for the ballot received.

Each voter is one block of monospaced lines with the columns drawn by box-drawing characters
(long names and addresses wrap inside their column) and the column heads repeat on every page.
WeasyPrint lays out one text block per voter instead of five table cells, which makes a
3,000-voter precinct about three times faster to render than an HTML table.

Rendering is a pure function of the stored list (``precinct_list_pdf_render``); storing is done
by a task (``voters.render_precinct_list``), keyed by a version of the list, so the request only
serves a file already made and a list is rendered again only after it changed.
"""

from __future__ import annotations

import hashlib
import textwrap

from django.core.files.base import ContentFile
from django.db.models import Count, Max
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from elections.files import private_storage
from groups.models import TerritorialUnit

from . import selectors
from .files import precinct_pdf_name
from .models import RegisterEntry


def precinct_list_version(precinct: TerritorialUnit) -> str:
    """Changes whenever an entry of the precinct is added or changed, or the list is frozen."""
    stats = RegisterEntry.objects.filter(precinct=precinct).aggregate(n=Count("pk"), last=Max("updated_at"))
    frozen = selectors.voter_settings(precinct.election).list_frozen_at
    raw = f"{stats['n']}|{stats['last']}|{frozen}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


#: characters per column: №, full name, date of birth, address, signature
WIDTHS = (5, 34, 10, 44, 16)


def list_row(cells) -> str:
    """One voter (or the column heads) as lines of fixed-width columns separated by │."""
    wrapped = [textwrap.wrap(str(c), w) or [""] for c, w in zip(cells, WIDTHS, strict=True)]
    lines = []
    for k in range(max(len(column) for column in wrapped)):
        parts = []
        for j, (column, width) in enumerate(zip(wrapped, WIDTHS, strict=True)):
            text = column[k] if k < len(column) else ""
            parts.append(text.rjust(width) if j == 0 else text.ljust(width))
        lines.append("│" + "│".join(parts) + "│")
    return "\n".join(lines)


def precinct_list_pdf_render(precinct: TerritorialUnit, lang: str = "ru") -> bytes:
    from weasyprint import HTML

    election = precinct.election
    settings = selectors.voter_settings(election)
    entries = (
        RegisterEntry.objects.filter(precinct=precinct, status=RegisterEntry.Status.LISTED)
        .order_by("last_name", "first_name", "middle_name", "pk")
        .values_list("last_name", "first_name", "middle_name", "birth_date", "address")
    )
    rows = [
        list_row((number, f"{last} {first} {middle}".strip(), f"{birth:%d.%m.%Y}", address, ""))
        for number, (last, first, middle, birth, address) in enumerate(entries.iterator(chunk_size=2000), 1)
    ]
    with translation.override(lang), timezone.override(election.tz):
        footer = _("Page %(page)s of %(pages)s") % {
            "page": '" counter(page) "',
            "pages": '" counter(pages) "',
        }
        heads = list_row(
            (
                "№",
                _("Last name, first name, patronymic"),
                _("Date of birth"),
                _("Address"),
                _("Signature of the voter for the ballot received"),
            )
        )
        html = render_to_string(
            "voters/precinct_list_pdf.html",
            {
                "election": election,
                "precinct": precinct,
                "rows": rows,
                "heads": heads,
                "frozen_at": settings.list_frozen_at,
                "generated_at": timezone.now(),
                "footer": footer,
            },
        )
    return HTML(string=html).write_pdf()


def stored_precinct_pdf(precinct: TerritorialUnit, lang: str) -> str | None:
    name = precinct_pdf_name(precinct.election_id, precinct.pk, precinct_list_version(precinct), lang)
    return name if private_storage().exists(name) else None


def precinct_list_pdf_store(*, precinct_id: int, language: str) -> bool:
    """Render and store the current version of a precinct's list (idempotent)."""
    precinct = TerritorialUnit.objects.select_related("election", "parent").filter(pk=precinct_id).first()
    if precinct is None:
        return False
    storage = private_storage()
    name = precinct_pdf_name(precinct.election_id, precinct.pk, precinct_list_version(precinct), language)
    if storage.exists(name):
        return False
    content = precinct_list_pdf_render(precinct, language)
    if not storage.exists(name):
        storage.save(name, ContentFile(content))
    _drop_older_versions(storage, name, precinct, language)
    return True


def _drop_older_versions(storage, current: str, precinct: TerritorialUnit, language: str) -> None:
    """Remove the renderings of earlier versions of the same list (they are never served)."""
    folder, _slash, _file = current.rpartition("/")
    prefix, suffix = f"precinct-{precinct.pk}-", f"-{language}.pdf"
    try:
        _dirs, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        path = f"{folder}/{name}"
        if name.startswith(prefix) and name.endswith(suffix) and path != current:
            storage.delete(path)
