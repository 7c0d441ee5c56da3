"""demo.polling (issue 19, "Done when"): in kg-local-2016 each council's ballot text is approved
by the TEC's dated decision; the print run covers every precinct's list with the reserve; ballots
went CEC → TEC → PEC by acts signed by both sides and every level balances; each PEC's protocol
takes lines 2–5 from the acts and its day, and its control checks pass; home-voting requests are
registered and counted in line 4; the calendar rows 39, 41–45 link to these functions and are
done; loading again makes nothing twice."""

import pytest
from django.urls import reverse

from ballots.approval import current_text
from ballots.models import Contest
from demo.polling import load_ballot_papers
from elections.models import CalendarActivity, Election
from polling.models import HomeVotingRequest, MobileRun, PrecinctDay, PrintRun
from protocols import ballot_stock
from protocols.models import HandoverAct, Protocol
from protocols.selectors import protocol_checks
from voters.selectors import precinct_list_sizes


@pytest.mark.django_db
def test_the_demo_ballots_are_approved_printed_handed_down_and_accounted_for(demo):
    kg = Election.objects.get(slug="kg-local-2016")
    for contest in Contest.objects.filter(election=kg, unit__isnull=False):
        text = current_text(contest)
        assert text is not None and text.decision.is_adopted and text.decision.number
        assert text.decision.decided_at.date().isoformat() == "2016-11-25"
        assert text.decision.body_name_ru.startswith("Бишкекская") or "Ибраимов" in text.decision.body_name_ru
    run = PrintRun.objects.get(election=kg)
    assert run.status == "produced"
    sizes = precinct_list_sizes(kg)
    for row in run.rows.all():
        assert row.voters_on_list == sizes[row.unit_id] and row.reserve >= 5
        assert row.total == row.voters_on_list + row.reserve
    stock = ballot_stock.stock(kg)
    assert stock["differences"] == 0 and stock["produced"] == sum(r.total for r in run.rows.all())
    assert set(HandoverAct.objects.filter(election=kg, kind="ballots").values_list("status", flat=True)) == {
        "received"
    }
    for protocol in Protocol.objects.filter(election=kg, level="precinct").exclude(status="superseded"):
        figures, source = protocol.figures, protocol.prefilled["figures"]
        for line in (
            "ballots_received",
            "ballots_issued_premises",
            "ballots_issued_outside",
            "ballots_cancelled",
        ):
            assert figures[line] == source[line], (protocol.unit.number, line)
        assert not [c for c in protocol_checks(protocol) if not c.ok]
        served = HomeVotingRequest.objects.filter(unit=protocol.unit, status="voted").count()
        assert figures["ballots_issued_outside"] == served
    assert HomeVotingRequest.objects.filter(election=kg, status="not_voted").count() == 1
    assert MobileRun.objects.filter(election=kg).count() == 5
    assert PrecinctDay.objects.filter(election=kg, closed_at__isnull=False).count() == 6
    done = dict(
        CalendarActivity.objects.filter(
            calendar__election=kg, number__in=[39, 41, 42, 43, 44, 45]
        ).values_list("number", "completed_at")
    )
    assert all(done.values()) and len(done) == 6
    load_ballot_papers(kg)  # again: nothing twice
    assert HandoverAct.objects.filter(election=kg, kind="ballots").count() == 8


@pytest.mark.django_db
def test_the_calendar_rows_link_to_the_ballot_and_day_functions(demo, client):
    from accounts.models import User

    kg = Election.objects.get(slug="kg-local-2016")
    client.force_login(User.objects.get(email="tec-bishkek@demo.example"))
    page = client.get(reverse("elections:calendar", args=[kg.slug])).content.decode()
    for url in (
        reverse("polling:print_run", args=[kg.slug]),
        reverse("polling:days", args=[kg.slug]),
        reverse("protocols:ballot_stock", args=[kg.slug]),
        reverse(
            "ballots:text", args=[kg.slug, Contest.objects.filter(election=kg).order_by("pk").first().pk]
        ),
    ):
        assert url in page, url
