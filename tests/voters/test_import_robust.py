"""Uploads that always end (issue 16): a register extract in any encoding or newline style is read
or refused with a plain reason naming the line; a refused or crashed check ends "failed" and never
blocks the next import of the election. Run on PostgreSQL too (its JSON refuses NUL characters,
which is how the tester's UTF-16 file once left the import "being checked" for good)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from voters import services
from voters.models import RegisterEntry, RegisterImport

from .factories import import_file, register_csv, register_row, upload

IS = RegisterImport.Status


def _file(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("extract.csv", content, content_type="text/csv")


def _rows(n=3):
    return register_csv([register_row(i) for i in range(n)])


def _failure(register_import) -> str:
    with translation.override("en"):
        return services.failure_message(register_import)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("utf-16"),  # Excel's "Unicode text": UTF-16 with a BOM
        lambda text: text.encode("utf-8-sig"),
        lambda text: text.replace("\n", "\r").encode(),  # old Mac newlines
        lambda text: text.replace("\n", "\r\n").encode("cp1251"),
    ],
    ids=["utf-16", "utf-8-bom", "cr-only", "cp1251-crlf"],
)
def test_every_encoding_and_newline_style_imports_the_same_rows(kg, encode):
    register_import = import_file(kg["election"], _file(encode(_rows(4))), mode="all")
    assert register_import.status == IS.IMPORTED, _failure(register_import)
    assert register_import.rows_imported == 4
    assert set(RegisterEntry.objects.values_list("last_name", flat=True)) >= {"Асанов", "Токтогулов"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (_rows().encode("utf-16-le"), "line 1 contains a NUL byte"),  # UTF-16 without its mark
        (_rows().replace("Асанов", "Ас\x00анов").encode(), "line 2 contains a NUL byte"),
        (_rows().encode() + b"x" * 5_000_000 + b"\n", "Line 5 is too long: more than 20000 characters"),
        ("last_name\nMüller\n".encode("latin-1"), "Line 2 cannot be read as UTF-8 text"),
        (b"PK\x03\x04not really a workbook", "cannot be read as CSV or XLSX"),
    ],
    ids=["utf-16-no-bom", "nul", "5mb-line", "latin-1", "broken-xlsx"],
)
def test_a_refused_file_fails_with_its_reason_and_the_next_upload_works(kg, content, expected):
    election = kg["election"]
    refused = import_file(election, _file(content), mode=None)
    assert refused.status == IS.FAILED
    assert expected in _failure(refused)
    assert not refused.is_active
    following = import_file(election, upload(_rows(2)), mode="all")
    assert following.status == IS.IMPORTED and following.rows_imported == 2


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused_before_it_is_read(kg, settings):
    settings.IMPORT_REGISTER_MAX_MB = 0.001  # about 1 KB
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        services.register_import_upload(election=kg["election"], file=upload(_rows(40)), actor=None)
    assert "The file is too large: the limit is 1048 B." in str(refused.value)
    assert not RegisterImport.objects.exists()


@pytest.mark.django_db
def test_a_crashed_check_does_not_block_the_election_for_good(kg, settings):
    """A worker killed in the middle of a check leaves the row "being checked"; after
    IMPORT_STALE_MINUTES the next upload (or the periodic task) ends it as failed."""
    election = kg["election"]
    crashed = services.register_import_upload(election=election, file=upload(_rows()), actor=None)
    RegisterImport.objects.filter(pk=crashed.pk).update(status=IS.VALIDATING)
    with pytest.raises(ValidationError):  # still running as far as anyone knows
        services.register_import_upload(election=election, file=upload(_rows()), actor=None)
    RegisterImport.objects.filter(pk=crashed.pk).update(created_at=timezone.now() - dt.timedelta(minutes=61))
    following = import_file(election, upload(_rows(2)), mode="all")
    assert following.status == IS.IMPORTED
    crashed.refresh_from_db()
    assert crashed.status == IS.FAILED
    assert "stopped without finishing" in _failure(crashed)
    assert services.register_import_validate(import_id=crashed.pk) is False  # a late task does nothing


@pytest.mark.django_db
def test_the_periodic_task_ends_a_lost_load(kg):
    from voters.tasks import recover_stale_imports

    imported = import_file(kg["election"], upload(_rows()), mode=None)
    RegisterImport.objects.filter(pk=imported.pk).update(
        status=IS.IMPORTING, confirmed_at=timezone.now() - dt.timedelta(hours=2)
    )
    assert recover_stale_imports() == 1
    imported.refresh_from_db()
    assert imported.status == IS.FAILED and RegisterEntry.objects.count() == 0


@pytest.mark.django_db
def test_the_reason_is_stored_even_when_the_file_held_what_the_database_refuses(kg):
    """Whatever a problem's text holds (a NUL from a header cell, 5 MB of it), the import ends."""
    from voters.services.imports import _fail

    register_import = services.register_import_upload(
        election=kg["election"], file=upload(_rows()), actor=None
    )
    _fail(register_import, "", [{"code": "unknown_column", "param": "a\x00b" + "x" * 10_000}])
    register_import.refresh_from_db()
    assert register_import.status == IS.FAILED
    assert (
        register_import.file_problems[0]["param"].startswith("ab")
        and len(register_import.file_problems[0]["param"]) == 200
    )


@pytest.mark.django_db
def test_a_workbook_broken_inside_fails_with_a_reason(kg, tmp_path):
    """A valid zip whose sheet XML is cut short: refused as unreadable, never "could not be checked"."""
    import zipfile

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(
        ["personal_number", "last_name", "first_name", "birth_date", "address", "precinct_number"]
    )
    for i in range(50):
        workbook.active.append([f"2{i:013d}", "Асанов", "Бакыт", "1980-03-12", "адрес", 1001])
    good, broken = tmp_path / "good.xlsx", tmp_path / "broken.xlsx"
    workbook.save(good)
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, data[: len(data) // 2] if item.filename.endswith("sheet1.xml") else data)
    register_import = import_file(
        kg["election"], SimpleUploadedFile("extract.xlsx", broken.read_bytes()), mode=None
    )
    assert register_import.status == IS.FAILED
    assert "cannot be read as CSV or XLSX" in _failure(register_import)


@pytest.mark.django_db
@pytest.mark.parametrize("kept", [0, 2], ids=["all-lost", "some-lost"])
def test_checked_rows_lost_by_a_database_restart_are_never_imported_as_done(
    client, kg, kept, django_capture_on_commit_callbacks
):
    """PostgreSQL empties the UNLOGGED scratch table after a crash. A file checked before the
    crash and confirmed after it (on its page, by the secretariat) must fail with its reason, not
    be "imported" with fewer rows."""
    from django.urls import reverse

    from tests.factories import user_with_role
    from voters.models import RegisterImportRow

    checked = import_file(kg["election"], upload(_rows(5)), mode=None)
    assert checked.status == IS.VALIDATED and checked.rows_total == 5
    lost = RegisterImportRow.objects.filter(batch=checked.pk).order_by("line")[kept:]
    RegisterImportRow.objects.filter(pk__in=[r.pk for r in lost]).delete()
    client.force_login(user_with_role("secretariat"))
    page = reverse("voters:import_detail", args=[kg["election"].slug, checked.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page, {"mode": "all"})
    checked.refresh_from_db()
    assert checked.status == IS.FAILED
    assert "results of the check were lost" in _failure(checked)
    assert "Upload the file again" in _failure(checked)
    assert RegisterEntry.objects.count() == 0
    shown = client.get(page).content.decode()  # in Russian, the secretariat's language
    assert "Результаты проверки утеряны" in shown and "Загрузите файл ещё раз" in shown
    again = import_file(kg["election"], upload(_rows(5)), mode="all")  # the next upload works
    assert again.status == IS.IMPORTED and RegisterEntry.objects.count() == 5


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_an_entry_whose_precinct_is_of_another_election(kg):
    """On PostgreSQL the voter list has one foreign key (election, precinct) → a unit of that
    election: an entry can point neither at a precinct of another election nor at none (checked
    at commit, like Django's keys). On SQLite the services alone keep it so."""
    from django.db import IntegrityError, connection, transaction

    from tests.factories import ElectionFactory
    from tests.groups.factories import PrecinctFactory

    if connection.vendor != "postgresql":
        pytest.skip("the key is PostgreSQL's")
    imported = import_file(kg["election"], upload(_rows(2)), mode="all")
    assert imported.status == IS.IMPORTED
    entry = RegisterEntry.objects.first()
    elsewhere = PrecinctFactory(election=ElectionFactory(), number=1001)
    for precinct_id in (elsewhere.pk, elsewhere.pk + 10_000):
        with pytest.raises(IntegrityError, match="precinct_of_its_election"), transaction.atomic():
            RegisterEntry.objects.filter(pk=entry.pk).update(precinct_id=precinct_id)
    RegisterEntry.objects.filter(pk=entry.pk).update(precinct_id=kg["other_precinct"].pk)  # its own: fine
    entry.refresh_from_db()
    assert entry.precinct_id == kg["other_precinct"].pk
