"""Fuzz (hypothesis): a register extract of any bytes, through the real services (upload, then the
check the task runs), ends "checked" or "failed" with a reason for the user — never an exception,
never an import left running to block the next one."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from hypothesis import given

from tests.fuzz import FUZZ, any_file
from voters import services
from voters.models import RegisterImport

from .factories import HEADER, register_csv, register_row

ROWS = register_csv([register_row(i) for i in range(3)]).splitlines()
LINES = [
    HEADER,
    HEADER.replace(",", ";"),
    *ROWS,
    "21203198012345,Асанов,Бакыт,,31.02.1980,адрес,1001,",
    "21203198012345,Асанов,Бакыт,,1980-03-12,адрес,99999999999999999999,not-an-email",
    '"unclosed,Асанов,Бакыт',
]


@FUZZ
@given(content=any_file(LINES))
def test_any_extract_ends_checked_or_failed_with_a_reason(kg, content):
    try:
        register_import = services.register_import_upload(
            election=kg["election"], file=SimpleUploadedFile("extract.csv", content), actor=None
        )
    except ValidationError as exc:  # an empty file: refused at the upload
        assert exc.messages
        return
    services.register_import_validate(import_id=register_import.pk)
    register_import.refresh_from_db()
    assert register_import.status in (RegisterImport.Status.VALIDATED, RegisterImport.Status.FAILED)
    if register_import.status == RegisterImport.Status.FAILED:
        with translation.override("en"):
            assert services.failure_message(register_import)
