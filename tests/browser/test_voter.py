"""A voter registers, confirms the e-mail, gets the invitation, votes online, keeps the receipt and
finds it on the bulletin board after close."""

import datetime as dt
import re
from urllib.parse import urlsplit

from django.core import mail

from ballots.models import Participation
from elections.models import Election
from elections.services import election_transition
from tests.ballots.fixtures import cast_ballots
from voters import services as voter_services
from voters.models import VoterRegistration

from .setup import ALMATY, candidates_on_the_ballot, ccm_election


def _path_of_link(message, marker: str) -> str:
    link = next(u for u in re.findall(r"https?://\S+", message.body) if marker in u)
    return urlsplit(link).path


def test_voter_registers_votes_online_and_finds_the_receipt_on_the_board(portal, tmp_path, settings):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    data = ccm_election(voting_now=True)
    election = data["election"]
    now = dt.datetime.now(ALMATY)
    voter_services.voter_settings_update(
        election=election,
        actor=None,
        registration_opens_at=now - dt.timedelta(days=2),
        registration_closes_at=now + dt.timedelta(days=1),
    )
    candidates_on_the_ballot(data)
    election = election_transition(election=election, transition="open_registration", actor=None)
    page = portal.page

    # 1. registration in the group, in Russian (the default language)
    portal.shots("/elections/journey/voters/register/", "voter-registration")
    portal.goto("/en/elections/journey/voters/register/plhiv/person/")
    portal.axe(name="voter-registration-form-en")
    page.get_by_label("Full name").fill("Сергей Ким")
    page.locator("[name=email]").fill("s.kim@example.org")
    page.get_by_label("Region").select_option(index=1)
    page.locator("[name=consent]").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Register").click()
    registration = VoterRegistration.objects.get(email="s.kim@example.org")
    assert registration.status == VoterRegistration.Status.UNCONFIRMED

    # 2. the confirmation link from the e-mail
    (confirmation,) = [m for m in mail.outbox if m.to == ["s.kim@example.org"]]
    portal.goto(_path_of_link(confirmation, "/confirm/"))
    page.get_by_role("button", name=re.compile("Confirm|Подтвердить")).click()
    page.wait_for_load_state()
    registration.refresh_from_db()
    assert registration.status == VoterRegistration.Status.CONFIRMED

    # the commission accepts, voting opens, the invitations go out (set-up through the services)
    voter_services.registration_decide(
        registration=registration, actor=data["users"]["chair"], decision="accept", create_account=False
    )
    election = election_transition(election=election, transition="open_voting", actor=None)
    mail.outbox = []
    voter_services.credentials_issue(election=election, actor=data["users"]["secretariat"])

    # 3. the invitation: the single-use link leads to the ballot
    (invitation,) = [m for m in mail.outbox if m.to == ["s.kim@example.org"]]
    portal.goto(_path_of_link(invitation, "/invitation/"))
    page.locator("#open-ballot").click()
    page.wait_for_url("**/voting/ballot/")
    # Russian, then English: voting goes on in English
    portal.shots("/elections/journey/voting/ballot/", "ballot")
    # a voter who picked an option can go back to a blank ballot (issue 15)
    page.get_by_label(re.compile("Динара Оспанова")).check()
    page.locator("#clear-choices").click()
    assert not page.get_by_label(re.compile("Динара Оспанова")).is_checked()
    page.locator("#review-vote").click()
    assert page.locator("#review-blank").is_visible()
    page.get_by_role("link", name=re.compile("Change my choices|Изменить")).click()
    page.get_by_label(re.compile("Динара Оспанова")).check()
    page.locator("#review-vote").click()
    page.locator("#confirm-vote").click()
    page.wait_for_url("**/voting/receipt/")
    receipt = page.locator("#receipt-code").inner_text().strip()
    assert receipt in {b.receipt for b in cast_ballots()}  # waiting to be mixed (docs/secrecy.md)
    assert Participation.objects.filter(election=election, elector=f"registration:{registration.pk}").exists()
    portal.axe(name="receipt")
    portal.shot("receipt-en")
    assert receipt not in "".join(m.body for m in mail.outbox)  # the confirmation never holds it

    # 4. the link is spent
    portal.goto(_path_of_link(invitation, "/invitation/").replace("/voters/invitation/", "/voting/link/"))
    assert "/voting/ballot/" not in page.url

    # 5. voting closes (the clock is moved to the end of the window), the receipt is on the board
    Election.objects.filter(pk=election.pk).update(
        voting_ends_at=dt.datetime.now(ALMATY) - dt.timedelta(seconds=1)
    )
    election_transition(election=Election.objects.get(pk=election.pk), transition="close_voting", actor=None)
    portal.goto("/en/elections/journey/voting/board/")
    assert page.get_by_text(receipt).count() >= 1
    # the receipt typed from paper: lower case, without the dashes
    page.locator("#receipt-input").fill(receipt.lower().replace("-", " "))
    page.get_by_role("button", name="Find my ballot").click()
    assert page.locator("#receipt-found").is_visible()
    portal.shots("/elections/journey/voting/board/", "bulletin-board")
