"""Protocol PDFs: rendered after the last signature (Celery), signed with the portal's key, stored
with their SHA-256, read back as text with pdftotext; who may download them."""

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from elections import signing
from elections.models import AuditEntry
from elections.services import election_transition
from protocols import forms_spec
from protocols.models import Complaint, Protocol, ProtocolDocument
from protocols.pdf import protocol_pdf_render
from protocols.services import protocol as protocol_services
from protocols.services.pdf import DOCUMENTS, protocol_documents_render
from protocols.tasks import render_protocol_documents
from tests.factories import CommissionFactory, GroupFactory, user_with_role

from .pdf_fixtures import (
    COMPLAINT,
    COMPLAINT_DECISION,
    DECISION,
    DISSENT,
    EXPLANATION,
    OBSERVERS,
    PROCESS,
    draft,
    sign_all,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)"),
]


def pdf_text(path, page=None, *, layout=False) -> str:
    """The text of the PDF (or of one page): in reading order, or with ``layout`` the rows of
    the tables on one line each."""
    options = (["-f", str(page), "-l", str(page)] if page else []) + (["-layout"] if layout else [])
    return subprocess.run(
        ["pdftotext", *options, str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def pdf_pages(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def document(protocol, language="ru", copy=1) -> ProtocolDocument:
    return ProtocolDocument.objects.get(protocol=protocol, language=language, copy=copy)


# --- rendering, signing, storing ---------------------------------------------------------------


def test_the_last_signature_renders_signed_documents_of_both_copies(signed, portal):
    protocol = signed["protocol"]
    assert protocol.status == Protocol.Status.SIGNED
    documents = list(protocol.documents.order_by("language", "copy"))
    assert [(d.language, d.copy) for d in documents] == [("en", 1), ("ru", 1), ("ru", 2)]
    assert sorted(DOCUMENTS) == [("en", 1), ("ru", 1), ("ru", 2)]
    for d in documents:
        content = d.file.read()
        assert content.startswith(b"%PDF-")
        assert d.is_signed and d.size == len(content)
        assert d.sha256 == hashlib.sha256(content).hexdigest()
        assert signing.verify_pdf(content, trusted_cert_pem=(portal / "cert.pem").read_bytes()).ok
        # private storage, never under MEDIA_ROOT (served by protocols:document only)
        assert d.file.path.startswith(str(portal / "private"))
    entry = AuditEntry.objects.get(action="protocols.protocol.documents_rendered")
    assert entry.data["version"] == 1
    assert sorted(x["sha256"] for x in entry.data["documents"]) == sorted(d.sha256 for d in documents)


def russian(text) -> str:
    """``text`` (a msgid or lazy string of the protocols area) as the Russian PDF prints it; it
    must be Russian indeed, not the English msgid left untranslated."""
    with translation.override("ru"):
        value = str(text) if not isinstance(text, str) else translation.gettext(text)
    assert re.search("[а-яА-Я]", value), f"no Russian translation for {text!r}"
    return value


def test_russian_pdf_holds_the_labels_numbers_signatures_complaints_and_fingerprints(signed):
    protocol = signed["protocol"]
    path = document(protocol).file.path
    text = pdf_text(path, layout=True)
    flat = " ".join(pdf_text(path).split())
    # title: the level (get_level_display), the election, the contest, the commission
    for label in (
        "ПРОТОКОЛ",
        russian(Protocol.Level.GROUP.label),
        signed["election"].title_ru,
        "Член и альтернат",
        "Счётная комиссия",
        "Экземпляр № 1",
        "Версия 1",
    ):
        assert label in flat, label
    # every line of the form with its number and value
    figures = protocol.figures
    assert (figures["voters_registered"], figures["voters_voted"], figures["ballots_valid"]) == (3, 2, 2)
    lines = text.splitlines()
    for line in forms_spec.lines_for("group"):
        label = russian(line.label)
        row = next(row for row in lines if label in row).split()
        assert row[0] == line.number, label
        assert row[-1] == str(figures.get(line.code, "—")), label
    # votes per option, "against all" included
    rows = {
        label: next(row for row in lines if label in row).split()[-1]
        for label in ("Алиева Айгуль", "Борисов Бекзат", "Против всех")
    }
    assert rows == {"Алиева Айгуль": "2", "Борисов Бекзат": "0", "Против всех": "0"}
    # the checks: the failing one with its explanation; the texts; the decision from the outcome
    failing = next(row for row in lines if "не выполнено" in row)
    assert re.search(r"2\s*≠\s*3", failing) and EXPLANATION in flat
    # every check, and the difference from the portal's count (voted at the assembly), explained
    assert flat.count("выполнено") == len(forms_spec.checks_for("group")) + 1
    for body in (PROCESS, OBSERVERS, DECISION):
        assert body in flat
    assert "Избран(ы): Алиева Айгуль" in flat and "Альтернат: Борисов Бекзат" in flat
    # the signature sheet: names, positions, times in the election's zone, the dissent
    assert "Лист подписей" in flat
    for signature in protocol.signatures.all():
        local = signature.signed_at.astimezone(signed["election"].tz)
        assert signature.full_name in flat
        assert local.strftime("%d.%m.%Y %H:%M:%S") in flat
    assert "Председатель" in flat and "Секретарь" in flat
    assert DISSENT in flat
    # the complaint and its decision
    assert COMPLAINT in flat and COMPLAINT_DECISION in flat
    assert russian(Complaint.Status.REJECTED.label) in flat
    # fingerprints
    for value in (protocol.data_sha256, protocol.ballots_fingerprint, protocol.audit_head):
        assert len(value) == 64 and value in flat
    # numbered pages, copy mark on every page
    pages = pdf_pages(path)
    for page in range(1, pages + 1):
        page_text = " ".join(pdf_text(path, page).split())
        assert f"Страница {page} из {pages}" in page_text
        assert "Экземпляр № 1" in page_text


def test_copy_two_and_the_english_rendering(signed):
    protocol = signed["protocol"]
    second = pdf_text(document(protocol, "ru", 2).file.path)
    assert "Экземпляр № 2" in second and "Экземпляр № 1" not in second
    english = " ".join(pdf_text(document(protocol, "en", 1).file.path).split())
    for label in (
        "PROTOCOL",
        "Protocol of an electoral group",
        "Copy No. 1",
        "Page 1 of",
        "Voters registered in the group",
        "Votes for each ballot option",
        "Signature sheet",
        "Chair",
        "Fingerprints",
        "Complaints attached and decisions on them",
        "Rejected",
    ):
        assert label in english, label
    assert "Алиева Айгуль" in english  # no English label: the Russian one
    assert protocol.data_sha256 in english


def test_stored_document_verifies_and_a_changed_byte_fails(signed, tmp_path, capsys):
    stored = document(signed["protocol"]).file.path
    call_command("verify_protocol_pdf", stored)  # exit 0: no SystemExit
    assert capsys.readouterr().out.startswith("OK: signature valid, document intact")

    content = bytearray(Path(stored).read_bytes())
    content[len(content) // 3] ^= 0x01  # inside the signed byte range
    changed = tmp_path / "changed.pdf"
    changed.write_bytes(bytes(content))
    with pytest.raises(SystemExit) as excinfo:
        call_command("verify_protocol_pdf", str(changed))
    assert excinfo.value.code == 1
    assert capsys.readouterr().out.startswith("INVALID:")


def test_rendering_again_is_idempotent_and_restores_a_lost_file(signed):
    protocol = signed["protocol"]
    before = {(d.language, d.copy): (d.pk, d.sha256, d.file.name) for d in protocol.documents.all()}
    assert render_protocol_documents.delay(protocol.pk).get() == 0
    assert protocol_documents_render(protocol=protocol) == []
    after = {(d.language, d.copy): (d.pk, d.sha256, d.file.name) for d in protocol.documents.all()}
    assert after == before
    assert AuditEntry.objects.filter(action="protocols.protocol.documents_rendered").count() == 1

    lost = document(protocol, "ru", 2)
    lost.file.storage.delete(lost.file.name)
    assert render_protocol_documents.delay(protocol.pk).get() == 1
    assert ProtocolDocument.objects.filter(protocol=protocol).count() == 3
    assert (
        document(protocol, "ru", 2).pk == lost.pk and document(protocol, "ru", 2).file.read()[:5] == b"%PDF-"
    )


def test_a_draft_is_not_rendered_as_a_signed_document(counted, portal):
    protocol = draft(counted)
    with pytest.raises(ValidationError):
        protocol_documents_render(protocol=protocol)
    assert render_protocol_documents.delay(protocol.pk).get() == 0
    assert render_protocol_documents.delay(10**9).get() == 0  # gone meanwhile
    assert not ProtocolDocument.objects.exists()


def test_a_correction_prints_the_version_and_the_reason(signed, django_capture_on_commit_callbacks):
    reason = "В строке 2.2 ошибочно указан один избиратель."
    corrected = protocol_services.protocol_correct(
        protocol=signed["protocol"], actor=signed["members"][0], reason=reason
    )
    corrected = sign_all(signed, corrected, django_capture_on_commit_callbacks)
    assert corrected.version == 2 and corrected.documents.count() == 3
    text = " ".join(pdf_text(document(corrected).file.path).split())
    assert "Версия 2" in text and reason in text
    assert "исправляет версию 1" in text
    # the superseded version keeps its documents
    assert signed["protocol"].documents.count() == 3


def test_render_is_pure_and_marks_a_draft(counted, portal):
    protocol = draft(counted)
    content = protocol_pdf_render(protocol, copy=2, language="en")
    path = portal / "draft.pdf"
    path.write_bytes(content)
    text = " ".join(pdf_text(path).split())
    assert "Draft: not yet signed by all present members." in text and "Copy No. 2" in text
    assert "has not signed" in text  # present members who have not signed yet
    assert not ProtocolDocument.objects.exists()
    with pytest.raises(ValueError):
        protocol_pdf_render(protocol, copy=3, language="en")


# --- download -------------------------------------------------------------------------------------


def _url(d):
    return reverse("protocols:document", kwargs={"slug": d.protocol.election.slug, "pk": d.pk})


def test_before_publication_commission_secretariat_and_observers_read_others_do_not(signed, client):
    election = signed["election"]
    d = document(signed["protocol"], "ru", 2)
    other_group = GroupFactory(election=election, slug="other")
    other_commission = CommissionFactory(election=election, group=other_group, name_ru="Другая комиссия")
    readers = {
        "member": signed["members"][1],
        "secretariat": user_with_role(Role.SECRETARIAT),
        "observer": user_with_role(Role.OBSERVER, election=election),
    }
    refused = {
        "other commission": user_with_role(Role.COMMISSION_MEMBER, commission=other_commission),
        "voter": user_with_role(Role.VOTER, group=signed["group"]),
        "candidate": user_with_role(Role.CANDIDATE, group=signed["group"]),
    }
    for who, user in readers.items():
        client.force_login(user)
        response = client.get(_url(d))
        assert response.status_code == 200, who
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == Path(d.file.path).read_bytes()
        assert "group-g-v1-copy2-ru.pdf" in response["Content-Disposition"]
    for who, user in refused.items():
        client.force_login(user)
        assert client.get(_url(d)).status_code == 403, who
    client.logout()
    assert client.get(_url(d)).status_code == 302  # to the login page


def test_after_publication_signed_documents_are_public(signed, client):
    election = signed["election"]
    for step in ("certify", "publish"):
        election = election_transition(election=election, transition=step, actor=None)
    d = document(signed["protocol"])
    response = client.get(_url(d))
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:5] == b"%PDF-"
    # a document is looked up within the election of the URL
    wrong = reverse("protocols:document", kwargs={"slug": "no-such-election", "pk": d.pk})
    assert client.get(wrong).status_code == 404
    assert (
        client.get(reverse("protocols:document", kwargs={"slug": election.slug, "pk": 10**9})).status_code
        == 404
    )


def test_a_precinct_protocol_prints_the_kg_lines_and_against_all(
    kg_counting, portal, django_capture_on_commit_callbacks
):
    from protocols.services.pdf import document_filename

    precinct, pec, user = kg_counting["precincts"][0], kg_counting["pecs"][0], kg_counting["pec_members"][0]
    party_a, party_b, against = kg_counting["options"]
    protocol = protocol_services.protocol_create(
        contest=kg_counting["contest"], level="precinct", commission=pec, actor=user, unit=precinct
    )
    figures = {
        "voters_on_list": 1000,
        "ballots_received": 900,
        "ballots_issued_premises": 610,
        "ballots_issued_outside": 15,
        "ballots_cancelled": 275,
        "ballots_in_boxes": 625,
        "ballots_invalid": 25,
        "ballots_valid": 600,
    }
    votes = {party_a.code: 351, party_b.code: 212, against.code: 37}
    protocol = protocol_services.protocol_update(protocol=protocol, actor=user, figures=figures, votes=votes)
    with django_capture_on_commit_callbacks(execute=True):
        protocol_services.protocol_sign(protocol=protocol, actor=user, password=kg_counting["password"])
    d = document(protocol, "en", 1)
    assert document_filename(d) == "precinct-district-1-precinct-1001-v1-copy1-en.pdf"
    text = pdf_text(d.file.path, layout=True)
    lines = text.splitlines()
    with translation.override("en"):
        labels = [(str(line.label), line) for line in forms_spec.lines_for("precinct")]
    for label, line in labels:
        row = next(row for row in lines if label in row).split()
        assert (row[0], row[-1]) == (line.number, str(figures[line.code]))
    for label, n in (("Партия А", 351), ("Партия Б", 212), ("Против всех", 37)):
        assert next(row for row in lines if label in row).split()[-1] == str(n)
    flat = " ".join(text.split())
    assert "Precinct protocol" in flat and "Precinct № 1001" in flat
    assert "failed" not in flat and flat.count("passed") == len(forms_spec.checks_for("precinct"))


def test_titles_in_page_margins_are_escaped_for_css():
    from protocols.pdf import css_string

    assert css_string('Выборы "СКК" \\ 2024</style>') == "Выборы \\22 СКК\\22  \\5c  2024\\3c /style>"
