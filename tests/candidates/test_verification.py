"""Verification by the commission: the checklist reviews, the declaration of no conflict of
interest, numbered decisions by vote, the candidate's e-mail, the deadline reminders."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from accounts.models import Role
from candidates import services
from candidates.models import Application, DecisionReminder, Review
from elections.models import AuditEntry, Decision, Notification
from groups.models import RoleAssignment
from groups.services import ConflictOfInterestNotDeclared
from tests.outbox import send_outbox

from .factories import ALMATY, INSIDE, ApplicationFactory, admit, all_vote, refuse


def _checks(cand, met=True):
    return {c.pk: (met, "") for c in cand["criteria"]}


@pytest.mark.django_db
def test_each_member_reviews_against_the_checklist(cand, english):
    application = ApplicationFactory(election=cand["election"], group=cand["group_a"])
    chair, secretary = cand["members_a"]
    review = services.review_record(
        application=application,
        actor=chair.user,
        checks={cand["criteria"][0].pk: (True, ""), cand["criteria"][1].pk: (False, "Нет подтверждения")},
        recommendation="refuse",
        comment="Запросить письмо",
    )
    application.refresh_from_db()
    assert application.status == "under_review"
    assert [(c.criterion_id, c.is_met) for c in review.checks.order_by("criterion__order")] == [
        (cand["criteria"][0].pk, True),
        (cand["criteria"][1].pk, False),
    ]
    # revised, not duplicated
    services.review_record(
        application=application, actor=chair.user, checks=_checks(cand), recommendation="admit"
    )
    assert Review.objects.filter(application=application).count() == 1
    with pytest.raises(ValidationError, match="every criterion"):
        services.review_record(
            application=application, actor=secretary.user, checks={}, recommendation="admit"
        )
    entry = AuditEntry.objects.filter(action="candidates.application.reviewed").last()
    assert entry.data["criteria_met"] == 2 and entry.data["revised"] is True


@pytest.mark.django_db
def test_a_member_without_the_declaration_cannot_act(client, cand):
    application = ApplicationFactory(election=cand["election"], group=cand["group_a"])
    undeclared = cand["undeclared_a"].user
    with pytest.raises(ConflictOfInterestNotDeclared):
        services.review_record(application=application, actor=undeclared, checks=_checks(cand))
    client.force_login(undeclared)
    response = client.post(
        reverse("candidates:decide", args=[cand["election"].slug, application.pk]),
        {"decision": "admit", **{f"vote_{m.pk}": "for" for m in cand["voters_a"]}},
    )
    assert response.status_code == 403
    assert 'id="refusal"' in response.content.decode()
    assert not Decision.objects.exists()
    # nor may a declared member record a vote of the undeclared one
    with pytest.raises(ConflictOfInterestNotDeclared):
        services.application_decide(
            application=application,
            actor=cand["users"]["commission_a"],
            decision="admit",
            votes=all_vote([*cand["voters_a"], cand["undeclared_a"]]),
        )


@pytest.mark.django_db
def test_a_member_of_group_a_cannot_decide_for_group_b(cand):
    application_b = ApplicationFactory(election=cand["election"], group=cand["group_b"])
    with pytest.raises(PermissionDenied):
        services.application_decide(
            application=application_b, actor=cand["users"]["commission_a"], decision="admit", votes={}
        )
    with pytest.raises(PermissionDenied):
        services.review_record(application=application_b, actor=cand["users"]["commission_a"], checks={})
    with pytest.raises(PermissionDenied):
        services.application_decide(
            application=application_b, actor=cand["users"]["org_committee_a"], decision="admit", votes={}
        )
    application_b.refresh_from_db()
    assert application_b.status == "submitted"


@pytest.mark.django_db
def test_decisions_are_numbered_per_commission_with_the_votes(
    cand, mailoutbox, django_capture_on_commit_callbacks
):
    election = cand["election"]
    first = ApplicationFactory(election=election, group=cand["group_a"], email="first@example.org")
    second = ApplicationFactory(election=election, group=cand["group_a"], email="second@example.org")
    in_b = ApplicationFactory(election=election, group=cand["group_b"])
    actor = cand["users"]["commission_a"]
    chair, secretary = cand["voters_a"]
    with django_capture_on_commit_callbacks(execute=True):
        admitted = services.application_decide(
            application=first, actor=actor, decision="admit", votes={chair.pk: "for", secretary.pk: "for"}
        )
        refused = services.application_decide(
            application=second,
            actor=actor,
            decision="refuse",
            votes={chair.pk: "for", secretary.pk: "for", cand["undeclared_a"].pk: "absent"},
            reasons="Не подтверждён опыт работы в сообществе не менее двух лет.",
        )
    b_decision = admit(in_b, [cand["member_b"]])
    assert (admitted.number, refused.number, b_decision.number) == (1, 2, 1)
    assert (admitted.votes_for, admitted.votes_against, admitted.votes_abstained, admitted.members_total) == (
        2,
        0,
        0,
        3,
    )
    assert set(admitted.votes.values_list("user_id", "vote")) == {
        (chair.user_id, "for"),
        (secretary.user_id, "for"),
    }
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "admitted" and first.admitted_at == INSIDE and first.decision == admitted
    assert second.status == "refused" and second.refusal_reason.startswith("Не подтверждён")
    actions = list(
        AuditEntry.objects.filter(
            action__in=["candidates.application.admitted", "candidates.application.refused"]
        )
        .order_by("seq")
        .values_list("action", "data__number")
    )
    assert actions[:2] == [("candidates.application.admitted", 1), ("candidates.application.refused", 2)]
    by_address = {m.to[0]: m for m in mailoutbox}
    assert "№ 1" in by_address["first@example.org"].body
    assert "Не подтверждён опыт" in by_address["second@example.org"].body


@pytest.mark.django_db
def test_quorum_majority_and_a_failed_proposal(cand, english):
    application = ApplicationFactory(election=cand["election"], group=cand["group_a"])
    actor = cand["users"]["commission_a"]
    chair, secretary = cand["voters_a"]
    with pytest.raises(ValidationError, match="No quorum"):
        services.application_decide(
            application=application, actor=actor, decision="admit", votes={chair.pk: "for"}
        )
    failed = services.application_decide(
        application=application,
        actor=actor,
        decision="admit",
        votes={chair.pk: "for", secretary.pk: "against"},
    )
    assert not failed.is_adopted and failed.number is None
    application.refresh_from_db()
    assert application.is_undecided and application.decision is None
    assert AuditEntry.objects.filter(action="candidates.decision.not_adopted").count() == 1
    with pytest.raises(ValidationError) as refused:
        services.application_decide(
            application=application, actor=actor, decision="refuse", votes=all_vote(cand["voters_a"])
        )
    assert "reasons" in refused.value.error_dict
    adopted = admit(application, cand["voters_a"])
    assert adopted.number == 1  # the failed proposal took no number
    with pytest.raises(ValidationError, match="already decided"):
        admit(application, cand["voters_a"])


@pytest.mark.django_db
def test_a_registered_candidate_gets_an_account_and_the_candidate_role(
    cand, mailoutbox, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(
        election=cand["election"], group=cand["group_a"], email="newcomer@example.org"
    )
    with django_capture_on_commit_callbacks(execute=True):
        admit(application, cand["voters_a"])
    application.refresh_from_db()
    user = application.user
    assert user is not None and user.email == "newcomer@example.org" and not user.has_usable_password()
    assert RoleAssignment.objects.filter(user=user, role=Role.CANDIDATE, group=cand["group_a"]).exists()
    admitted_mail = [m for m in mailoutbox if m.to == ["newcomer@example.org"]][-1]
    assert "/accounts/reset/" in admitted_mail.body and "certificate.pdf" in admitted_mail.body
    assert not services.application_notify(application_id=application.pk)


@pytest.mark.django_db
def test_decision_reminders_at_3_1_0_days_and_overdue_are_sent_once(cand, mailoutbox, clock):
    application = ApplicationFactory(election=cand["election"], group=cand["group_a"])
    decided = ApplicationFactory(election=cand["election"], group=cand["group_a"])
    admit(decided, cand["voters_a"])
    send_outbox()  # the fixtures' mails leave first
    mailoutbox.clear()
    members = 3  # every active member of commission A
    expected = [
        (dt.datetime(2030, 8, 12, 11, 0, tzinfo=ALMATY), "d3"),
        (dt.datetime(2030, 8, 13, 9, 0, tzinfo=ALMATY), "d1"),
        (dt.datetime(2030, 8, 14, 9, 0, tzinfo=ALMATY), "d0"),
        (dt.datetime(2030, 8, 15, 0, 30, tzinfo=ALMATY), "overdue"),
    ]
    for moment, kind in expected:
        clock.move_to(moment)
        assert services.send_decision_reminders() == members, kind
        assert services.send_decision_reminders() == 0, kind  # a rerun sends nothing
        send_outbox()
        assert set(DecisionReminder.objects.filter(kind=kind).values_list("application_id", flat=True)) == {
            application.pk
        }
    assert len(mailoutbox) == 4 * members
    assert any("overdue" in m.subject.lower() or "просроч" in m.subject.lower() for m in mailoutbox)
    assert Notification.objects.filter(kind="candidates.reminder.overdue").count() == members
    from candidates.tasks import send_decision_reminders

    assert send_decision_reminders.delay().get() == 0


@pytest.mark.django_db
def test_ui_review_and_decision_by_the_commission(
    client, cand, mailoutbox, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(election=cand["election"], group=cand["group_a"])
    slug = cand["election"].slug
    client.force_login(cand["users"]["commission_a"])
    page = client.get(reverse("candidates:application", args=[slug, application.pk]))
    assert 'id="review-form"' in page.content.decode() and 'id="decision-form"' in page.content.decode()
    response = client.post(
        reverse("candidates:review", args=[slug, application.pk]),
        {
            **{f"met_{c.pk}": "yes" for c in cand["criteria"]},
            "recommendation": "admit",
            "comment": "Всё в порядке",
        },
    )
    assert response.status_code == 302
    chair, secretary = cand["voters_a"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("candidates:decide", args=[slug, application.pk]),
            {"decision": "admit", f"vote_{chair.pk}": "for", f"vote_{secretary.pk}": "for",
             f"vote_{cand['undeclared_a'].pk}": "absent", "reasons": ""},
        )  # fmt: skip
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.ADMITTED and application.decision.number == 1
    assert mailoutbox[-1].to == [application.email]


@pytest.mark.django_db
def test_refused_decision_lists_the_reason_in_the_package(client, cand):
    application = ApplicationFactory(election=cand["election"], group=cand["group_a"])
    refuse(application, cand["voters_a"], reasons="Подписанная форма не соответствует образцу.")
    client.force_login(cand["users"]["org_committee_a"])
    page = client.get(reverse("candidates:package", args=[cand["election"].slug, "g-a"])).content.decode()
    assert "Подписанная форма не соответствует образцу." in page
    csv_text = client.get(
        reverse("candidates:package_csv", args=[cand["election"].slug, "g-a"])
    ).content.decode("utf-8-sig")
    assert "Подписанная форма не соответствует образцу." in csv_text and application.full_name in csv_text
    pdf = client.get(reverse("candidates:package_pdf", args=[cand["election"].slug, "g-a"])).content
    assert pdf.startswith(b"%PDF-")


@pytest.mark.django_db
def test_the_decision_on_the_application_page_reads_as_one_sentence(client, cand):
    """The date of a decision on the commission's page is written out like the register writes it,
    and the sentence ends with one full stop (not "3 p.m.." in English)."""
    application = ApplicationFactory(election=cand["election"], group=cand["group_a"])
    decision = admit(application, cand["voters_a"])
    client.force_login(cand["users"]["commission_a"])
    with translation.override("en"):
        page = client.get(reverse("candidates:application", args=[cand["election"].slug, application.pk]))
        when = date_format(timezone.localtime(decision.decided_at), "j E Y, H:i")
        title = str(decision.title)
    text = page.content.decode()
    assert f"Decision № {decision.number}</strong> — {title}, {when}." in text
    assert ".." not in text.split('data-decision="')[1].split("</strong>")[1].split("</div>")[0]
