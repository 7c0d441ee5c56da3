"""Lists published for checking (seed 003 items 11–14): finding one's own entry (and nobody
else's), Form 3 requests decided by the PEC, the freeze of the final list, changes afterwards
by a recorded decision, and the printable precinct list."""

import datetime as dt
import re
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from freezegun import freeze_time

from elections import lifecycle
from elections.models import AuditEntry
from elections.services import election_transition
from groups.services import ConflictOfInterestNotDeclared
from tests.factories import user_with_role
from tests.groups.factories import MemberFactory, pdf_upload
from tests.outbox import send_outbox
from voters import services
from voters.models import CorrectionRequest, RegisterEntry, RegisterEntryChange

from .factories import import_rows, register_row

C = CorrectionRequest.Status


@pytest.fixture
def listed(kg):
    rows = [register_row(i, precinct=1001 + i % 2, middle_name="Кубатович") for i in range(6)]
    import_rows(kg["election"], rows)
    entry = RegisterEntry.objects.get(personal_number=rows[0]["personal_number"])
    return dict(kg, rows=rows, entry=entry)


def _check(client, election, number, birth):
    return client.post(
        reverse("voters:check", args=[election.slug]), {"personal_number": number, "birth_date": birth}
    )


@pytest.mark.django_db
def test_a_voter_finds_only_their_own_entry(client, listed):
    election, entry, rows = listed["election"], listed["entry"], listed["rows"]
    response = _check(client, election, entry.personal_number, entry.birth_date.strftime("%d.%m.%Y"))
    page = response.content.decode()
    assert response.status_code == 200 and 'id="found"' in page
    assert "№ 1001" in page and listed["precinct"].address in page
    assert entry.last_name[:2] + "*" in page and entry.last_name not in page  # the name is masked
    assert entry.address not in page  # the voter's own address is not shown
    for other in rows[1:]:
        assert other["personal_number"] not in page and other["address"] not in page
    wrong_date = _check(client, election, entry.personal_number, "01.01.1901").content.decode()
    assert 'id="not-found"' in wrong_date and 'id="found"' not in wrong_date
    unknown = _check(client, election, "29999999999999", entry.birth_date.isoformat()).content.decode()
    assert 'id="not-found"' in unknown
    # no page lists entries to the public
    for name in ("voters:lists",):
        assert client.get(reverse(name, args=[election.slug])).status_code == 302
    assert client.get(reverse("voters:precinct_list", args=[election.slug, 1001])).status_code == 302


@pytest.mark.django_db
def test_lookups_are_rate_limited_and_logged_without_the_number(client, listed, settings, caplog):
    settings.VOTER_LOOKUP_RATE = 3
    election, entry = listed["election"], listed["entry"]
    with caplog.at_level("INFO", logger="voters.lookup"):
        statuses = [
            _check(client, election, entry.personal_number, "01.01.1990").status_code for _ in range(4)
        ]
    assert statuses == [200, 200, 200, 429]
    assert entry.personal_number not in caplog.text and "found=False" in caplog.text
    other = client.post(
        reverse("voters:check", args=[election.slug]),
        {"personal_number": entry.personal_number, "birth_date": entry.birth_date.isoformat()},
        REMOTE_ADDR="10.0.0.9",
    )
    assert other.status_code == 200 and 'id="found"' in other.content.decode()


@pytest.mark.django_db
def test_form_3_filed_by_the_voter_and_decided_by_the_pec(
    client, listed, mailoutbox, django_capture_on_commit_callbacks
):
    send_outbox()  # the fixtures' mails leave first
    mailoutbox.clear()
    election, entry = listed["election"], listed["entry"]
    # without finding the entry first, the form sends the visitor to the check
    assert client.get(reverse("voters:correction_new", args=[election.slug])).status_code == 302
    _check(client, election, entry.personal_number, entry.birth_date.isoformat())
    url = reverse("voters:correction_new", args=[election.slug])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "field": "last_name",
            "requested_value": "Асанбеков",
            "explanation": "Фамилия изменена после регистрации брака",
            "contact_email": "voter@example.org",
            "document": pdf_upload("marriage.pdf"),
        },
    )
    assert response.status_code == 302
    request = CorrectionRequest.objects.get()
    assert request.entry == entry and request.precinct == listed["precinct"]
    assert request.current_value == entry.last_name and request.document
    assert AuditEntry.objects.filter(action="voters.correction.submitted").exists()

    pec_member = listed["pec_member"].user
    client.force_login(pec_member)
    assert client.get(reverse("voters:corrections", args=[election.slug])).status_code == 200
    assert (
        client.get(reverse("voters:correction_document", args=[election.slug, request.pk])).status_code == 200
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("voters:correction_decide", args=[election.slug, request.pk]), {"decision": "accept"}
        )
    assert response.status_code == 302
    entry.refresh_from_db()
    request.refresh_from_db()
    assert entry.last_name == "Асанбеков" and entry.correction_count == 1
    assert request.status == C.ACCEPTED and request.decided_by == pec_member
    # a numbered decision of the precinct's PEC; the change to the entry carries its number
    assert request.decision.number == 1 and request.decision.body.kind == "pec"
    change = RegisterEntryChange.objects.get(entry=entry)
    assert change.decision_number == "1"
    assert change.changes == {"last_name": [listed["rows"][0]["last_name"], "Асанбеков"]}
    audit = AuditEntry.objects.get(action="voters.register.entry_changed")
    assert audit.data["fields"] == ["last_name"] and "Асанбеков" not in str(audit.data)
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["voter@example.org"]
    assert services.correction_notify(request_id=request.pk) is False  # once


@pytest.mark.django_db
def test_form_3_rejection_precinct_move_and_who_decides(listed):
    entry = listed["entry"]
    moved = services.correction_submit(entry=entry, actor=None, field="precinct", requested_value="1002")
    with pytest.raises(ValidationError):
        services.correction_submit(entry=entry, actor=None, field="precinct", requested_value="4242")
    with pytest.raises(ValidationError):
        services.correction_submit(entry=entry, actor=None, field="birth_date", requested_value="1980/01/01")
    bad = services.correction_submit(entry=entry, actor=None, field="first_name", requested_value="Бакытбек")
    undeclared = MemberFactory(commission=listed["pec"], email="new-pec@example.org")
    with pytest.raises(ConflictOfInterestNotDeclared):
        services.correction_decide(request=bad, actor=undeclared.user, decision="reject", reason="x")
    outsider = user_with_role("commission_member", commission=listed["tec"])
    with pytest.raises(PermissionDenied):
        services.correction_decide(request=bad, actor=outsider, decision="accept")
    pec_member = listed["pec_member"].user
    with pytest.raises(ValidationError):
        services.correction_decide(request=bad, actor=pec_member, decision="reject", reason="")
    services.correction_decide(request=bad, actor=pec_member, decision="reject", reason="Нет документа")
    services.correction_decide(request=moved, actor=pec_member, decision="accept")
    entry.refresh_from_db()
    assert entry.precinct == listed["other_precinct"] and entry.first_name == listed["rows"][0]["first_name"]
    # precinct 1002 has no PEC: only the secretariat reaches it now
    again = services.correction_submit(
        entry=entry, actor=None, field="address", requested_value="ул. Новая, 1"
    )
    with pytest.raises(PermissionDenied):
        services.correction_decide(request=again, actor=pec_member, decision="accept")
    services.correction_decide(request=again, actor=user_with_role("secretariat"), decision="accept")


@pytest.mark.django_db
def test_form_3_only_within_the_window(listed):
    election, entry = listed["election"], listed["entry"]
    services.voter_settings_update(
        election=election, actor=None, corrections_close_at=dt.datetime(2030, 11, 27, 0, 0, tzinfo=dt.UTC)
    )
    with freeze_time("2030-11-27 00:00:00+00:00"), pytest.raises(ValidationError):
        services.correction_submit(entry=entry, actor=None, field="address", requested_value="ул. Новая, 1")
    with freeze_time("2030-11-26 23:59:59+00:00"):
        services.correction_submit(entry=entry, actor=None, field="address", requested_value="ул. Новая, 1")


@pytest.mark.django_db
def test_freeze_waits_for_form_3_then_changes_need_a_recorded_decision(listed, voters_guards_only):
    election, entry = listed["election"], listed["entry"]
    election = election_transition(election=election, transition="open_registration", actor=None)
    assert [b.code for b in lifecycle.blockers(election, lifecycle.BY_NAME["open_voting"])] == [
        "voter_list_not_frozen"
    ]
    pending = services.correction_submit(
        entry=entry, actor=None, field="address", requested_value="ул. Новая, 1"
    )
    with pytest.raises(ValidationError):
        services.voter_list_freeze(election=election, actor=None)
    services.correction_decide(request=pending, actor=None, decision="reject", reason="Адрес верный")
    secretariat = user_with_role("secretariat")
    settings = services.voter_list_freeze(election=election, actor=secretariat)
    assert settings.list_frozen_entries == 6 and len(settings.list_frozen_sha256) == 64
    frozen = AuditEntry.objects.get(action="voters.register.frozen")
    assert frozen.data["entries"] == 6 and frozen.data["listed_per_precinct"] == {"1001": 3, "1002": 3}
    assert lifecycle.blockers(election, lifecycle.BY_NAME["open_voting"]) == []

    # after the freeze: no Form 3, no import, and a change needs the decision's number
    with pytest.raises(ValidationError):
        services.correction_submit(entry=entry, actor=None, field="address", requested_value="ул. Новая, 2")
    with pytest.raises(ValidationError):
        import_rows(election, [register_row(50)])
    pec_member = listed["pec_member"].user
    with pytest.raises(ValidationError) as refused:
        services.register_entry_change(entry=entry, actor=pec_member, reason="Умер", status="removed")
    assert "decision_number" in refused.value.error_dict
    services.register_entry_change(
        entry=entry, actor=pec_member, reason="Умер", decision_number="УИК-1001/7", status="removed"
    )
    entry.refresh_from_db()
    assert entry.status == RegisterEntry.Status.REMOVED
    audit = AuditEntry.objects.filter(action="voters.register.entry_changed").latest("seq")
    assert audit.data["after_freeze"] is True and audit.data["decision_number"] == "УИК-1001/7"
    election = election_transition(election=election, transition="open_voting", actor=None)
    assert election.state == "voting"


@pytest.mark.django_db
def test_entry_change_page_for_the_pec(client, listed):
    election, entry = listed["election"], listed["entry"]
    client.force_login(listed["pec_member"].user)
    url = reverse("voters:entry_change", args=[election.slug, entry.pk])
    assert client.get(url).status_code == 200
    data = {
        "last_name": entry.last_name,
        "first_name": entry.first_name,
        "middle_name": entry.middle_name,
        "birth_date": entry.birth_date.isoformat(),
        "address": "г. Бишкек, ул. Токтогула, 5",
        "email": "voter@example.org",
        "precinct_number": 1001,
        "status": "listed",
        "decision_number": "",
        "reason": "Заявление избирателя",
    }
    assert client.post(url, data).status_code == 302
    entry.refresh_from_db()
    assert entry.address == "г. Бишкек, ул. Токтогула, 5" and entry.email == "voter@example.org"
    other = RegisterEntry.objects.filter(precinct=listed["other_precinct"]).first()
    assert client.get(reverse("voters:entry_change", args=[election.slug, other.pk])).status_code == 403


@pytest.mark.django_db
def test_printable_precinct_list_has_numbered_pages(client, listed, tmp_path):
    election = listed["election"]
    import_rows(election, [register_row(100 + i, precinct=1001) for i in range(120)])
    client.force_login(listed["pec_member"].user)
    response = client.get(reverse("voters:precinct_pdf", args=[election.slug, 1001]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "list.pdf"
    path.write_bytes(b"".join(response.streaming_content))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
    pages = text.split("\f")[:-1]
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):  # "Страница N из M" (English until translated)
        assert re.search(rf"(Страница|Page) {number} (из|of) {len(pages)}", page), page[-300:]
    assert "1001" in pages[0] and text.count("Кубатович") == 3  # precinct 1001's voters only
    assert re.search(r"\b123\b", pages[-1])  # numbered rows: 3 + 120 voters
    again = client.get(reverse("voters:precinct_pdf", args=[election.slug, 1001]))
    assert again.status_code == 200  # served from the stored rendering of this list version
    assert client.get(reverse("voters:precinct_pdf", args=[election.slug, 1002])).status_code == 403
