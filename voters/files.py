"""Where the voters area keeps its files: in the private storage of ``elections.files`` (served
only by views that check access), under random names."""

from __future__ import annotations

import os
import uuid

from elections.files import random_name


def _ext(filename: str, allowed: tuple[str, ...], default: str) -> str:
    ext = os.path.splitext(filename or "")[1].lower()
    return ext if ext in allowed else default


def import_file_path(instance, filename: str) -> str:
    return f"register/{instance.election_id}/imports/{uuid.uuid4().hex}{_ext(filename, ('.csv', '.xlsx'), '.csv')}"


def import_report_path(instance, filename: str) -> str:
    return f"register/{instance.election_id}/reports/{uuid.uuid4().hex}.csv"


def correction_document_path(instance, filename: str) -> str:
    return random_name(f"register/{instance.election_id}/form3", instance.document)


def precinct_pdf_name(election_id: int, precinct_id: int, version: str, lang: str) -> str:
    return f"register/{election_id}/lists/precinct-{precinct_id}-{version}-{lang}.pdf"
