"""The counting commission enters the paper ballots twice (double entry) and both members present
sign the group's protocol with their passwords."""

import datetime as dt

from ballots import services as ballot_services
from ballots.models import PaperTally
from elections.models import Election
from elections.services import election_transition

from .setup import ALMATY, PASSWORD, candidates_on_the_ballot, ccm_election


def test_counting_commission_enters_paper_ballots_and_signs_the_protocol(portal, tmp_path, settings):
    from protocols.models import Protocol

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    data = ccm_election(voting_now=True)
    secretary = data["members"][1].user
    secretary.set_password(PASSWORD)
    secretary.save()
    contest = candidates_on_the_ballot(data)
    ballot_services.voting_settings_save(
        election=data["election"], actor=None, double_entry=True, reminder_times=[]
    )
    election = election_transition(election=data["election"], transition="open_registration", actor=None)
    election = election_transition(election=election, transition="open_voting", actor=None)
    page = portal.page
    codes = {o.label_ru: o.code for o in contest.options.all()}

    # each member enters the same batch; the second entry makes it count
    for email in ("chair@example.org", "secretary@example.org"):
        portal.login(email, PASSWORD)
        portal.goto(f"/en/elections/journey/voting/contests/{contest.pk}/paper/")
        portal.axe(name="paper-entry")
        page.locator("#id_batch").fill("Урна № 1")
        page.locator("#id_channel").select_option("paper")
        page.locator(f"[name=option_{codes['Динара Оспанова']}]").fill("5")
        page.locator(f"[name=option_{codes['Айжан Мусина']}]").fill("3")
        page.locator("#id_invalid").fill("1")
        page.locator("[name=invalid_reasons]").fill("Отмечены два кандидата.")
        page.get_by_role("button", name="Enter the batch").click()
        page.wait_for_load_state()
        portal.logout()
    assert PaperTally.objects.filter(contest=contest, batch="Урна № 1").count() == 2
    portal.login("chair@example.org", PASSWORD)
    portal.shots(f"/elections/journey/voting/contests/{contest.pk}/paper/", "paper-entry")

    # voting closes (the clock is moved to the end of the window); counting starts
    Election.objects.filter(pk=election.pk).update(
        voting_ends_at=dt.datetime.now(ALMATY) - dt.timedelta(seconds=1)
    )
    election_transition(election=Election.objects.get(pk=election.pk), transition="close_voting", actor=None)

    portal.goto("/en/elections/journey/results/protocols/")
    portal.axe(name="protocols")
    page.get_by_role("button", name="Start the protocol").first.click()
    page.wait_for_url("**/results/protocols/*/")
    assert page.locator(f"#vote-{codes['Динара Оспанова']}").input_value() == "5"  # pre-filled from the count
    page.locator("#process_description").fill("Голосование на собрании группы; бюллетени пересчитаны дважды.")
    page.locator("#observers_note").fill("Наблюдателей на собрании не было.")
    page.locator("#decision_text").fill("Членом СКК избрана кандидат, набравшая больше голосов.")
    page.locator("#fig-observers").fill("0")  # the commission enters who was present
    # the assembly's voters were marked on the paper list, not in the portal: the checks that
    # compare ballots with participations fail and are explained (the protocol records why)
    failed = page.locator("#checks li.check-failed")
    failed_codes = [failed.nth(i).get_attribute("data-check") for i in range(failed.count())]
    assert failed_codes, "the paper-only count should leave a check to explain"
    for code in failed_codes:
        page.locator(f"#expl-{code}").fill("Избиратели собрания отмечены в бумажном списке регистрации.")
    page.locator("#save-protocol").click()
    page.wait_for_load_state()
    assert page.locator("#checks li.check-failed").count() == 0
    portal.axe(name="protocol")
    page.locator("#sign-password").fill(PASSWORD)
    page.locator("#sign-form").get_by_role("button", name="Sign the protocol").click()
    page.wait_for_load_state()
    protocol = Protocol.objects.get(contest=contest)
    assert protocol.status != "signed" and protocol.signatures.count() == 1
    protocol_path = page.url.removeprefix(portal.base)
    portal.logout()

    portal.login("secretary@example.org", PASSWORD)
    portal.goto(protocol_path)
    page.locator("#sign-password").fill(PASSWORD)
    page.locator("#sign-form").get_by_role("button", name="Sign the protocol").click()
    page.wait_for_load_state()
    protocol.refresh_from_db()
    assert protocol.status == "signed" and protocol.data_sha256 and protocol.frozen_at
    assert page.locator("#fingerprints").is_visible()
    portal.shots(protocol_path, "protocol-signed")
