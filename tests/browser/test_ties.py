"""The counting commission's chair meets a tie in the browser (issue 15): the protocol page shows the
tie with the group's rule and no member, signing is blocked; the chair records the lot drawn in the
session — a wrong order is refused with a plain reason — and the protocol then names the member and
the alternate with the decision printed beside them. Screenshots in Russian and English."""

import datetime as dt

from django.utils import timezone
from freezegun import freeze_time

from ballots import services as ballot_services
from elections.services import election_transition
from protocols.services.protocol import protocol_create
from tests.ballots.fixtures import AFTER, OPEN, vote  # noqa: F401 - the fixture of the voting tests
from tests.factories import PASSWORD
from tests.protocols.conftest import commission_member


def test_the_chair_records_the_commissions_decision_on_a_tie(portal, vote):  # noqa: F811
    commission = vote["commission"]
    chair = commission_member(commission, "chair@example.org", "chair", "Асанова Гульмира")
    commission_member(commission, "member@example.org", "member", "Волков Иван")
    with freeze_time(OPEN):
        ballot_services.ballot_cast(credential=vote["credentials"][0], choices=[vote["alpha"].code])
        ballot_services.ballot_cast(credential=vote["credentials"][1], choices=[vote["beta"].code])
    with freeze_time(AFTER):
        election = election_transition(election=vote["election"], transition="close_voting", actor=None)
    protocol = protocol_create(contest=vote["contest"], level="group", commission=commission, actor=chair)
    page = portal.page
    slug = election.slug

    portal.login("chair@example.org", PASSWORD)
    portal.shots(f"/elections/{slug}/results/protocols/{protocol.pk}/", "tie-open")
    portal.goto(f"/en/elections/{slug}/results/protocols/{protocol.pk}/")
    assert page.locator("#tie-blocks").is_visible()
    assert "Equal votes for the member's seat" in page.locator("#ties").inner_text()
    assert page.locator("#sign-form button[type=submit]").is_disabled()

    page.locator("#decide-tie").click()
    page.wait_for_url("**/tie/")
    portal.shot("tie-decision-en")
    portal.axe(name="tie-decision")
    # wrong input: both candidates in first place
    page.locator("#id_place_0").select_option("1")
    page.locator("#id_place_1").select_option("1")
    page.get_by_label("A lot drawn in the session").check()
    held = timezone.localtime(timezone.now() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    page.locator("#id_held_at").fill(held)
    page.locator("#id_conducted_by").fill("Асанова Гульмира, председатель")
    page.locator("#id_details").fill("Два конверта; вытянут конверт с именем Борисова.")
    page.locator("#id_confirm").check()
    page.get_by_role("button", name="Record the commission's decision").click()
    page.wait_for_load_state()
    assert "Give each candidate a different place" in page.content()
    portal.shot("tie-decision-refused-en")
    # the order decided: the drawn name first
    names = protocol.outcome["unresolved_tie"]["candidates"]
    first = names.index("Борисов Бекзат")
    page.locator(f"#id_place_{first}").select_option("1")
    page.locator(f"#id_place_{1 - first}").select_option("2")
    page.locator("#id_confirm").check()
    page.get_by_role("button", name="Record the commission's decision").click()
    page.wait_for_url(f"**/results/protocols/{protocol.pk}/")
    outcome = page.locator("#outcome").inner_text()
    assert "Борисов Бекзат" in outcome and "Алиева Айгуль" in outcome
    assert "Decided by the commission" in page.locator("#ties").inner_text()
    assert page.locator("#tie-blocks").count() == 0
    portal.shots(f"/elections/{slug}/results/protocols/{protocol.pk}/", "tie-decided")
