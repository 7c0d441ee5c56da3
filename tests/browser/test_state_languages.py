"""The portal in the state languages (issue 22), as its users meet it:

* a voter of a CCM group registers on the Kazakh pages, gets the confirmation and the invitation in
  Kazakh, and the invitation opens the ballot in Kazakh; the vote and the receipt are in Kazakh;
* a PEC of a Kyrgyz council election signs its precinct protocol on the Kyrgyz pages; the signed
  protocol has a Kyrgyz copy (two, like the Russian one) whose PDF reads in Kyrgyz;
* the calendar plans read in Kazakh (CCM) and Kyrgyz (local councils).

Each page is checked with axe and screenshotted in its language."""

import datetime as dt
import re
import subprocess
from urllib.parse import urlsplit

from django.core import mail
from django.utils import translation
from django.utils.translation import gettext as _

from ballots.models import Contest, Participation
from elections.models import Election
from elections.services import election_transition
from groups.models import ElectoralGroup
from protocols.models import Protocol
from tests.protocols.conftest import kg_counting  # noqa: F401 - fixture
from tests.protocols.publication_fixtures import KG_PRECINCTS
from voters import services as voter_services
from voters.models import VoterRegistration

from .setup import ALMATY, PASSWORD, candidates_on_the_ballot, ccm_election
from .test_public_results import signing_pair  # noqa: F401 - fixture


def _path_of_link(message, marker: str) -> str:
    link = next(u for u in re.findall(r"https?://\S+", message.body) if marker in u)
    return urlsplit(link).path


def _in(language: str, text: str) -> str:
    with translation.override(language):
        return _(text)


def test_a_voter_registers_and_votes_entirely_in_kazakh(portal, tmp_path, settings):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    data = ccm_election(voting_now=True)
    election = data["election"]
    Election.objects.filter(pk=election.pk).update(title_kk="ЕҮК мүшелерін сайлау (сынақ)")
    ElectoralGroup.objects.filter(election=election, slug="plhiv").update(
        name_kk="АИТВ-мен өмір сүретін адамдар"
    )
    now = dt.datetime.now(ALMATY)
    voter_services.voter_settings_update(
        election=election,
        actor=None,
        registration_opens_at=now - dt.timedelta(days=2),
        registration_closes_at=now + dt.timedelta(days=1),
    )
    candidates_on_the_ballot(data)
    Contest.objects.filter(election=election).update(title_kk="ЕҮК мүшесі және балама мүше")
    election = election_transition(election=election, transition="open_registration", actor=None)
    page = portal.page

    portal.goto("/kk/elections/journey/voters/register/plhiv/person/")
    assert page.locator("html").get_attribute("lang") == "kk"
    assert "ЕҮК мүшелерін сайлау (сынақ)" in page.locator("body").inner_text()
    portal.axe(name="voter-registration-form-kk")
    portal.shot("voter-registration-form-kk")
    page.locator("main [name=name]").fill("Сергей Ким")
    page.locator("[name=email]").fill("s.kim@example.org")
    page.locator("[name=region]").select_option(index=1)
    page.locator("[name=consent]").check()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    registration = VoterRegistration.objects.get(email="s.kim@example.org")
    assert registration.language == "kk"

    (confirmation,) = [m for m in mail.outbox if m.to == ["s.kim@example.org"]]
    assert _path_of_link(confirmation, "/confirm/").startswith("/kk/")
    portal.goto(_path_of_link(confirmation, "/confirm/"))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    registration.refresh_from_db()
    assert registration.status == VoterRegistration.Status.CONFIRMED

    voter_services.registration_decide(
        registration=registration, actor=data["users"]["chair"], decision="accept", create_account=False
    )
    election = election_transition(election=election, transition="open_voting", actor=None)
    mail.outbox = []
    voter_services.credentials_issue(election=election, actor=data["users"]["secretariat"])
    (invitation,) = [m for m in mail.outbox if m.to == ["s.kim@example.org"]]
    assert "ЕҮК мүшелерін сайлау (сынақ)" in invitation.subject + invitation.body
    link = _path_of_link(invitation, "/invitation/")
    assert link.startswith("/kk/"), "the invitation opens the ballot in the voter's language"

    portal.goto(link)
    page.locator("#open-ballot").click()
    page.wait_for_url("**/kk/elections/journey/voting/ballot/")
    assert page.locator("html").get_attribute("lang") == "kk"
    ballot = page.locator("main").inner_text()
    assert "ЕҮК мүшесі және балама мүше" in ballot
    assert "Бәріне қарсы" in ballot and "Против всех" not in ballot  # only names stay as written
    assert page.locator("#clear-choices").inner_text().strip() == _in("kk", "Clear my choices")
    assert _in("kk", "Clear my choices") != _in("ru", "Clear my choices")
    portal.axe(name="ballot-kk")
    portal.shot("ballot-kk")
    page.get_by_label(re.compile("Динара Оспанова")).check()
    page.locator("#review-vote").click()
    portal.shot("ballot-review-kk")
    page.locator("#confirm-vote").click()
    page.wait_for_url("**/kk/elections/journey/voting/receipt/")
    assert page.locator("#receipt-code").inner_text().strip()
    assert Participation.objects.filter(election=election, elector=f"registration:{registration.pk}").exists()
    portal.axe(name="receipt-kk")
    portal.shot("receipt-kk")


def test_a_pec_signs_its_protocol_in_kyrgyz_and_gets_a_kyrgyz_copy(portal, kg_counting, signing_pair):  # noqa: F811
    from protocols.services.protocol import protocol_create, protocol_update

    k = kg_counting
    Election.objects.filter(pk=k["election"].pk).update(official_languages=["ru", "ky"])
    contest = Contest.objects.select_related("election").get(pk=k["contest"].pk)
    member, precinct, pec = k["pec_members"][0], k["precincts"][0], k["pecs"][0]
    figures, votes = KG_PRECINCTS[0]
    protocol = protocol_create(contest=contest, level="precinct", commission=pec, actor=member, unit=precinct)
    protocol_update(
        protocol=protocol,
        actor=member,
        figures=figures,
        votes={o.code: n for o, n in zip(k["options"], votes, strict=True)},
    )
    page = portal.page
    portal.login("pec1001@example.org", PASSWORD, lang="ky")
    path = f"/ky/elections/{contest.election.slug}/results/protocols/{protocol.pk}/"
    portal.goto(path)
    assert page.locator("html").get_attribute("lang") == "ky"
    portal.axe(name="protocol-ky")
    portal.shot("protocol-ky")
    page.locator("#sign-password").fill(PASSWORD)
    page.locator("#sign-form button[type=submit]").click()
    page.wait_for_load_state()
    protocol.refresh_from_db()
    assert protocol.status == Protocol.Status.SIGNED
    copies = sorted((d.language, d.copy) for d in protocol.documents.all())
    assert copies == [("en", 1), ("ky", 1), ("ky", 2), ("ru", 1), ("ru", 2)]
    kyrgyz = protocol.documents.get(language="ky", copy=1)
    text = subprocess.run(
        ["pdftotext", kyrgyz.file.path, "-"], check=True, capture_output=True, text=True
    ).stdout
    with translation.override("ky"):
        copy_mark = _("Copy No. %(copy)s") % {"copy": 1}
    assert copy_mark in " ".join(text.split()) and copy_mark != _in("ru", "Copy No. %(copy)s") % {"copy": 1}
    portal.goto(path)
    portal.shot("protocol-signed-ky")


def test_the_calendar_plan_reads_in_kazakh(portal, db):
    ccm_election(slug="plan-kk")  # announced, with the ccm-ngo-2024 plan
    page = portal.page
    portal.goto("/kk/elections/plan-kk/calendar/")
    body = page.locator("main").inner_text()
    assert "ЕҮК хатшылығы" in body and "Сайлаудың басталғаны туралы хабарландыру" in body
    portal.axe(name="calendar-kk")
    portal.shot("calendar-kk")
    portal.goto("/ky/elections/plan-kk/calendar/")  # no Kyrgyz text for this plan: Russian, never blank
    assert "Секретариат СКК" in page.locator("main").inner_text()
