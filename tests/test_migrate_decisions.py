"""The data of the five request flows and of complaints moves onto the one decision workflow (issue 17): rows decided
before the migration come out as numbered ``elections.Decision`` rows with the same date, author,
reasons and (for candidates) number and votes, and the requests point at them."""

import datetime as dt

import pytest
from django.db import connection, models
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("elections", "0005_outbox_mail_being_sent"),
    ("candidates", "0001_applications_decisions_settings"),
    ("groups", "0003_file_imports"),
    ("voters", "0004_credential_updates_in_place"),
    ("protocols", "0006_tie_decisions"),
]


def _make(model, **values):
    """A row of a historical model with every required field not given filled with something."""
    for field in model._meta.concrete_fields:
        if field.name in values or field.attname in values or field.primary_key:
            continue
        if field.null or field.has_default() or isinstance(field, models.ForeignKey):
            continue
        if isinstance(field, models.DateTimeField):
            values[field.name] = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
        elif isinstance(field, models.DateField):
            values[field.name] = dt.date(1980, 1, 1)
        elif isinstance(field, models.EmailField):
            values[field.name] = f"{model._meta.model_name}{model.objects.count()}@example.org"
        elif isinstance(field, models.CharField | models.TextField | models.SlugField):
            values[field.name] = f"{model._meta.model_name}-{model.objects.count()}"[
                -(field.max_length or 50) :
            ]
        elif isinstance(field, models.IntegerField | models.PositiveSmallIntegerField):
            values[field.name] = 1
    return model.objects.create(**values)


def _leaves(executor):
    return [key for key in executor.loader.graph.leaf_nodes() if key[0] in {app for app, _n in BEFORE}]


@pytest.fixture
def migrated_back(transactional_db):
    """The database as it was before the move; afterwards (also on a failure) at the latest state
    again, so the other tests find their tables."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    yield executor
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_decided_requests_become_numbered_decisions(migrated_back):
    executor = migrated_back
    old = executor.loader.project_state(BEFORE).apps
    get = old.get_model
    User = get("accounts", "User")
    chair, secretary, decider = (
        _make(User, email=f"{n}@example.org") for n in ("chair", "secretary", "decider")
    )
    election = _make(get("elections", "Election"), slug="e", time_zone="Asia/Almaty")
    group = _make(get("groups", "ElectoralGroup"), election=election, slug="g")
    mandate = _make(
        get("groups", "Commission"), election=election, group=group, kind="mandate", name_ru="Мандатная"
    )
    committee = _make(
        get("groups", "Commission"), election=election, kind="org_committee", name_ru="Оргкомитет"
    )
    precinct = _make(get("groups", "TerritorialUnit"), election=election, kind="precinct", number=7)
    pec = _make(get("groups", "Commission"), election=election, kind="pec", unit=precinct, name_ru="УИК 7")
    Member = get("groups", "CommissionMember")
    members = [
        _make(Member, commission=mandate, user=u, position=p)
        for u, p in ((chair, "chair"), (secretary, "secretary"))
    ]
    on = dt.datetime(2025, 5, 10, 9, tzinfo=dt.UTC)
    application = _make(
        get("candidates", "Application"),
        election=election,
        group=group,
        commission=mandate,
        nomination="self",
        status="admitted",
    )
    old_decision = _make(
        get("candidates", "CommissionDecision"),
        election=election, commission=mandate, application=application, kind="admit", number=4, decided_at=on,
        votes_for=2, members_total=3, is_adopted=True, reasons="",
    )  # fmt: skip
    for member in members:
        _make(get("candidates", "DecisionVote"), decision=old_decision, member=member, vote="for")
    application.decision = old_decision
    application.save()
    later = on + dt.timedelta(days=1)
    observer = _make(
        get("groups", "ObserverApplication"), election=election, commission=committee, kind="independent",
        status="refused", decided_at=later, decided_by=decider, reason="Нет документа",
    )  # fmt: skip
    nomination = _make(
        get("groups", "OrgCommitteeNomination"), commission=committee, group=group, status="approved",
        decided_at=later, decided_by=decider,
    )  # fmt: skip
    registration = _make(
        get("voters", "VoterRegistration"), election=election, group=group, kind="person", status="accepted",
        region="almaty-city", decided_at=later + dt.timedelta(hours=1), decided_by=chair,
    )  # fmt: skip
    undecided = _make(
        get("voters", "VoterRegistration"),
        election=election,
        group=group,
        kind="person",
        status="confirmed",
        region="almaty-city",
    )
    entry = _make(get("voters", "RegisterEntry"), election=election, precinct=precinct)
    complaint = _make(
        get("protocols", "Complaint"), election=election, commission=pec, number=3, complainant_kind="voter",
        status="partly", decided_at=later + dt.timedelta(days=1), decided_by=decider, decision_text="Частично",
    )  # fmt: skip
    correction = _make(
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
