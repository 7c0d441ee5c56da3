"""A precinct commission goes through its voting day in the portal (issue 19; seed 003 items
44–45): the day before, it registers a voter's request to vote at home and records the mobile
ballot box's run; on the day it opens with the empty boxes shown, reports turnout, logs an
incident, and closes with the ballots issued and cancelled. An observer reads the log live; the
public reads turnout; the precinct protocol then takes lines 2–5 from the acts and the day."""

import datetime as dt
import zoneinfo

from elections.models import Election
from polling.models import HomeVotingRequest, MobileRun, PrecinctDay
from tests.polling.conftest import delivered, kg_polling, produced  # noqa: F401 - fixtures

from .setup import PASSWORD

BISHKEK = zoneinfo.ZoneInfo("Asia/Bishkek")


def test_a_pec_records_its_day_and_its_protocol_takes_the_ballot_lines_from_it(portal, delivered):  # noqa: F811
    from accounts.models import Role
    from protocols.services.protocol import protocol_create
    from tests.factories import user_with_role

    k = delivered
    election = k["election"]
    # voting day was 1 June 2025 (10:00–19:00 in Bishkek): every record of it lies in the past
    Election.objects.filter(pk=election.pk).update(
        voting_starts_at=dt.datetime(2025, 6, 1, 10, 0, tzinfo=BISHKEK),
        voting_ends_at=dt.datetime(2025, 6, 1, 19, 0, tzinfo=BISHKEK),
    )
    slug, unit = election.slug, k["precincts"][0]
    path = f"/en/elections/{slug}/polling/precincts/{unit.pk}/"
    page = portal.page
    members = list(k["pecs"][0].members.filter(is_active=True).order_by("pk"))

    portal.login("pec1001@example.org", PASSWORD)
    portal.goto(path)
    # the eve: a request, then the mobile box with two members
    form = page.locator("#request-form")
    form.locator("#id_voter_name").fill("Асанов Бакыт")
    form.locator("#id_address").fill("ул. Ленина, 5, кв. 2")
    form.locator("#id_reason").fill("болезнь")
    form.locator("#id_how").select_option("oral")
    form.locator("#id_received_at").fill("2025-05-31T09:00")
    form.get_by_role("button", name="Register").click()
    page.wait_for_load_state()
    request = HomeVotingRequest.objects.get(unit=unit)
    assert "Асанов Бакыт" in page.locator("#home-requests").inner_text()

    run = page.locator("#run-form")
    run.locator("#id_box").fill("П-1")
    run.locator("#id_left_at").fill("2025-06-01T11:00")  # voting day: refused, the eve only
    run.locator("#id_returned_at").fill("2025-06-01T12:00")
    for member in members[:2]:
        run.locator(f"input[name=members][value='{member.pk}']").check()
    run.locator(f"input[name=requests][value='{request.pk}']").check()
    contest = k["contest"].pk
    run.locator(f"#id_taken_{contest}").fill("2")
    run.locator(f"#id_issued_{contest}").fill("1")
    run.locator(f"#id_returned_{contest}").fill("1")
    run.locator("#id_confirm").check()
    run.get_by_role("button", name="Record the run").click()
    page.wait_for_load_state()
    assert "only on the day before voting day, 31.05.2025" in page.locator("#run-form").inner_text()
    assert not MobileRun.objects.exists()
    run = page.locator("#run-form")
    run.locator("#id_left_at").fill("2025-05-31T11:00")
    run.locator("#id_returned_at").fill("2025-05-31T12:00")
    run.locator("#id_confirm").check()
    run.get_by_role("button", name="Record the run").click()
    page.wait_for_load_state()
    assert MobileRun.objects.get().count(contest, "issued") == 1
    assert HomeVotingRequest.objects.get(pk=request.pk).status == "voted"

    # the day: the opening needs the boxes shown
    opening = page.locator("#open-form")
    opening.locator("#id_opened_at").fill("2025-06-01T10:00")
    opening.locator(f"input[name=members][value='{members[0].pk}']").check()
    opening.get_by_role("button", name="Record the opening").click()
    page.wait_for_load_state()
    assert "sealed" in page.locator("#open-form").inner_text() and not PrecinctDay.objects.exists()
    page.locator("#open-form #id_boxes_shown").check()
    page.locator("#open-form").get_by_role("button", name="Record the opening").click()
    page.wait_for_load_state()
    assert PrecinctDay.objects.get().opened_at.hour == 4  # 10:00 in Bishkek

    turnout = page.locator("#turnout-form")
    turnout.locator("#id_time").select_option("12:00")
    turnout.locator("#id_voters").fill("2000")  # more than the list: refused, said why
    turnout.get_by_role("button", name="Report turnout").click()
    page.wait_for_load_state()
    assert "more than the voters on the list (1000)" in page.locator("#turnout-form").inner_text()
    page.locator("#turnout-form #id_time").select_option("12:00")
    page.locator("#turnout-form #id_voters").fill("140")
    page.locator("#turnout-form").get_by_role("button", name="Report turnout").click()
    page.wait_for_load_state()
    assert "140" in page.locator("#turnout").inner_text()

    incident = page.locator("#incident-form")
    incident.locator("#id_occurred_at").fill("2025-06-01T13:05")
    incident.locator("#id_text").fill("Отключили свет на 10 минут; голосование продолжалось.")
    incident.get_by_role("button", name="Add to the log").click()
    page.wait_for_load_state()

    closing = page.locator("#close-form")
    closing.locator("#id_closed_at").fill("2025-06-01T19:05")
    closing.locator(f"#id_issued_{contest}").fill("600")
    closing.locator(f"#id_cancelled_{contest}").fill("409")
    closing.locator("#id_confirm").check()
    closing.get_by_role("button", name="Record the closing").click()
    page.wait_for_load_state()
    assert PrecinctDay.objects.get().is_closed
    portal.shots(path, "precinct-day")

    # an observer reads the log, live, without names or forms
    observer = user_with_role(Role.OBSERVER, election=election, email="observer@example.org")
    observer.set_password(PASSWORD)
    observer.save()
    portal.logout()
    portal.login("observer@example.org", PASSWORD)
    portal.goto(path)
    assert "Отключили свет" in page.locator("#incidents").inner_text()
    assert page.locator("meta[http-equiv=refresh]").count() == 1
    assert page.locator("#open-form, #incident-form, #close-form").count() == 0
    assert "Асанов" not in page.content()

    # the protocol's lines 2–5 from the acts and the day (the portal's figures, in grey)
    Election.objects.filter(pk=election.pk).update(state="counting")
    protocol = protocol_create(
        contest=k["contest"], level="precinct", commission=k["pecs"][0], unit=unit, actor=k["pec_members"][0]
    )
    assert {
        line: protocol.prefilled["figures"][line]
        for line in (
            "ballots_received",
            "ballots_issued_premises",
            "ballots_issued_outside",
            "ballots_cancelled",
        )
    } == {
        "ballots_received": 1010,
        "ballots_issued_premises": 600,
        "ballots_issued_outside": 1,
        "ballots_cancelled": 409,
    }
    portal.logout()
    portal.login("pec1001@example.org", PASSWORD)
    portal.shots(f"/en/elections/{slug}/results/protocols/{protocol.pk}/", "precinct-protocol-sources")
    portal.goto(f"/en/elections/{slug}/polling/turnout/")
    assert "140" in page.locator("#turnout-precincts").inner_text()
