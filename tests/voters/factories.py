"""Builders of the voters area, through the real services."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo

from django.core.files.uploadedfile import SimpleUploadedFile

from elections.services import election_transition
from voters import services
from voters.models import RegisterImport, VoterRegistration

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
HEADER = "personal_number,last_name,first_name,middle_name,birth_date,address,precinct_number,email"
LAST_NAMES = [
    "Асанов",
    "Токтогулов",
    "Жумабеков",
    "Исаков",
    "Осмонова",
    "Абдыкадырова",
    "Мамытов",
    "Садыкова",
]
FIRST_NAMES = ["Бакыт", "Айгуль", "Нурлан", "Жылдыз", "Эрмек", "Гулзат", "Азамат", "Чолпон"]


def pin(i: int, birth: dt.date = dt.date(1980, 3, 12)) -> str:
    """A 14-digit personal number: sex digit, DDMMYYYY of birth, a 5-digit sequence."""
    return f"2{birth:%d%m%Y}{i % 100000:05d}"


def register_row(i: int, precinct: int = 1001, **overrides) -> dict:
    birth = dt.date(1950 + i % 50, 1 + i % 12, 1 + i % 28)
    row = {
        "personal_number": pin(i, birth),
        "last_name": LAST_NAMES[i % len(LAST_NAMES)],
        "first_name": FIRST_NAMES[i % len(FIRST_NAMES)],
        "middle_name": "",
        "birth_date": birth.isoformat(),
        "address": f"г. Бишкек, ул. Киевская, {1 + i % 200}, кв. {1 + i % 90}",
        "precinct_number": str(precinct),
        "email": "",
    }
    row.update(overrides)
    return row


def register_csv(rows: list[dict], delimiter: str = ",") -> str:
    lines = [HEADER.replace(",", delimiter)]
    for r in rows:
        cells = [r[c] for c in HEADER.split(",")]
        lines.append(delimiter.join(f'"{c}"' if delimiter in c else c for c in cells))
    return "\n".join(lines) + "\n"


def upload(text: str, *, name: str = "extract.csv", encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def import_file(election, file, *, actor=None, mode: str | None = "all") -> RegisterImport:
    """Upload, check and (with ``mode``) import synchronously, as the tasks do."""
    register_import = services.register_import_upload(election=election, file=file, actor=actor)
    services.register_import_validate(import_id=register_import.pk)
    register_import.refresh_from_db()
    if mode is not None and register_import.status == RegisterImport.Status.VALIDATED:
        services.register_import_confirm(register_import=register_import, actor=actor, mode=mode)
        services.register_import_run(import_id=register_import.pk)
        register_import.refresh_from_db()
    return register_import


def import_rows(election, rows: list[dict], **kwargs) -> RegisterImport:
    return import_file(election, upload(register_csv(rows)), **kwargs)


def open_registration(election, *, opens: dt.datetime, closes: dt.datetime):
    """Set the exact registration window and bring the election to the registration stage."""
    services.voter_settings_update(
        election=election, actor=None, registration_opens_at=opens, registration_closes_at=closes
    )
    for step in ("announce", "open_registration"):
        if election.state in ("draft", "announced"):
            election = election_transition(election=election, transition=step, actor=None)
    return election


def registration(group, *, kind="person", decided=None, reason="", **fields) -> VoterRegistration:
    """A confirmed registration entered by the system path (optionally decided)."""
    values = {"name": "Ким Сергей", "email": "voter@example.org", "region": "almaty-city"}
    if kind == "organisation":
        values.update(
            name="ОФ «Доверие плюс»",
            email="info@trust.example.org",
            registration_number="990140003456",
            representative_name="Нурланова Алия",
        )
    values.update(fields)
    reg = services.registration_submit(
        election=group.election,
        group=group,
        actor=None,
        kind=kind,
        consent=True,
        system_import=True,
        **values,
    )
    if decided:
        reg = services.registration_decide(registration=reg, actor=None, decision=decided, reason=reason)
    return reg


def csv_bytes(rows) -> io.BytesIO:
    return io.BytesIO(register_csv(rows).encode())
