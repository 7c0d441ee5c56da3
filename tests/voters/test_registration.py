"""Voter registration in groups (seed 000 items 13–16): the window on the server clock, e-mail
confirmation, the commission's decision, notifications, the closing lifecycle step, the list
with its counts and exports."""

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from freezegun import freeze_time

from accounts.models import Role, User
from elections import lifecycle
from elections.models import AuditEntry, Election
from elections.services import TransitionRefused, election_transition
from groups.models import RoleAssignment
from groups.services import ConflictOfInterestNotDeclared
from tests.groups.factories import MemberFactory
from tests.outbox import send_outbox
from voters import selectors, services
from voters.models import VoterRegistration

from .factories import registration

R = VoterRegistration.Status
INSIDE = "2030-08-05 06:00:00+00:00"  # 11:00 in Almaty (UTC+5), inside 1–10 Aug
PERSON = {
    "name": "Ким Сергей Викторович",
    "email": "Sergey.Kim@Example.org",
    "phone": "+7 701 111 22 33",
    "region": "almaty-city",
    "organisation": "ОЮЛ «Казахстанский союз ЛЖВ»",
    "consent": "on",
}
ORGANISATION = {
    "name": "ОФ «Доверие плюс»",
    "registration_number": "990140003456",
    "region": "karaganda",
    "representative_name": "Нурланова Алия",
    "email": "info@trust.example.org",
    "consent": "on",
}


def _form_url(ccm, kind):
    return reverse("voters:register_form", args=[ccm["election"].slug, ccm["group_a"].slug, kind])


def _confirm_link(mail) -> str:
    return re.search(r"https://portal\.example\.org(\S+/voters/confirm/\S+/)", mail.body).group(1)


@pytest.mark.django_db
def test_person_and_organisation_register_in_the_window_and_are_decided(
    client, ccm, mailoutbox, django_capture_on_commit_callbacks
):
    send_outbox()  # the fixtures' mails leave first
    mailoutbox.clear()
    election = ccm["election"]
    with freeze_time(INSIDE), django_capture_on_commit_callbacks(execute=True):
        assert client.post(_form_url(ccm, "person"), PERSON).status_code == 302
        assert client.post(_form_url(ccm, "organisation"), ORGANISATION).status_code == 302
    person, organisation = VoterRegistration.objects.order_by("pk")
    assert person.status == organisation.status == R.UNCONFIRMED
    assert person.email == "sergey.kim@example.org"  # normalised
    assert organisation.registration_number == "990140003456" and organisation.representative_name
    assert len(mailoutbox) == 2 and mailoutbox[0].to == ["sergey.kim@example.org"]
    assert person.confirm_token_hash and person.confirm_token_hash not in mailoutbox[0].body

    # unconfirmed registrations are not decided
    with pytest.raises(ValidationError):
        services.registration_decide(registration=person, actor=None, decision="accept")

    for mail in mailoutbox:
        link = _confirm_link(mail)
        assert client.get(link).status_code == 200  # a page with a button: GET confirms nothing
        assert client.post(link).status_code == 200
        assert client.post(link).status_code == 400  # single use
    person.refresh_from_db()
    organisation.refresh_from_db()
    assert person.status == organisation.status == R.CONFIRMED

    member = ccm["users"]["commission_a"]
    client.force_login(member)
    detail = reverse("voters:registration_detail", args=[election.slug, person.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(detail, {"decision": "accept"}).status_code == 302
        response = client.post(
            reverse("voters:registration_detail", args=[election.slug, organisation.pk]),
            {"decision": "reject", "reason": ""},
        )
        assert response.status_code == 200  # a rejection needs a reason
        client.post(
            reverse("voters:registration_detail", args=[election.slug, organisation.pk]),
            {"decision": "reject", "reason": "Организация имеет коллективное членство."},
        )
    person.refresh_from_db()
    organisation.refresh_from_db()
    assert person.status == R.ACCEPTED and person.decided_by == member
    assert organisation.status == R.REJECTED and organisation.reason.startswith("Организация")
    # decisions of the group's commission, numbered in the order taken, the refusal with its reason
    assert (person.decision.number, organisation.decision.number) == (1, 2)
    assert person.decision.body == organisation.decision.body == ccm["commission_a"]
    assert organisation.decision.reasons == organisation.reason
    assert 'data-decision-number="1"' in client.get(detail).content.decode()
    # the voter has an account without a password and the voter role in the group
    account = User.objects.get(email="sergey.kim@example.org")
    assert person.user == account and not account.has_usable_password()
    assert RoleAssignment.objects.filter(user=account, role=Role.VOTER, group=ccm["group_a"]).exists()
    decisions = mailoutbox[2:]
    assert [m.to for m in decisions] == [["sergey.kim@example.org"], ["info@trust.example.org"]]
    assert "коллективное членство" in decisions[1].body
    actions = list(
        AuditEntry.objects.filter(action__startswith="voters.registration").values_list("action", flat=True)
    )
    assert actions.count("voters.registration.submitted") == 2
    assert actions.count("voters.registration.confirmed") == 2
    assert "voters.registration.accepted" in actions and "voters.registration.rejected" in actions
    audited = AuditEntry.objects.get(action="voters.registration.accepted")
    assert "sergey" not in str(audited.data).lower()  # no e-mails or names in the audit log
    # the notification task is idempotent
    assert services.registration_notify(registration_id=person.pk) is False


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("now", "message"),
    [
        ("2030-08-01 03:59:59+00:00", "opens"),  # 08:59:59 in Almaty: one second early
        ("2030-08-10 13:00:00+00:00", "closed"),  # 18:00:00: closed at that instant
        ("2030-09-01 00:00:00+00:00", "closed"),
    ],
)
def test_registration_outside_the_window_is_refused_and_nothing_is_stored(client, ccm, now, message):
    with freeze_time(now):
        response = client.post(_form_url(ccm, "person"), PERSON)
        page = client.get(reverse("voters:register", args=[ccm["election"].slug])).content.decode()
    assert response.status_code == 200
    assert 'id="registration-closed"' in response.content.decode()
    assert 'id="registration-closed"' in page
    assert not VoterRegistration.objects.exists()
    with freeze_time(now), pytest.raises(ValidationError):
        services.check_registration_open(ccm["election"])


@pytest.mark.django_db
def test_window_edges_on_the_server_clock(ccm):
    election = ccm["election"]
    with freeze_time("2030-08-01 04:00:00+00:00"):  # 09:00 Almaty: opens exactly now
        services.check_registration_open(election)
    with freeze_time("2030-08-10 12:59:59+00:00"):  # 17:59:59: still open
        services.check_registration_open(election)


@pytest.mark.django_db
def test_window_comes_from_the_calendar_activity_when_no_exact_times(ccm):
    from elections.models import PlanTemplate
    from elections.services.calendar import calendar_start, load_builtin_templates

    election = ccm["election"]
    services.voter_settings_update(
        election=election, actor=None, registration_opens_at=None, registration_closes_at=None
    )
    load_builtin_templates()
    calendar_start(
        election=election,
        template=PlanTemplate.objects.get(slug="ccm-ngo-2024"),
        anchors={"voting_day": dt.date(2030, 8, 17)},
        actor=None,
    )
    window = selectors.registration_window(election)
    assert window.activity.number == 14  # the default activity of ccm-ngo-2024
    assert window.opens_at is None and window.closes_at == window.activity.due_at
    with freeze_time(INSIDE), pytest.raises(ValidationError) as refused:
        services.check_registration_open(election)  # seed 000: the exact start must be announced
    assert "announced" in str(refused.value) or "объявлены" in str(refused.value)
    services.voter_settings_update(
        election=election, actor=None, registration_opens_at=dt.datetime(2030, 8, 1, tzinfo=dt.UTC)
    )
    window = selectors.registration_window(election)
    assert window.closes_at == window.activity.due_at
    with freeze_time(INSIDE):
        services.check_registration_open(election)


@pytest.mark.django_db
def test_open_voting_closes_registration_and_waits_for_every_decision(ccm, voters_guards_only):
    election = ccm["election"]
    pending = registration(ccm["group_a"], email="p@example.org")
    blockers = lifecycle.blockers(election, lifecycle.BY_NAME["open_voting"])
    assert [b.code for b in blockers] == ["voter_registrations_undecided"]
    assert ccm["group_a"].name in blockers[0].message
    with pytest.raises(TransitionRefused):
        election_transition(election=election, transition="open_voting", actor=None)
    services.registration_decide(registration=pending, actor=None, decision="accept")
    election = election_transition(election=election, transition="open_voting", actor=None)
    with freeze_time(INSIDE), pytest.raises(ValidationError) as refused:
        services.registration_submit(
            election=election,
            group=ccm["group_a"],
            actor=None,
            kind="person",
            consent=True,
            name="Поздний",
            email="late@example.org",
            region="abai",
        )
    assert "Голосование" in str(refused.value) or "Voting" in str(refused.value)
    with pytest.raises(ValidationError):  # nor by the system path
        registration(ccm["group_a"], email="late2@example.org")


@pytest.mark.django_db
def test_only_a_declared_member_of_the_groups_commission_decides(ccm):
    undeclared = MemberFactory(commission=ccm["commission_a"], email="fresh@example.org")
    reg = registration(ccm["group_a"], email="x@example.org")
    with pytest.raises(ConflictOfInterestNotDeclared):
        services.registration_decide(registration=reg, actor=undeclared.user, decision="accept")
    member_b = MemberFactory(commission=ccm["commission_b"], email="mb@example.org", declared=True)
    with pytest.raises(PermissionDenied):
        services.registration_decide(registration=reg, actor=member_b.user, decision="accept")
    with pytest.raises(PermissionDenied):  # the organising-committee member sees the list, does not decide
        services.registration_decide(
            registration=reg, actor=ccm["users"]["org_committee_a"], decision="accept"
        )
    secretariat = ccm["users"]["secretariat"]
    services.registration_decide(registration=reg, actor=secretariat, decision="accept")
    with pytest.raises(ValidationError):
        services.registration_decide(registration=reg, actor=secretariat, decision="reject", reason="x")


@pytest.mark.django_db
def test_a_second_registration_reveals_nothing_and_tells_the_owner(
    client, ccm, mailoutbox, django_capture_on_commit_callbacks
):
    send_outbox()  # the fixtures' mails leave first
    mailoutbox.clear()
    registration(ccm["group_a"], email="sergey.kim@example.org", decided="accept")
    send_outbox()
    mailoutbox.clear()
    with freeze_time(INSIDE), django_capture_on_commit_callbacks(execute=True):
        response = client.post(_form_url(ccm, "person"), PERSON, follow=True)
    assert VoterRegistration.objects.count() == 1
    assert "Спасибо" in response.content.decode() or "Thank you" in response.content.decode()
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["sergey.kim@example.org"]


@pytest.mark.django_db
def test_observers_change_nothing(client, ccm):
    with freeze_time(INSIDE):  # logged in at the frozen time (the session would expire otherwise)
        client.force_login(ccm["users"]["observer"])
        assert client.post(_form_url(ccm, "person"), PERSON).status_code == 403
    with pytest.raises(PermissionDenied), freeze_time(INSIDE):
        services.registration_submit(
            election=ccm["election"],
            group=ccm["group_a"],
            actor=ccm["users"]["observer"],
            kind="person",
            consent=True,
            name="Н",
            email="n@example.org",
            region="abai",
        )


@pytest.mark.django_db
def test_counts_by_region_and_organisation_and_exports(client, ccm):
    group = ccm["group_a"]
    registration(
        group, email="1@example.org", region="almaty-city", organisation="ОФ «Амелия»", decided="accept"
    )
    registration(
        group, email="2@example.org", region="almaty-city", organisation="оф «амелия» ", decided="accept"
    )
    registration(group, email="3@example.org", region="abai", organisation="", decided="accept")
    registration(group, kind="organisation", region="abai", decided="accept")
    registration(group, email="5@example.org", region="abai", decided="reject", reason="Не член сообщества")
    registration(group, email="6@example.org", region="abai")  # awaiting a decision
    counts = selectors.registration_counts(ccm["election"], group)
    assert counts["total"] == 4 and counts["persons"] == 3 and counts["organisations"] == 1
    assert {r["code"]: r["count"] for r in counts["by_region"]} == {"almaty-city": 2, "abai": 2}
    assert {o["name"]: o["count"] for o in counts["by_organisation"]} == {
        "ОФ «Амелия»": 2,
        "ОФ «Доверие плюс»": 1,
    }
    assert counts["organisations_represented"] == 2 and counts["without_organisation"] == 1

    client.force_login(ccm["users"]["org_committee_a"])
    slug = ccm["election"].slug
    page = client.get(reverse("voters:registered_list", args=[slug, group.slug]))
    assert page.status_code == 200 and 'data-count="total">4<' in page.content.decode()
    csv_response = client.get(reverse("voters:registered_export", args=[slug, group.slug, "csv"]))
    text = csv_response.content.decode("utf-8-sig")
    assert csv_response["Content-Disposition"].startswith("attachment")
    assert "1@example.org" in text and "Не член сообщества" not in text.split("\n")[0]
    xlsx = client.get(reverse("voters:registered_export", args=[slug, group.slug, "xlsx"]))
    from io import BytesIO

    from openpyxl import load_workbook

    workbook = load_workbook(BytesIO(xlsx.content), read_only=True)
    assert len(workbook.sheetnames) == 2
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 2 + 6  # title, header, every registration with a confirmed e-mail


@pytest.mark.django_db
def test_registration_form_is_rate_limited(client, ccm, settings):
    settings.VOTER_FORM_RATE = 2
    with freeze_time(INSIDE):
        statuses = [client.post(_form_url(ccm, "person"), {}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


@pytest.mark.django_db
def test_the_page_offers_no_decision_once_registration_has_closed(client, ccm):
    pending = registration(ccm["group_a"], email="closed@example.org")
    client.force_login(ccm["users"]["commission_a"])
    url = reverse("voters:registration_detail", args=[ccm["election"].slug, pending.pk])
    assert 'id="decision-form"' in client.get(url).content.decode()
    Election.objects.filter(pk=ccm["election"].pk).update(state=Election.State.COUNTING)
    page = client.get(url).content.decode()
    assert 'id="decision-form"' not in page and 'id="decisions-closed"' in page
