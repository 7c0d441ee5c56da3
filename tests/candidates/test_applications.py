"""Submitting applications: the calendar window by the server clock, the documents checked by
content, who may submit for whom, the fields set per election, party lists."""

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from freezegun import freeze_time

from candidates import services
from candidates.models import Application, PartyList
from elections.models import AuditEntry, ElectionCalendar
from tests.factories import ElectionFactory
from tests.outbox import send_outbox

from .factories import (
    INSIDE,
    WINDOW_CLOSES,
    WINDOW_OPENS,
    ApplicationFactory,
    fake_pdf,
    pdf_upload,
    png_upload,
)


def _stored_files(settings) -> list[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "moment, accepted",
    [
        (WINDOW_OPENS - dt.timedelta(seconds=1), False),
        (WINDOW_OPENS, True),
        (WINDOW_CLOSES - dt.timedelta(seconds=1), True),
        (WINDOW_CLOSES, False),
    ],
)
def test_window_is_enforced_by_the_server_clock(cand, clock, moment, accepted, settings, english):
    clock.move_to(moment)
    if accepted:
        application = ApplicationFactory(election=cand["election"], group=cand["group_a"])
        assert application.received_at == moment
        return
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        ApplicationFactory(election=cand["election"], group=cand["group_a"])
    message = " ".join(refused.value.messages)
    assert "№ 16" in message
    assert not Application.objects.exists()
    assert AuditEntry.objects.count() == before
    assert _stored_files(settings) == []


@pytest.mark.django_db
def test_outside_the_window_the_form_says_why_and_stores_nothing(client, cand, clock, settings):
    clock.move_to(WINDOW_CLOSES + dt.timedelta(hours=1))
    client.force_login(cand["users"]["voter_a"])
    response = client.post(
        reverse("candidates:apply", args=[cand["election"].slug]),
        {"nomination": "self", "contest": "g-a", "full_name": "Опоздавший Кандидат", "organisation": "ОФ",
         "region": "Алматы", "programme": "Программа", "document": pdf_upload(), "consent": "on"},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert 'data-window="closed"' in response.content.decode()
    assert not Application.objects.exists()
    assert _stored_files(settings) == []


@pytest.mark.django_db
def test_no_calendar_or_no_window_activity_closes_applications_with_a_reason(cand, english):
    election = ElectionFactory()
    from elections.services import election_transition

    election = election_transition(election=election, transition="announce", actor=None)
    from tests.factories import CommissionFactory, GroupFactory

    group = GroupFactory(election=election)
    CommissionFactory(election=election, group=group)
    with pytest.raises(ValidationError, match="no calendar plan"):
        ApplicationFactory(election=election, group=group)
    assert not ElectionCalendar.objects.filter(election=election).exists()
    # a calendar whose window activity the secretariat cleared
    services.candidacy_settings_update(election=cand["election"], actor=None, window_activity=None)
    with pytest.raises(ValidationError, match="has not chosen"):
        ApplicationFactory(election=cand["election"], group=cand["group_a"])


@pytest.mark.django_db
def test_wrong_file_type_is_refused_and_nothing_is_stored(client, cand, settings):
    client.force_login(cand["users"]["voter_a"])
    response = client.post(
        reverse("candidates:apply", args=[cand["election"].slug]),
        {"nomination": "self", "contest": "g-a", "full_name": "Кандидат", "organisation": "ОФ", "region": "Алматы",
         "programme": "Программа", "document": fake_pdf("application.pdf"), "photo": fake_pdf("photo.png"),
         "consent": "on"},
    )  # fmt: skip
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "document" in errors and "photo" in errors
    assert not Application.objects.exists()
    assert _stored_files(settings) == []
    # the service refuses it too, whatever the entry point
    with pytest.raises(ValidationError):
        ApplicationFactory(election=cand["election"], group=cand["group_a"], document=fake_pdf())
    assert not Application.objects.exists()
    assert _stored_files(settings) == []


@pytest.mark.django_db
def test_size_limit_is_set_per_election(cand):
    services.candidacy_settings_update(election=cand["election"], actor=None, max_document_mb=1)
    big = pdf_upload(content=b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10))
    with pytest.raises(ValidationError) as refused:
        ApplicationFactory(election=cand["election"], group=cand["group_a"], document=big)
    assert "document" in refused.value.error_dict
    assert not Application.objects.exists()


@pytest.mark.django_db
def test_documents_are_private_files_under_random_names(cand, settings):
    application = ApplicationFactory(
        election=cand["election"],
        group=cand["group_a"],
        document=pdf_upload("Иванов паспорт.pdf"),
        photo=png_upload(),
    )
    assert application.document.name.endswith(".pdf") and "Иванов" not in application.document.name
    assert application.photo.name.endswith(".png")
    assert str(settings.PRIVATE_MEDIA_ROOT) in application.document.path
    assert len(application.document_sha256) == 64


@pytest.mark.django_db
def test_self_nomination_takes_the_person_from_the_account(cand):
    voter = cand["users"]["voter_a"]
    application = services.application_submit(
        election=cand["election"],
        actor=voter,
        nomination="self",
        group=cand["group_a"],
        full_name="",
        email="someone-else@example.org",
        organisation="ОФ",
        region="Алматы",
        programme="Программа",
        document=pdf_upload(),
        consent=True,
    )
    assert application.user == voter and application.email == voter.email
    assert application.full_name == voter.full_name
    assert application.submitted_by == voter
    entry = AuditEntry.objects.filter(action="candidates.application.submitted").last()
    assert entry.data["application_id"] == application.pk and entry.actor == voter


@pytest.mark.django_db
def test_a_member_of_group_a_cannot_submit_to_group_b(cand):
    users = cand["users"]
    # the organising-committee member nominates for group A, never for group B
    ApplicationFactory(election=cand["election"], group=cand["group_a"], actor=users["org_committee_a"])
    with pytest.raises(PermissionDenied):
        ApplicationFactory(election=cand["election"], group=cand["group_b"], actor=users["org_committee_a"])
    # a voter of group A cannot stand in group B either
    with pytest.raises(PermissionDenied):
        ApplicationFactory(
            election=cand["election"], group=cand["group_b"], actor=users["voter_a"], nomination="self"
        )
    assert Application.objects.filter(group=cand["group_b"]).count() == 0


@pytest.mark.django_db
def test_observers_and_commission_members_cannot_stand(cand, english):
    with pytest.raises(PermissionDenied):
        ApplicationFactory(
            election=cand["election"],
            group=cand["group_a"],
            actor=cand["users"]["observer"],
            nomination="self",
        )
    with pytest.raises(ValidationError, match="member of the commission"):
        ApplicationFactory(election=cand["election"], group=cand["group_a"], email="third-a@example.org")


@pytest.mark.django_db
def test_one_standing_application_per_person_and_consent_required(cand, english):
    ApplicationFactory(election=cand["election"], group=cand["group_a"], email="twice@example.org")
    with pytest.raises(ValidationError, match="already has an application"):
        ApplicationFactory(election=cand["election"], group=cand["group_b"], email="twice@example.org")
    with pytest.raises(ValidationError) as refused:
        ApplicationFactory(election=cand["election"], group=cand["group_a"], consent=False)
    assert "consent" in refused.value.error_dict


@pytest.mark.django_db
def test_fields_are_set_per_election(client, cand):
    election = cand["election"]
    services.candidacy_settings_update(
        election=election,
        actor=None,
        fields={
            "organisation": "hidden",
            "birth_date": "required",
            "photo": "required",
            "document": "optional",
        },
    )
    with pytest.raises(ValidationError) as refused:
        ApplicationFactory(election=election, group=cand["group_a"], document=None)
    assert set(refused.value.error_dict) == {"birth_date", "photo"}
    application = ApplicationFactory(
        election=election,
        group=cand["group_a"],
        birth_date=dt.date(1985, 1, 2),
        photo=png_upload(),
        document=None,
    )
    assert application.organisation == ""  # not asked, not stored
    client.force_login(cand["users"]["voter_a"])
    form = client.get(reverse("candidates:apply", args=[election.slug])).context["form"]
    assert "organisation" not in form.fields
    assert form.fields["birth_date"].required and form.fields["photo"].required
    assert not form.fields["document"].required


@pytest.mark.django_db
def test_decision_deadline_comes_from_the_calendar(cand):
    application = ApplicationFactory(election=cand["election"], group=cand["group_a"])
    assert application.received_at == INSIDE
    assert application.decision_due_at == WINDOW_CLOSES  # ccm-ngo-2024 item 16


@pytest.mark.django_db
def test_party_lists_are_ordered_and_kept_by_their_representative(cand, english):
    election, users = cand["election"], cand["users"]
    rep = users["party_rep"]
    party_list = services.party_list_create(
        election=election, unit=cand["district"], party_name="Партия «Рассвет»", actor=rep
    )
    assert party_list.representative == rep and party_list.commission == cand["tec"]
    for position in (1, 2):
        ApplicationFactory(
            election=election,
            nomination="party_list",
            party_list=party_list,
            list_position=position,
            actor=rep,
        )
    with pytest.raises(ValidationError, match="position on the list is taken"):
        ApplicationFactory(
            election=election, nomination="party_list", party_list=party_list, list_position=2, actor=rep
        )
    other = services.party_list_create(
        election=election,
        unit=cand["district"],
        party_name="Партия «Закат»",
        actor=None,
        representative=users["secretariat"],
    )
    with pytest.raises(PermissionDenied):
        ApplicationFactory(
            election=election, nomination="party_list", party_list=other, list_position=1, actor=rep
        )
    with pytest.raises(PermissionDenied):
        services.party_list_create(
            election=election, unit=cand["district"], party_name="Ещё", actor=users["voter_a"]
        )
    positions = list(party_list.candidates.order_by("list_position").values_list("list_position", "unit"))
    assert positions == [(1, cand["district"].pk), (2, cand["district"].pk)]
    assert PartyList.objects.filter(election=election).count() == 2


@pytest.mark.django_db
def test_receipt_is_mailed_once_in_the_applicants_language(
    cand, mailoutbox, django_capture_on_commit_callbacks
):
    send_outbox()  # the fixtures' mails leave first
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        application = ApplicationFactory(election=cand["election"], group=cand["group_a"], language="en")
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [application.email]
    assert mail.subject.startswith("Your application is received")
    assert "12 August 2030" in mail.body or "Aug. 12, 2030" in mail.body
    assert not services.application_notify(application_id=application.pk)  # a retried task sends nothing
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_signup_creates_an_account_without_password_and_mails_the_link(
    client, cand, mailoutbox, django_capture_on_commit_callbacks
):
    send_outbox()  # the fixtures' mails leave first
    mailoutbox.clear()
    from accounts.models import User

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("candidates:signup", args=[cand["election"].slug]),
            {"full_name": "Новый Кандидат", "email": "new@example.org", "language": "ru"},
        )
    assert response.status_code == 302
    user = User.objects.get(email="new@example.org")
    assert not user.has_usable_password() and not user.role_assignments.exists()
    assert len(mailoutbox) == 1 and "/accounts/reset/" in mailoutbox[0].body
    # an existing address gets a log-in hint, not a second account
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("candidates:signup", args=[cand["election"].slug]),
            {"full_name": "Кто-то", "email": cand["users"]["voter_a"].email, "language": "ru"},
        )
    assert User.objects.filter(email=cand["users"]["voter_a"].email).count() == 1
    assert "/accounts/password-reset/" in mailoutbox[1].body


@pytest.mark.django_db
def test_as_of_is_for_system_imports_only(cand):
    with pytest.raises(ValueError):
        ApplicationFactory(
            election=cand["election"], group=cand["group_a"], actor=cand["users"]["secretariat"], as_of=INSIDE
        )
    with freeze_time("2031-01-01"):
        application = ApplicationFactory(election=cand["election"], group=cand["group_a"], as_of=INSIDE)
    assert application.received_at == INSIDE
