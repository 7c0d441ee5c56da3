"""Voting credentials: one invitation per eligible voter with a single-use link whose token is
stored hashed, sent in batches exactly once; resend; reminders only to those who have not voted."""

import hashlib
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from elections.models import AuditEntry
from tests.factories import user_with_role
from tests.outbox import send_outbox
from voters import selectors, services
from voters.models import CredentialMail, VotingCredential

from .factories import registration


def _token(mail) -> str:
    return re.search(r"/invitation/([^/\s]+)/", mail.body).group(1)


@pytest.fixture
def voters(ccm):
    accepted = [
        registration(ccm["group_a"], email=f"v{i}@example.org", name=f"Избиратель {i}", decided="accept")
        for i in range(5)
    ]
    registration(ccm["group_a"], email="rejected@example.org", decided="reject", reason="Не член группы")
    registration(ccm["group_b"], email="pending@example.org")
    return dict(ccm, accepted=accepted)


@pytest.mark.django_db
def test_invitations_go_out_once_each_with_a_hashed_single_use_link(
    client, voters, mailoutbox, settings, django_capture_on_commit_callbacks
):
    send_outbox()  # the fixtures' mails leave first
    mailoutbox.clear()
    settings.VOTER_INVITATION_BATCH = 2  # 5 voters → 3 batches
    election = voters["election"]
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = services.credentials_issue(election=election, actor=None)
    assert result == {"created": 5, "queued": 5}
    from elections.models import OutboxTask

    assert OutboxTask.objects.filter(name="voters.send_credential_mails").count() == 3
    assert len(callbacks) >= 1
    assert sorted(m.to[0] for m in mailoutbox) == [f"v{i}@example.org" for i in range(5)]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.credentials_issue(election=election, actor=None) == {"created": 0, "queued": 0}
    for credential in VotingCredential.objects.all():  # a retried batch sends nothing
        assert (
            services.credential_mail_send(credential_id=credential.pk, kind="invitation", round_=0) is False
        )
    assert len(mailoutbox) == 5 and CredentialMail.objects.count() == 5

    mail = next(m for m in mailoutbox if m.to == ["v0@example.org"])
    token = _token(mail)
    credential = selectors.credential_for_token(election, token)
    assert credential.registration == voters["accepted"][0]
    assert (
        credential.token_hash == hashlib.sha256(token.encode()).hexdigest()
        and token not in credential.token_hash
    )
    assert not VotingCredential.objects.filter(token_hash=token).exists()
    page = client.get(reverse("voters:invitation", args=[election.slug, token]))
    assert page.status_code == 200 and 'id="invitation-valid"' in page.content.decode()
    assert client.get(reverse("voters:invitation", args=[election.slug, "x" * 43])).status_code == 404

    services.credential_mark_used(credential)
    with pytest.raises(services.CredentialAlreadyUsed):
        services.credential_mark_used(selectors.credential_for_token(election, token))
    assert selectors.has_voted(election, voters["accepted"][0])
    assert (
        'id="invitation-used"'
        in client.get(reverse("voters:invitation", args=[election.slug, token])).content.decode()
    )


@pytest.mark.django_db
def test_reminders_only_to_those_who_have_not_voted_and_resend_replaces_the_link(
    voters, mailoutbox, django_capture_on_commit_callbacks
):
    send_outbox()  # the fixtures' mails leave first
    mailoutbox.clear()
    election = voters["election"]
    with django_capture_on_commit_callbacks(execute=True):
        services.credentials_issue(election=election, actor=None)
    tokens = {m.to[0]: _token(m) for m in mailoutbox if "/invitation/" in m.body}
    voted = selectors.credential_for_token(election, tokens["v1@example.org"])
    services.credential_mark_used(voted)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        result = services.credential_reminders_send(election=election, actor=None)
    assert result == {"round": 1, "queued": 4}
    assert sorted(m.to[0] for m in mailoutbox) == [
        "v0@example.org",
        "v2@example.org",
        "v3@example.org",
        "v4@example.org",
    ]
    reminded = {m.to[0]: _token(m) for m in mailoutbox}
    assert selectors.credential_for_token(election, tokens["v0@example.org"]) is None  # replaced
    assert selectors.credential_for_token(election, reminded["v0@example.org"]) is not None

    mailoutbox.clear()
    credential = VotingCredential.objects.get(email="v2@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.credential_resend(credential=credential, actor=None)
    assert [m.to for m in mailoutbox] == [["v2@example.org"]]
    assert selectors.credential_for_token(election, reminded["v2@example.org"]) is None
    assert selectors.credential_for_token(election, _token(mailoutbox[0])).pk == credential.pk
    credential.refresh_from_db()
    assert credential.resend_count == 1
    assert AuditEntry.objects.filter(action="voters.credential.resent").count() == 1
    with pytest.raises(ValidationError):
        services.credential_resend(credential=voted, actor=None)


@pytest.mark.django_db
def test_voters_of_the_frozen_list_with_an_e_mail_are_invited(
    kg, mailoutbox, django_capture_on_commit_callbacks
):
    send_outbox()  # the fixtures' mails leave first
    mailoutbox.clear()
    from elections.services import election_transition

    from .factories import import_rows, register_row

    election = election_transition(election=kg["election"], transition="open_registration", actor=None)
    import_rows(election, [register_row(0, email="kg-voter@example.org"), register_row(1)])
    with django_capture_on_commit_callbacks(execute=True):
        assert services.credentials_issue(election=election, actor=None)["created"] == 0  # not frozen yet
        services.voter_list_freeze(election=election, actor=None)
        assert services.credentials_issue(election=election, actor=None)["created"] == 1
    assert [m.to for m in mailoutbox] == [["kg-voter@example.org"]]


@pytest.mark.django_db
def test_invitations_are_not_sent_before_the_registration_stage(db):
    from tests.factories import ElectionFactory

    draft = ElectionFactory()
    with pytest.raises(ValidationError):
        services.credentials_issue(election=draft, actor=None)


@pytest.mark.django_db
def test_a_voter_whose_vote_the_commission_recorded_counts_as_having_voted(voters):
    """No reminder to someone who voted at the assembly or on paper: the voting app's
    participations reach voters through the check it registers (voters cannot import ballots)."""
    from ballots.models import Contest, Participation

    election, voter = voters["election"], voters["accepted"][1]
    assert not selectors.has_voted(election, voter)
    contest = Contest.objects.create(election=election, group=voter.group, title_ru="Член СКК")
    Participation.objects.create(
        election=election, contest=contest, elector=f"registration:{voter.pk}", channel="assembly"
    )
    assert selectors.has_voted(election, voter)
    assert not selectors.has_voted(election, voters["accepted"][2])


@pytest.mark.django_db
def test_the_invitations_page_offers_no_sending_once_voting_has_ended(client, voters):
    from elections.models import Election

    election = voters["election"]
    client.force_login(user_with_role("secretariat"))
    url = reverse("voters:credentials", args=[election.slug])
    Election.objects.filter(pk=election.pk).update(state=Election.State.REGISTRATION)
    page = client.get(url).content.decode()
    assert 'value="remind"' in page and 'id="invitations-closed"' not in page
    Election.objects.filter(pk=election.pk).update(state=Election.State.COUNTING)
    page = client.get(url).content.decode()
    assert 'value="remind"' not in page and 'value="issue"' not in page and 'id="invitations-closed"' in page
