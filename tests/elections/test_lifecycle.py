import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from freezegun import freeze_time

from elections import lifecycle
from elections.models import AuditEntry, Election
from elections.services import TransitionRefused, election_transition, election_update
from tests.factories import ElectionFactory

S = Election.State


def _step(election, name, actor=None):
    return election_transition(election=election, transition=name, actor=actor)


@pytest.mark.django_db
def test_full_lifecycle_leaves_an_audit_entry_per_step():
    election = ElectionFactory(
        voting_ends_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
        voting_starts_at=dt.datetime(2019, 12, 31, tzinfo=dt.UTC),
    )
    seen = [election.state]
    for t in lifecycle.TRANSITIONS:
        if t.name == "archive":  # the archive step needs the election's archive (seed 000 item 23)
            from protocols.services.archive import archive_build

            archive_build(election=election, actor=None)
        election = _step(election, t.name)
        seen.append(election.state)
    assert seen == [
        S.DRAFT,
        S.ANNOUNCED,
        S.REGISTRATION,
        S.VOTING,
        S.COUNTING,
        S.CERTIFIED,
        S.PUBLISHED,
        S.ARCHIVED,
    ]
    actions = list(AuditEntry.objects.filter(election=election).values_list("action", flat=True))
    steps = [t.audit_action for t in lifecycle.TRANSITIONS]
    assert actions == ["elections.election.created", *steps[:-1], "protocols.archive.built", steps[-1]]
    last = AuditEntry.objects.filter(election=election).last()
    assert last.data == {"from": "published", "to": "archived"}


@pytest.mark.django_db
def test_guard_lists_what_blocks_and_service_refuses():
    election = ElectionFactory(voting_day=None, voting_starts_at=None, voting_ends_at=None)
    blockers = lifecycle.blockers(election, lifecycle.BY_NAME["announce"])
    assert {b.code for b in blockers} == {"no_voting_day", "no_voting_window"}
    before = AuditEntry.objects.count()
    with pytest.raises(TransitionRefused) as exc:
        _step(election, "announce")
    assert {b.code for b in exc.value.blockers} == {"no_voting_day", "no_voting_window"}
    election.refresh_from_db()
    assert election.state == S.DRAFT
    assert AuditEntry.objects.count() == before


@pytest.mark.django_db
def test_steps_cannot_be_skipped():
    election = ElectionFactory()
    with pytest.raises(TransitionRefused) as exc:
        _step(election, "open_voting")
    assert exc.value.blockers[0].code == "wrong_state"


@pytest.mark.django_db
def test_voting_cannot_close_before_its_closing_time_by_server_clock():
    election = ElectionFactory()  # voting closes 2030-08-17 18:00 Asia/Almaty = 13:00 UTC
    for name in ("announce", "open_registration", "open_voting"):
        election = _step(election, name)
    with freeze_time("2030-08-17 12:59:59+00:00"):
        with pytest.raises(TransitionRefused) as exc:
            _step(election, "close_voting")
        assert exc.value.blockers[0].code == "voting_not_ended"
        assert "18:00" in exc.value.blockers[0].message
    with freeze_time("2030-08-17 13:00:00+00:00"):
        assert _step(election, "close_voting").state == S.COUNTING


@pytest.mark.django_db
def test_wrong_role_is_refused_by_the_service(structure):
    with pytest.raises(PermissionDenied):
        _step(structure["election"], "announce", actor=structure["users"]["observer"])
    assert Election.objects.get(pk=structure["election"].pk).state == S.DRAFT


@pytest.mark.django_db
def test_rules_of_the_vote_freeze_once_voting_opened():
    election = ElectionFactory()
    for name in ("announce", "open_registration", "open_voting"):
        election = _step(election, name)
    with pytest.raises(ValidationError) as exc:
        election_update(
            election=election, actor=None, voting_ends_at=election.voting_ends_at + dt.timedelta(hours=1)
        )
    assert "voting_ends_at" in exc.value.error_dict
    updated = election_update(election=election, actor=None, title_en="Renamed")
    assert updated.title_en == "Renamed"
    entry = AuditEntry.objects.filter(action="elections.election.updated").last()
    assert entry.data == {"changed": {"title_en": [election.title_en, "Renamed"]}}


@pytest.mark.django_db
def test_ui_shows_blockers_and_disables_the_button(client, structure):
    election = structure["election"]
    Election.objects.filter(pk=election.pk).update(voting_starts_at=None)
    client.force_login(structure["users"]["secretariat"])
    body = client.get(reverse("elections:detail", args=[election.slug])).content.decode()
    assert "Укажите, когда открывается и закрывается голосование." in body
    assert "disabled" in body
    response = client.post(
        reverse("elections:transition", args=[election.slug, "announce"]), {"confirm": "yes"}, follow=True
    )
    assert "Шаг отклонён" in response.content.decode()
    assert Election.objects.get(pk=election.pk).state == S.DRAFT
    page = client.get(reverse("elections:transition", args=[election.slug, "announce"])).content.decode()
    assert 'id="step-blockers"' in page and 'id="confirm-step"' not in page  # no button while blocked


@pytest.mark.django_db
def test_ui_transition_by_secretariat(client, structure):
    election = structure["election"]
    client.force_login(structure["users"]["secretariat"])
    url = reverse("elections:transition", args=[election.slug, "announce"])
    # the step is never one click: the page says what happens, and a POST without the
    # confirmation changes nothing (issue 15)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert 'id="consequences"' in page and 'id="confirm-step"' in page
    assert "станут общедоступными" in page or "становятся общедоступными" in page
    client.post(url)
    assert Election.objects.get(pk=election.pk).state == S.DRAFT
    response = client.post(url, {"confirm": "yes"}, follow=True)
    assert response.status_code == 200
    assert Election.objects.get(pk=election.pk).state == S.ANNOUNCED
    entry = AuditEntry.objects.last()
    assert entry.action == "elections.election.announced"
    assert entry.actor == structure["users"]["secretariat"]
    assert entry.role == "secretariat"


@pytest.mark.parametrize("role", ["observer", "org_committee_a", "commission_a", "voter_a"])
@pytest.mark.django_db
def test_ui_transition_denied_to_other_roles(client, structure, role):
    election = structure["election"]
    client.force_login(structure["users"][role])
    response = client.post(
        reverse("elections:transition", args=[election.slug, "announce"]), {"confirm": "yes"}
    )
    assert response.status_code in (403, 404)
    assert client.get(reverse("elections:transition", args=[election.slug, "announce"])).status_code in (
        403,
        404,
    )
    assert Election.objects.get(pk=election.pk).state == S.DRAFT
