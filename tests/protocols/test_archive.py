"""Archive ZIPs (seed 000 item 23) and the purge of personal data after them (docs/retention.md).

The election is the ``counted`` CCM group (tests/protocols/conftest.py: two online ballots, voting
closed) plus an organisation that voted at the assembly, a candidate's application with its
signed form, an accredited observer and a protocol draft with a rendered document. The
applications, the observer and the protocol document are created with the ORM: their own services
need the calendar windows of other stages (candidates, observers) or PDF rendering (another area).
"""

import csv
import datetime as dt
import hashlib
import io
import json
import os
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Role
from ballots import services as ballot_services
from ballots.models import Ballot, Participation
from ballots.selectors import ballot_set_fingerprint, board_rows
from elections import lifecycle
from elections.audit import verify_chain
from elections.models import AuditEntry, Election
from elections.services import election_transition
from elections.services.election import TransitionRefused
from protocols import archive_selectors as sel
from protocols.models import ElectionArchive, Protocol, ProtocolDocument
from protocols.services.archive import archive_build
from protocols.services.retention import PURGED_BIRTH_DATE, personal_data_purge
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n% a protocol\n%%EOF\n"


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    settings.PERSONAL_DATA_RETENTION_DAYS = 0


@pytest.fixture
def archived(counted):
    """``counted`` plus an organisation voting at the assembly, a candidate, an observer and a
    protocol with a document."""
    from candidates.models import Application
    from groups.models import ObserverApplication
    from protocols.services.protocol import protocol_create
    from voters.models import VoterRegistration

    election, group, contest = counted["election"], counted["group"], counted["contest"]
    now = timezone.now()
    org = VoterRegistration.objects.create(
        election=election,
        group=group,
        kind="organisation",
        name="ОФ «Рука помощи»",
        registration_number="123456789012",
        representative_name="Представитель Иван",
        email="org@example.org",
        phone="+77010000000",
        region=VoterRegistration._meta.get_field("region").choices[0][0],
        consent_given_at=now,
        submitted_at=now,
        status="accepted",
    )
    chair = counted["members"][0]
    ballot_services.participation_record_offline(contest=contest, voter=org, channel="assembly", actor=chair)
    admitted = Application(
        election=election,
        group=group,
        commission=counted["commission"],
        nomination="self",
        full_name="Алиева Айгуль",
        email="alieva@example.org",
        phone="+77011111111",
        birth_date=dt.date(1985, 6, 15),
        organisation="Сеть ЛЖВ",
        programme="Программа",
        consent_at=now,
        consent_text="согласие",
        status="admitted",
        admitted_at=now,
        document_sha256=hashlib.sha256(PDF).hexdigest(),
    )
    admitted.document = ContentFile(PDF, name="form.pdf")
    admitted.save()
    refused = Application.objects.create(
        election=election,
        group=group,
        commission=counted["commission"],
        nomination="self",
        full_name="Отказанный Кандидат",
        email="refused@example.org",
        phone="+77012222222",
        birth_date=dt.date(1990, 1, 2),
        occupation="врач",
        consent_at=now,
        consent_text="согласие",
        status="refused",
    )
    observer = ObserverApplication(
        election=election,
        commission=counted["commission"],
        group=group,
        kind="independent",
        name="Наблюдатель Пётр",
        contact_email="observer@example.org",
        phone="+77013333333",
        status="accredited",
    )
    observer.document = ContentFile(PDF, name="letter.pdf")
    observer.save()
    protocol = protocol_create(contest=contest, level="group", commission=counted["commission"], actor=chair)
    document = ProtocolDocument(
        protocol=protocol, copy=1, language="ru", sha256=hashlib.sha256(PDF).hexdigest()
    )
    document.file = ContentFile(PDF, name="protocol.pdf")
    document.size = len(PDF)
    document.save()
    secretariat = user_with_role(Role.SECRETARIAT, email="secretariat@example.org")
    return {
        **counted,
        "org": org,
        "admitted": admitted,
        "refused": refused,
        "observer": observer,
        "protocol": protocol,
        "secretariat": secretariat,
    }


def _zip(archive):
    with archive.file.open("rb") as fh:
        return zipfile.ZipFile(io.BytesIO(fh.read()))


def _to_archived_stage(election):
    """certify/publish belong to the protocols workflow; here only the archive step is the subject."""
    Election.objects.filter(pk=election.pk).update(state=Election.State.PUBLISHED)
    return election_transition(
        election=Election.objects.get(pk=election.pk), transition="archive", actor=None
    )


def test_manifest_matches_every_file_and_the_zip_hash_is_stored(archived):
    archive = archive_build(
        election=archived["election"], actor=archived["secretariat"], group=archived["group"]
    )
    with archive.file.open("rb") as fh:
        raw = fh.read()
    assert hashlib.sha256(raw).hexdigest() == archive.sha256 and len(raw) == archive.size
    zf = zipfile.ZipFile(io.BytesIO(raw))
    manifest = json.loads(zf.read("manifest.json"))
    assert manifest == archive.manifest
    listed = {f["path"]: f for f in manifest["files"]}
    members = set(zf.namelist()) - {"manifest.json"}
    assert set(listed) == members  # nothing missing, nothing unlisted
    for path, entry in listed.items():
        data = zf.read(path)
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], path
        assert len(data) == entry["size"], path
    assert {
        "voters_who_voted.csv",
        "ballots/anonymised_ballots.jsonl",
        "ballots/contests.json",
        "candidates/applications.csv",
        "observers/accreditations.csv",
        "audit/audit_extract.jsonl",
        "protocols/protocols.jsonl",
        "README.txt",
    } <= members
    pdfs = [p for p in members if p.startswith("protocols/") and p.endswith(".pdf")]
    assert len(pdfs) == 1 and zf.read(pdfs[0]) == PDF
    assert zf.read(f"candidates/{archived['admitted'].pk}/application-form.pdf") == PDF
    assert manifest["group"]["slug"] == archived["group"].slug
    assert manifest["audit_head"]["seq"] > 0
    entry = AuditEntry.objects.get(action="protocols.archive.built")
    assert entry.data["sha256"] == archive.sha256


def test_voters_who_voted_lists_persons_and_organisations_and_no_ballot_content(archived):
    archive = archive_build(election=archived["election"], actor=None, group=archived["group"])
    zf = _zip(archive)
    rows = list(csv.DictReader(io.StringIO(zf.read("voters_who_voted.csv").decode("utf-8"))))
    assert len(rows) == Participation.objects.filter(election=archived["election"]).count() == 3
    names = {r["name"] for r in rows}
    assert "ОФ «Рука помощи»" in names and "Избиратель 0" in names and "Избиратель 2" not in names
    kinds = {r["name"]: r["kind"] for r in rows}
    assert kinds["ОФ «Рука помощи»"] != kinds["Избиратель 0"]  # organisation vs natural person
    assert {r["channel"] for r in rows} == {"online", "assembly"}
    assert rows == sorted(rows, key=lambda r: r["name"])  # by name, not by time
    text = zf.read("voters_who_voted.csv").decode("utf-8")
    for ballot in Ballot.objects.filter(contest=archived["contest"]):
        assert ballot.receipt not in text
    for label in ("Алиева Айгуль", "Борисов Бекзат", "Против всех"):
        assert label not in text
    assert "voter0@example.org" not in text and "org@example.org" not in text


def test_ballots_file_holds_no_voter_and_matches_the_board_and_fingerprint(archived):
    archive = archive_build(election=archived["election"], actor=None, group=archived["group"])
    zf = _zip(archive)
    text = zf.read("ballots/anonymised_ballots.jsonl").decode("utf-8")
    lines = [json.loads(line) for line in text.splitlines()]
    contest = archived["contest"]
    assert len(lines) == Ballot.objects.filter(contest=contest).count() == 2
    assert {tuple(sorted(line)) for line in lines} == {("choices", "codes", "contest", "receipt", "status")}
    board = board_rows(contest)
    assert [(line["receipt"], line["choices"]) for line in lines] == [
        (r["receipt"], r["choices"]) for r in board
    ]
    for reg in archived["registrations"] + [archived["org"]]:
        assert reg.name not in text and reg.email not in text and f"registration:{reg.pk}" not in text
    # the ballot-set fingerprint can be recomputed from the archive alone
    canon = sorted(
        json.dumps(
            [line["receipt"] or "-", line["status"], line["codes"]], ensure_ascii=False, separators=(",", ":")
        )
        for line in lines
    )
    assert hashlib.sha256("\n".join(canon).encode()).hexdigest() == ballot_set_fingerprint(contest)
    contests = json.loads(zf.read("ballots/contests.json"))
    assert contests[0]["ballot_set_fingerprint"] == ballot_set_fingerprint(contest)


def test_audit_extract_hashes_verify(archived):
    archive = archive_build(election=archived["election"], actor=None)
    zf = _zip(archive)
    lines = [json.loads(x) for x in zf.read("audit/audit_extract.jsonl").decode("utf-8").splitlines()]
    assert len(lines) == AuditEntry.objects.filter(election=archived["election"]).count() - 1  # not its own
    for line in lines:
        prev_hash, digest = line.pop("prev_hash"), line.pop("hash")
        canonical = json.dumps(line, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert hashlib.sha256((prev_hash + canonical).encode("utf-8")).hexdigest() == digest
    obs = list(csv.DictReader(io.StringIO(zf.read("observers/accreditations.csv").decode("utf-8"))))
    assert [o["name"] for o in obs] == ["Наблюдатель Пётр"]
    assert "observer@example.org" not in zf.read("observers/accreditations.csv").decode("utf-8")


def test_archive_refused_before_voting_closes_and_for_non_secretariat(vote):
    secretariat = user_with_role(Role.SECRETARIAT)
    with pytest.raises(ValidationError):
        archive_build(election=vote["election"], actor=secretariat)
    commission = user_with_role(Role.COMMISSION_MEMBER, commission=vote["commission"])
    with pytest.raises(PermissionDenied):
        archive_build(election=vote["election"], actor=commission)
    assert ElectionArchive.objects.count() == 0


def test_archive_step_needs_an_archive(archived):
    election = archived["election"]
    Election.objects.filter(pk=election.pk).update(state=Election.State.PUBLISHED)
    election.refresh_from_db()
    codes = [b.code for b in lifecycle.blockers(election, lifecycle.BY_NAME["archive"])]
    assert codes == ["archive_missing"]
    with pytest.raises(TransitionRefused):
        election_transition(election=election, transition="archive", actor=None)
    archive_build(election=election, actor=None, group=archived["group"])  # the only group
    assert lifecycle.blockers(election, lifecycle.BY_NAME["archive"]) == []
    assert election_transition(election=election, transition="archive", actor=None).state == "archived"


def test_purge_removes_personal_data_and_keeps_counts_protocols_board_and_audit_chain(
    archived, capsys, django_capture_on_commit_callbacks
):
    from candidates.models import Application
    from groups.models import ObserverApplication
    from voters.models import VoterRegistration, VotingCredential

    election, contest = archived["election"], archived["contest"]
    archive_build(election=election, actor=archived["secretariat"], group=archived["group"])
    with pytest.raises(ValidationError):  # not yet at the stage "archived"
        personal_data_purge(election=election, actor=archived["secretariat"])
    election = _to_archived_stage(election)
    before = {
        "participations": Participation.objects.filter(election=election).count(),
        "ballots": Ballot.objects.filter(contest=contest).count(),
        "board": board_rows(contest),
        "fingerprint": ballot_set_fingerprint(contest),
        "protocols": list(Protocol.objects.filter(election=election).values("pk", "figures", "votes")),
        "documents": ProtocolDocument.objects.filter(protocol__election=election).count(),
        "registrations": VoterRegistration.objects.filter(election=election).count(),
        "audit": AuditEntry.objects.count(),
    }
    from elections.models import OutboxMail
    from elections.outbox import mail_enqueue

    # a mail recorded for the election and still waiting (e.g. a voting link): its address goes
    mail_enqueue(to="voter@example.org", subject="s", body="link", kind="tests.mail", election=election)
    form_path = archived["admitted"].document.path
    with django_capture_on_commit_callbacks(execute=True):  # files are deleted once the purge commits
        call_command("purge_personal_data", "--election", election.slug)
    assert "purged" in capsys.readouterr().out

    org = VoterRegistration.objects.get(pk=archived["org"].pk)
    assert org.email.endswith("@invalid") and org.phone == "" and org.representative_name == ""
    assert org.name == "ОФ «Рука помощи»" and org.registration_number == "123456789012"
    assert not VoterRegistration.objects.filter(election=election, email__contains="example.org").exists()
    assert set(VotingCredential.objects.filter(election=election).values_list("token_hash", "email")) == {
        ("", "")
    }
    assert not OutboxMail.objects.filter(election=election).exists()  # addresses of mails queued
    admitted = Application.objects.get(pk=archived["admitted"].pk)
    assert admitted.full_name == "Алиева Айгуль" and admitted.programme == "Программа"
    assert admitted.phone == "" and admitted.email.endswith("@invalid") and not admitted.document
    assert admitted.birth_date == dt.date(1985, 1, 1)  # the year stays public
    assert admitted.document_sha256 == hashlib.sha256(PDF).hexdigest()
    assert not os.path.exists(form_path)
    refused = Application.objects.get(pk=archived["refused"].pk)
    assert (
        refused.full_name == "Отказанный Кандидат" and refused.birth_date is None and refused.occupation == ""
    )
    observer = ObserverApplication.objects.get(pk=archived["observer"].pk)
    assert (observer.contact_email, observer.phone, observer.document.name) == ("", "", "")
    assert observer.name == "Наблюдатель Пётр"

    assert Participation.objects.filter(election=election).count() == before["participations"]
    assert Ballot.objects.filter(contest=contest).count() == before["ballots"]
    assert board_rows(contest) == before["board"]
    assert ballot_set_fingerprint(contest) == before["fingerprint"]
    assert (
        list(Protocol.objects.filter(election=election).values("pk", "figures", "votes"))
        == before["protocols"]
    )
    assert ProtocolDocument.objects.filter(protocol__election=election).count() == before["documents"]
    assert VoterRegistration.objects.filter(election=election).count() == before["registrations"]
    assert AuditEntry.objects.count() == before["audit"] + 1
    assert (
        AuditEntry.objects.filter(action="protocols.personal_data.purged").get().data["counts"]["observers"]
        == 1
    )
    assert verify_chain().ok
    call_command("verify_audit")  # exits 0 (SystemExit(1) would raise)
    assert ElectionArchive.objects.filter(election=election, purged_at__isnull=True).count() == 0
    # a second purge and a new archive are refused
    with pytest.raises(ValidationError):
        personal_data_purge(election=election, actor=None)
    with pytest.raises(ValidationError):
        archive_build(election=election, actor=None)


def test_purge_waits_for_the_retention_period(archived, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 30
    election = archived["election"]
    archive_build(election=election, actor=None)
    election = _to_archived_stage(election)
    assert sel.elections_due_for_purge() == []
    with pytest.raises(SystemExit) as exc:
        call_command("purge_personal_data", "--election", election.slug)
    assert exc.value.code == 1
    later = timezone.now() + dt.timedelta(days=31)
    assert sel.elections_due_for_purge(later) == [election]
    from protocols.tasks.archive import purge_due_personal_data

    assert purge_due_personal_data.delay().get() == 0  # the clock is not there yet
    personal_data_purge(election=election, actor=None, now=later)
    assert sel.is_purged(election)


def test_register_entries_lose_personal_numbers_and_birth_dates(kg_counting):
    from voters.models import RegisterEntry

    election = kg_counting["election"]
    precinct = kg_counting["precincts"][0]
    entries = [
        RegisterEntry.objects.create(
            election=election,
            precinct=precinct,
            personal_number=f"2010119900{n:04d}",
            last_name="Фамилия",
            first_name=f"Имя{n}",
            birth_date=dt.date(1990, 1, 1 + n),
            address="ул. Ленина, 1",
            email=f"e{n}@example.org",
        )
        for n in range(3)
    ]
    ballot_services.participation_record_offline(
        contest=kg_counting["contest"], voter=entries[0], channel="paper", actor=None
    )
    archive = archive_build(election=election, actor=None)
    rows = list(csv.DictReader(io.StringIO(_zip(archive).read("voters_who_voted.csv").decode("utf-8"))))
    assert [r["voter"] for r in rows] == [f"entry:{entries[0].pk}"]
    assert "20101199000000" not in _zip(archive).read("voters_who_voted.csv").decode("utf-8")
    _to_archived_stage(election)
    done = personal_data_purge(election=election, actor=None)
    assert done["register_entries"] == 3
    purged = list(RegisterEntry.objects.filter(election=election).order_by("pk"))
    assert len({e.personal_number for e in purged}) == 3
    assert all(not e.personal_number.isdigit() for e in purged)
    assert {e.birth_date for e in purged} == {PURGED_BIRTH_DATE}
    assert {(e.address, e.email) for e in purged} == {("", "")}
    assert [e.full_name for e in purged] == [e.full_name for e in entries]
    assert verify_chain().ok


# --- pages ----------------------------------------------------------------------------------


def test_archive_pages_for_the_secretariat(archived, client, django_capture_on_commit_callbacks):
    election = archived["election"]
    client.force_login(archived["secretariat"])
    url = f"/en/elections/{election.slug}/results/archive/"
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url + "build/", {"group": archived["group"].pk})
    assert response.status_code == 302
    archive = ElectionArchive.objects.get()
    assert archive.group == archived["group"] and archive.created_by == archived["secretariat"]
    page = client.get(url)
    assert archive.sha256 in page.content.decode()
    download = client.get(f"{url}{archive.pk}/download/")
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == archive.sha256


@pytest.mark.parametrize("role", ["commission", "org_committee", "observer", "anonymous"])
def test_archive_pages_refuse_everybody_else(archived, client, role):
    election = archived["election"]
    archive = archive_build(election=election, actor=None)
    if role == "commission":
        client.force_login(archived["members"][0])
    elif role == "org_committee":
        client.force_login(user_with_role(Role.ORG_COMMITTEE, group=archived["group"]))
    elif role == "observer":
        client.force_login(user_with_role(Role.OBSERVER, election=election))
    base = f"/en/elections/{election.slug}/results/archive/"
    for response in (
        client.get(base),
        client.get(f"{base}{archive.pk}/download/"),
        client.post(base + "build/", {"group": ""}),
    ):
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert "/login" in response["Location"]
    assert ElectionArchive.objects.count() == 1
