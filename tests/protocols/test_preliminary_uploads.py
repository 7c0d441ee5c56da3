"""Uploads that always end (issue 16) for the CSV imports read by a task: preliminary figures
(protocols) and districts and precincts (groups). The request only stores the file, its size
checked first; the task reads it through the one text decoder; every bad file ends "not
imported" with its reason on the page, never a 500 or an import "being read" for good."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from groups.models import FileImport, TerritorialUnit
from groups.services import UnitImportError, units_import
from groups.tasks import recover_stale_file_imports
from protocols.models import PreliminaryResult
from protocols.services.preliminary import PreliminaryImportError, preliminary_import


def _codes(k):
    return [o.code for o in k["options"]]


def _prelim_text(k, newline="\n"):
    a, b, against = _codes(k)
    return (
        newline.join(
            [f"precinct;ballots_valid;{a};{b};{against}", "1001;830;300;130;400", "1002;350;200;100;50"]
        )
        + newline
    )


def _file(content: bytes, name="prelim.csv"):
    return SimpleUploadedFile(name, content, content_type="text/csv")


@pytest.fixture
def cec_client(client, kg_counting):
    client.force_login(kg_counting["cec_member"])
    return client


def test_the_upload_is_read_by_a_task_and_the_page_shows_the_outcome(
    cec_client, kg_counting, django_capture_on_commit_callbacks
):
    k = kg_counting
    url = reverse("protocols:aggregation_preliminary_import", kwargs={"slug": k["election"].slug})
    with django_capture_on_commit_callbacks(execute=True):
        response = cec_client.post(url, {"file": _file(_prelim_text(k).encode("utf-16"))})
    assert response.status_code == 302 and "?run=" in response["Location"]
    page = cec_client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert page.context["run"].status == FileImport.Status.DONE
    assert 'id="import-done"' in page.content.decode()
    assert PreliminaryResult.objects.count() == 2

    bad = _prelim_text(k).encode() + b"1001;" + b"9" * 5_000_000 + b"\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = cec_client.post(url, {"file": _file(bad)})
    run = cec_client.get(response["Location"]).context["run"]
    assert run.status == FileImport.Status.FAILED
    assert run.errors[0]["line"] == 4 and "4" in run.errors[0]["message"]
    assert PreliminaryResult.objects.count() == 2  # nothing of the refused file


def test_a_file_over_the_limit_is_refused_in_the_request_and_nothing_is_stored(
    cec_client, kg_counting, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_PRELIMINARY_MAX_MB = 0.001
    k = kg_counting
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        url = reverse("protocols:aggregation_preliminary_import", kwargs={"slug": k["election"].slug})
        response = cec_client.post(url, {"file": _file(_prelim_text(k).encode() * 50)}, follow=True)
    assert "The file is too large" in response.content.decode()
    assert not FileImport.objects.exists() and not PreliminaryResult.objects.exists()


@pytest.mark.parametrize("newline", ["\r", "\r\n", "\n"], ids=["cr", "crlf", "lf"])
def test_preliminary_figures_with_any_newline_style(kg_counting, newline):
    k = kg_counting
    result = preliminary_import(
        election=k["election"], file=_file(_prelim_text(k, newline).encode("cp1251")), actor=k["cec_member"]
    )
    assert result.created == 2


@pytest.mark.parametrize(
    ("content", "line", "text"),
    [
        (b"precinct;ballots_valid\n1001;\x00\n", 2, "NUL byte"),
        (b"precinct;ballots_valid\n" + b"1" * 5_000_000 + b"\n", 2, "too long"),
        (b'precinct;ballots_valid\n1001;"' + (b"1" * 10_000 + b"\n") * 20, 2, "not valid CSV"),
    ],
    ids=["nul", "5mb-line", "csv-field-over-the-limit"],
)
def test_a_bad_preliminary_file_is_refused_naming_the_line(kg_counting, content, line, text):
    k = kg_counting
    with translation.override("en"), pytest.raises(PreliminaryImportError) as refused:
        preliminary_import(election=k["election"], file=_file(content), actor=k["cec_member"])
    assert refused.value.rows[0].line >= line and text in refused.value.rows[0].message


@pytest.fixture
def election(db):
    from tests.factories import ElectionFactory

    return ElectionFactory(kind="local_council", time_zone="Asia/Bishkek")


@pytest.mark.parametrize("newline", ["\r", "\r\n"], ids=["cr", "crlf"])
def test_units_with_any_newline_style_and_utf16(election, newline):
    rows = [
        "kind,number,name_ru,parent_number,voters_on_list",
        "district,1,Округ,,",
        "precinct,1003,Школа,1,700",
        "",
    ]
    text = newline.join(rows)
    result = units_import(election=election, content=text.encode("utf-16"), actor=None)
    assert result.created == 2 and TerritorialUnit.objects.get(number=1003).parent.number == 1


def test_units_refuse_a_5mb_line_naming_it(election):
    with translation.override("en"), pytest.raises(UnitImportError) as refused:
        units_import(election=election, content=b"kind,number,name_ru\n" + b"x" * 5_000_000, actor=None)
    assert (refused.value.rows[0].line, "Line 2 is too long" in refused.value.rows[0].message) == (2, True)


def test_a_lost_task_ends_not_imported(kg_counting):
    k = kg_counting
    run = FileImport.objects.create(
        election=k["election"], kind="preliminary", original_name="x.csv", sha256="0" * 64, status="running"
    )
    assert recover_stale_file_imports() == 0  # not yet: it may still be working
    FileImport.objects.filter(pk=run.pk).update(created_at=timezone.now() - dt.timedelta(hours=2))
    assert recover_stale_file_imports() == 1
    run.refresh_from_db()
    assert run.status == "failed" and run.errors[0]["message"]


def test_only_who_may_import_can_upload_and_the_upload_is_audited(kg_counting):
    from django.core.exceptions import PermissionDenied

    from elections.models import AuditEntry
    from groups.services.file_imports import file_import_upload

    k = kg_counting
    with pytest.raises(PermissionDenied):  # importing for the whole election is for the CEC
        file_import_upload(
            election=k["election"],
            kind="preliminary",
            file=_file(_prelim_text(k).encode()),
            actor=k["tec_member"],
        )
    assert not FileImport.objects.exists()
    run = file_import_upload(
        election=k["election"],
        kind="preliminary",
        file=_file(_prelim_text(k).encode()),
        actor=k["cec_member"],
    )
    entry = AuditEntry.objects.get(action="groups.file_import.uploaded")
    assert entry.data == {"import_id": run.pk, "kind": "preliminary", "size": run.size, "sha256": run.sha256}
