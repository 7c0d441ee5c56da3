"""The data of the five request flows and of complaints moves onto the one decision workflow (issue 17): rows decided
before the migration come out as numbered ``elections.Decision`` rows with the same date, author,
reasons and (for candidates) number and votes, and the requests point at them."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.migrating import make_row, migrated_back_to

BEFORE = [
    ("elections", "0005_outbox_mail_being_sent"),
    ("candidates", "0001_applications_decisions_settings"),
    ("groups", "0003_file_imports"),
    ("voters", "0004_credential_updates_in_place"),
    ("protocols", "0006_tie_decisions"),
]


def _leaves(executor):
    return [key for key in executor.loader.graph.leaf_nodes() if key[0] in {app for app, _n in BEFORE}]


@pytest.fixture
def migrated_back(transactional_db):
    with migrated_back_to(BEFORE) as executor:
        yield executor


def test_decided_requests_become_numbered_decisions(migrated_back):
    executor = migrated_back
    old = executor.loader.project_state(BEFORE).apps
    get = old.get_model
    User = get("accounts", "User")
    chair, secretary, decider = (
        make_row(User, email=f"{n}@example.org") for n in ("chair", "secretary", "decider")
    )
    election = make_row(get("elections", "Election"), slug="e", time_zone="Asia/Almaty")
    group = make_row(get("groups", "ElectoralGroup"), election=election, slug="g")
    mandate = make_row(
        get("groups", "Commission"), election=election, group=group, kind="mandate", name_ru="Мандатная"
    )
    committee = make_row(
        get("groups", "Commission"), election=election, kind="org_committee", name_ru="Оргкомитет"
    )
    precinct = make_row(get("groups", "TerritorialUnit"), election=election, kind="precinct", number=7)
    pec = make_row(get("groups", "Commission"), election=election, kind="pec", unit=precinct, name_ru="УИК 7")
    Member = get("groups", "CommissionMember")
    members = [
        make_row(Member, commission=mandate, user=u, position=p)
        for u, p in ((chair, "chair"), (secretary, "secretary"))
    ]
    on = dt.datetime(2025, 5, 10, 9, tzinfo=dt.UTC)
    application = make_row(
        get("candidates", "Application"),
        election=election,
        group=group,
        commission=mandate,
        nomination="self",
        status="admitted",
    )
    old_decision = make_row(
        get("candidates", "CommissionDecision"),
        election=election, commission=mandate, application=application, kind="admit", number=4, decided_at=on,
        votes_for=2, members_total=3, is_adopted=True, reasons="",
    )  # fmt: skip
    for member in members:
        make_row(get("candidates", "DecisionVote"), decision=old_decision, member=member, vote="for")
    application.decision = old_decision
    application.save()
    later = on + dt.timedelta(days=1)
    observer = make_row(
        get("groups", "ObserverApplication"), election=election, commission=committee, kind="independent",
        status="refused", decided_at=later, decided_by=decider, reason="Нет документа",
    )  # fmt: skip
    nomination = make_row(
        get("groups", "OrgCommitteeNomination"), commission=committee, group=group, status="approved",
        decided_at=later, decided_by=decider,
    )  # fmt: skip
    registration = make_row(
        get("voters", "VoterRegistration"), election=election, group=group, kind="person", status="accepted",
        region="almaty-city", decided_at=later + dt.timedelta(hours=1), decided_by=chair,
    )  # fmt: skip
    undecided = make_row(
        get("voters", "VoterRegistration"),
        election=election,
        group=group,
        kind="person",
        status="confirmed",
        region="almaty-city",
    )
    entry = make_row(get("voters", "RegisterEntry"), election=election, precinct=precinct)
    complaint = make_row(
        get("protocols", "Complaint"), election=election, commission=pec, number=3, complainant_kind="voter",
        status="partly", decided_at=later + dt.timedelta(days=1), decided_by=decider, decision_text="Частично",
    )  # fmt: skip
    correction = make_row(
        get("voters", "CorrectionRequest"), election=election, entry=entry, precinct=precinct, field="address",
        status="rejected", decided_at=later, decided_by=decider, reason="Адрес верен",
    )  # fmt: skip

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(_leaves(executor))
    new = executor.loader.project_state(_leaves(executor)).apps
    Decision = new.get_model("elections", "Decision")

    def decision_of(model, pk):
        return Decision.objects.get(pk=new.get_model(*model).objects.get(pk=pk).decision_id)

    admitted = Decision.objects.get(
        pk=new.get_model("candidates", "Application").objects.get(pk=application.pk).decision_id
    )
    assert (admitted.kind, admitted.outcome, admitted.number, admitted.year, admitted.body_key) == (
        "candidate_application", "granted", 4, 2025, f"groups.commission:{mandate.pk}"
    )  # fmt: skip
    assert sorted(admitted.votes.values_list("user_id", "position", "vote")) == sorted(
        [(chair.pk, "chair", "for"), (secretary.pk, "secretary", "for")]
    )
    refused = decision_of(("groups", "ObserverApplication"), observer.pk)
    assert (refused.kind, refused.outcome, refused.reasons, refused.recorded_by_id, refused.decided_at) == (
        "observer_application", "refused", "Нет документа", decider.pk, later
    )  # fmt: skip
    assert refused.body_key == f"groups.commission:{committee.pk}" and refused.number == 1
    approved = decision_of(("groups", "OrgCommitteeNomination"), nomination.pk)
    assert (approved.body_key, approved.body_name_ru, approved.number, approved.outcome) == (
        "secretariat",
        "Секретариат",
        1,
        "granted",
    )
    accepted = decision_of(("voters", "VoterRegistration"), registration.pk)
    # the mandate commission's next number after the candidates' № 4
    assert (accepted.kind, accepted.body_key, accepted.number, accepted.recorded_by_id) == (
        "voter_registration", f"groups.commission:{mandate.pk}", 5, chair.pk
    )  # fmt: skip
    rejected = decision_of(("voters", "CorrectionRequest"), correction.pk)
    assert (rejected.body_key, rejected.reasons, rejected.outcome) == (
        f"groups.commission:{pec.pk}",
        "Адрес верен",
        "refused",
    )
    assert new.get_model("voters", "VoterRegistration").objects.get(pk=undecided.pk).decision_id is None
    partly = decision_of(("protocols", "Complaint"), complaint.pk)
    # the PEC's second decision: after its Form 3 decision, in the order taken
    assert (partly.kind, partly.outcome, partly.number, partly.reasons) == (
        "complaint",
        "partly",
        2,
        "Частично",
    )
    assert Decision.objects.count() == 6
