"""Withdrawal by the candidate or the party and cancellation by the commission, until the
deadline of the calendar; the ballot after its approval (seed 003 items 25, 26, 39)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from candidates import services
from candidates.models import Application
from candidates.selectors import ballot_candidates
from elections.models import AuditEntry

from .factories import ALMATY, WITHDRAWAL_DUE, ApplicationFactory, admit, all_vote


@pytest.fixture
def registered(cand):
    application = ApplicationFactory(
        election=cand["election"],
        group=cand["group_a"],
        actor=cand["users"]["candidate_a"],
        nomination="self",
    )
    admit(application, cand["voters_a"])
    application.refresh_from_db()
    return application


@pytest.mark.django_db
def test_withdrawal_after_the_deadline_is_refused(cand, registered, clock, english):
    clock.move_to(WITHDRAWAL_DUE)
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError, match="no longer possible"):
        services.application_withdraw(application=registered, actor=cand["users"]["candidate_a"])
    registered.refresh_from_db()
    assert registered.status == "admitted" and registered.withdrawn_at is None
    assert AuditEntry.objects.count() == before


@pytest.mark.django_db
def test_candidate_withdraws_through_the_ui_before_the_deadline(
    client, cand, registered, clock, mailoutbox, django_capture_on_commit_callbacks
):
    clock.move_to(WITHDRAWAL_DUE - dt.timedelta(minutes=1))
    client.force_login(cand["users"]["candidate_a"])
    slug = cand["election"].slug
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("candidates:withdraw", args=[slug, registered.pk]),
            {"reason": "Личные причины", "confirm": "on"},
        )
    assert response.status_code == 302
    registered.refresh_from_db()
    assert registered.status == "withdrawn" and registered.withdrawn_by == cand["users"]["candidate_a"]
    assert not registered.left_after_ballot_approval  # the ballot is fixed only when voting opens
    assert mailoutbox[-1].to == [registered.email]
    entry = AuditEntry.objects.filter(action="candidates.application.withdrawn").last()
    assert entry.data["application_id"] == registered.pk and entry.data["was_registered"] is True
    # still on the public list, marked; the certificate no longer verifies
    page = client.get(reverse("candidates:list", args=[slug])).content.decode()
    assert f'data-candidate="{registered.pk}"' in page and "cand-left" in page
    verify = client.get(
        reverse("candidates:verify", args=[slug, registered.certificate_code])
    ).content.decode()
    assert 'data-status="invalid"' in verify
    assert client.get(reverse("candidates:certificate", args=[slug, registered.pk])).status_code == 404
    assert ballot_candidates(cand["election"], cand["group_a"]) == []


@pytest.mark.django_db
def test_nobody_else_withdraws_a_candidate(cand, registered):
    for key in ("org_committee_a", "commission_a", "voter_a", "party_rep"):
        with pytest.raises(PermissionDenied):
            services.application_withdraw(application=registered, actor=cand["users"][key])
    with pytest.raises(PermissionDenied):
        services.application_withdraw(application=registered, actor=cand["users"]["observer"])
    registered.refresh_from_db()
    assert registered.status == "admitted"


@pytest.mark.django_db
def test_after_ballot_approval_the_name_stays_on_the_ballot_and_is_marked(cand, registered, clock):
    election = cand["election"]
    # say the ballot text is approved with activity 15 (due 15 Aug 00:00)
    services.candidacy_settings_update(election=election, actor=None, ballot_approval_activity=15)
    early = ApplicationFactory(election=election, group=cand["group_a"])
    admit(early, cand["voters_a"])
    services.application_withdraw(application=early, actor=None)  # 12 Aug: before the approval
    clock.move_to(dt.datetime(2030, 8, 16, 12, 0, tzinfo=ALMATY))
    services.application_withdraw(application=registered, actor=cand["users"]["candidate_a"])
    registered.refresh_from_db()
    early.refresh_from_db()
    assert registered.left_after_ballot_approval and not early.left_after_ballot_approval
    on_ballot = ballot_candidates(election, cand["group_a"])
    assert [(a.pk, a.is_standing) for a in on_ballot] == [(registered.pk, False)]


@pytest.mark.django_db
def test_commission_cancels_a_registration_by_a_numbered_decision(cand, registered, clock, english):
    actor = cand["users"]["commission_a"]
    with pytest.raises(ValidationError) as refused:
        services.registration_cancel(
            application=registered, actor=actor, votes=all_vote(cand["voters_a"]), reasons=" "
        )
    assert "reasons" in refused.value.error_dict
    with pytest.raises(PermissionDenied):
        services.registration_cancel(
            application=registered, actor=cand["users"]["member_b"], votes={}, reasons="Нарушение"
        )
    decision = services.registration_cancel(
        application=registered, actor=actor, votes=all_vote(cand["voters_a"]), reasons="Подкуп избирателей."
    )
    registered.refresh_from_db()
    assert decision.number == 2 and decision.kind == "candidate_cancellation"
    assert registered.status == "cancelled" and registered.cancellation_decision == decision
    assert registered.cancellation_reason == "Подкуп избирателей."
    assert AuditEntry.objects.filter(action="candidates.application.cancelled").count() == 1
    # after the deadline (activity 20, voting day 00:00) no more cancellations
    other = ApplicationFactory(election=cand["election"], group=cand["group_a"])
    admit(other, cand["voters_a"])
    clock.move_to(WITHDRAWAL_DUE + dt.timedelta(hours=1))
    with pytest.raises(ValidationError, match="can no longer be cancelled"):
        services.registration_cancel(
            application=other, actor=actor, votes=all_vote(cand["voters_a"]), reasons="x"
        )


@pytest.mark.django_db
def test_party_withdraws_a_candidate_and_recalls_its_list(cand, english):
    election, rep = cand["election"], cand["users"]["party_rep"]
    party_list = services.party_list_create(
        election=election, unit=cand["district"], party_name="Партия «Заря»", actor=rep
    )
    first, second = (
        ApplicationFactory(
            election=election, nomination="party_list", party_list=party_list, list_position=n, actor=rep
        )
        for n in (1, 2)
    )
    tec = [cand["tec_member"]]
    admit(first, tec)
    services.application_withdraw(application=second, actor=rep, reason="Отказ кандидата")
    second.refresh_from_db()
    assert second.status == "withdrawn"
    with pytest.raises(PermissionDenied):
        services.party_list_withdraw(party_list=party_list, actor=cand["users"]["voter_a"])
    services.party_list_withdraw(party_list=party_list, actor=rep, reason="Решение съезда партии")
    party_list.refresh_from_db()
    first.refresh_from_db()
    assert party_list.withdrawn_at is not None and first.status == "withdrawn"
    with pytest.raises(ValidationError, match="recalled"):
        ApplicationFactory(
            election=election, nomination="party_list", party_list=party_list, list_position=3, actor=rep
        )
    assert Application.objects.filter(party_list=party_list, status__in=Application.STANDING).count() == 0
