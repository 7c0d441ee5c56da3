"""Import of the voter-register extract: the per-row report, all-or-nothing by default, only the
valid rows on purpose, encodings and formats, conflicts with the list, and a 100,000-row file."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from elections.models import AuditEntry
from voters import services
from voters.models import RegisterEntry, RegisterImport, RegisterImportProblem, RegisterImportRow

from .factories import import_file, import_rows, register_csv, register_row, upload

IS = RegisterImport.Status


def _problems(register_import):
    return {(p["line"], p["field"], p["code"]) for p in register_import.problems_preview}


@pytest.mark.django_db
def test_bad_file_gets_a_precise_report_and_imports_nothing(kg):
    election = kg["election"]
    rows = [register_row(i) for i in range(6)]
    rows[1] = register_row(1, personal_number="12345")  # line 3: not 14 digits
    rows[2] = register_row(2, birth_date="31.02.1980")  # line 4: no such date
    rows[3] = register_row(3, last_name="")  # line 5: missing
    rows[4] = register_row(4, precinct=9999)  # line 6: unknown precinct
    rows.append(register_row(0, precinct=1002))  # line 8: same number as line 2, other precinct
    rows.append(register_row(5))  # line 9: same as line 7, same precinct
    rows.append(register_row(7, birth_date="2020-01-01"))  # line 10: under 18 on voting day
    register_import = import_rows(election, rows, mode=None)
    assert register_import.status == IS.VALIDATED
    assert register_import.rows_total == 9
    assert _problems(register_import) == {
        (2, "personal_number", "duplicate_other_precinct"),
        (3, "personal_number", "personal_number"),
        (4, "birth_date", "date_invalid"),
        (5, "last_name", "missing"),
        (6, "precinct_number", "unknown_precinct"),
        (7, "personal_number", "duplicate"),
        (8, "personal_number", "duplicate_other_precinct"),
        (9, "personal_number", "duplicate"),
        (10, "birth_date", "under_age"),
    }
    assert register_import.rows_invalid == 9  # every row has a problem: nothing new is valid
    by_line = {p["line"]: p for p in register_import.problems_preview}
    assert by_line[2]["param"] == "8" and by_line[8]["param"] == "2" and by_line[8]["param2"] == "1001"
    assert RegisterEntry.objects.filter(election=election).count() == 0
    with pytest.raises(ValidationError):
        services.register_import_confirm(register_import=register_import, actor=None, mode="all")
    with pytest.raises(ValidationError):  # nothing new is valid either
        services.register_import_confirm(register_import=register_import, actor=None, mode="valid_only")
    assert RegisterEntry.objects.filter(election=election).count() == 0
    report = register_import.error_report.open("rb").read().decode("utf-8-sig")
    assert report.count("\n") == 10  # header + 9 problems


@pytest.mark.django_db
def test_all_or_nothing_refuses_and_valid_only_imports_just_the_valid_rows(kg):
    election = kg["election"]
    rows = [register_row(i) for i in range(5)] + [register_row(99, birth_date="1980/01/01")]
    register_import = import_rows(election, rows, mode=None)
    assert register_import.rows_invalid == 1 and register_import.rows_valid_new == 5
    with pytest.raises(ValidationError) as refused:
        services.register_import_confirm(register_import=register_import, actor=None, mode="all")
    assert "1" in str(refused.value)
    assert RegisterEntry.objects.count() == 0
    services.register_import_confirm(register_import=register_import, actor=None, mode="valid_only")
    assert services.register_import_run(import_id=register_import.pk)
    register_import.refresh_from_db()
    assert register_import.status == IS.IMPORTED and register_import.rows_imported == 5
    assert set(RegisterEntry.objects.values_list("personal_number", flat=True)) == {
        r["personal_number"] for r in rows[:5]
    }
    assert not RegisterImportRow.objects.exists() and not RegisterImportProblem.objects.exists()
    entry = AuditEntry.objects.get(action="voters.register.imported")
    assert entry.data["imported"] == 5 and entry.data["mode"] == "valid_only"
    assert entry.data["sha256"] == register_import.sha256


@pytest.mark.django_db
def test_clean_file_imports_with_semicolons_and_windows_1251(kg):
    election = kg["election"]
    rows = [register_row(i, precinct=1001 + i % 2, middle_name="Жумабекович") for i in range(40)]
    register_import = import_file(
        election, upload(register_csv(rows, delimiter=";"), encoding="cp1251"), mode="all"
    )
    assert register_import.status == IS.IMPORTED, register_import.problems_preview
    assert register_import.encoding == "cp1251"
    assert RegisterEntry.objects.filter(precinct=kg["precinct"]).count() == 20
    assert RegisterEntry.objects.filter(middle_name="Жумабекович").count() == 40


@pytest.mark.django_db
def test_xlsx_extract_with_excel_dates_and_numbers(kg):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["ПИН", "Фамилия", "Имя", "Отчество", "Дата рождения", "Адрес", "Участок"])
    sheet.append([21203198000001, "Асанов", "Бакыт", None, dt.datetime(1980, 3, 12), "ул. Ленина, 1", 1001])
    sheet.append(["21203198000002", "Исаков", "Нурлан", "Эрмекович", "12.03.1980", "ул. Ленина, 2", "1002"])
    sheet.append(["21203198000003", "Осмонова", "Гулзат", "", "не дата", "ул. Ленина, 3", 1001])
    path = kg["election"].slug + ".xlsx"
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        workbook.save(f"{tmp}/{path}")
        with open(f"{tmp}/{path}", "rb") as handle:
            content = handle.read()
    register_import = import_file(kg["election"], upload_bytes(content, "extract.xlsx"), mode="valid_only")
    assert register_import.file_format == "xlsx"
    assert _problems(register_import) == {(4, "birth_date", "date_format")}
    assert register_import.rows_imported == 2
    assert RegisterEntry.objects.get(personal_number="21203198000001").birth_date == dt.date(1980, 3, 12)


def upload_bytes(content, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


@pytest.mark.django_db
def test_header_problems_fail_the_whole_file(kg):
    register_import = import_file(kg["election"], upload("pin;фамилия;colour\n1;2;3\n"), mode=None)
    assert register_import.status == IS.FAILED
    codes = {p["code"] for p in register_import.file_problems}
    assert codes == {"unknown_column", "missing_column"}
    assert "colour" in services.failure_message(register_import)


@pytest.mark.django_db
def test_reimport_skips_unchanged_rows_and_reports_conflicts_across_precincts(kg):
    election = kg["election"]
    first = import_rows(election, [register_row(i) for i in range(3)])
    assert first.rows_imported == 3
    rows = [
        register_row(0),
        register_row(1, precinct=1002),
        register_row(2, address="другой адрес"),
        register_row(3),
    ]
    second = import_rows(election, rows, mode=None)
    assert second.rows_unchanged == 1
    assert _problems(second) == {
        (3, "personal_number", "registered_other_precinct"),
        (4, "personal_number", "registered_different"),
    }
    assert second.rows_valid_new == 1
    services.register_import_confirm(register_import=second, actor=None, mode="valid_only")
    services.register_import_run(import_id=second.pk)
    assert RegisterEntry.objects.filter(election=election).count() == 4


@pytest.mark.django_db
def test_upload_page_checks_in_the_background_and_shows_progress(
    client, kg, django_capture_on_commit_callbacks
):
    from tests.factories import user_with_role

    secretariat = user_with_role("secretariat")
    client.force_login(secretariat)
    election = kg["election"]
    text = register_csv([register_row(i) for i in range(4)])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("voters:import_upload", args=[election.slug]), {"file": upload(text)})
    register_import = RegisterImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("voters:import_detail", args=[election.slug, register_import.pk])
    page = client.get(response["Location"]).content.decode()
    assert 'data-status="validated"' in page and 'data-count="valid">4<' in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response["Location"], {"mode": "all"})
    register_import.refresh_from_db()
    assert register_import.status == IS.IMPORTED and register_import.confirmed_by == secretariat
    assert RegisterEntry.objects.count() == 4


@pytest.mark.django_db
def test_a_clean_100000_row_extract_imports(kg, tmp_path):
    """The suite's size check (the million-row run is `make bench`, never timed here)."""
    from django.core.files import File

    election = kg["election"]
    path = tmp_path / "extract.csv"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("personal_number,last_name,first_name,middle_name,birth_date,address,precinct_number\n")
        for i in range(100_000):
            handle.write(
                f"2{10000000000 + i:013d},Асанов,Бакыт,Жумабекович,1980-03-12,"
                f'"г. Бишкек, ул. Киевская, {i % 300}",{1001 + i % 2}\n'
            )
    with open(path, "rb") as handle:
        register_import = import_file(election, File(handle, name="extract.csv"), mode="all")
    assert register_import.status == IS.IMPORTED, register_import.problems_preview
    assert register_import.rows_imported == 100_000
    assert RegisterEntry.objects.filter(election=election).count() == 100_000
    assert RegisterEntry.objects.filter(precinct=kg["precinct"]).count() == 50_000
    assert not RegisterImportRow.objects.exists()
