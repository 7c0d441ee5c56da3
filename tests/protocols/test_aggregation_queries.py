"""Election night at scale (issue 23): the TEC summary tables and the CEC results of a whole
local-council election are built in a number of queries that does not grow with the districts or
the precincts, and the batch gives exactly what the district-by-district services give.

Built with the benchmark's own set-up (``benchmarks/bench_aggregation.py``): councils of signed and
accepted precinct protocols, written with bulk_create."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import Role
from benchmarks.bench_aggregation import PINNED_QUERIES, aggregate, build_counting_election
from elections.audit import verify_chain
from elections.models import AuditEntry
from protocols.models import ContestCount, Protocol
from protocols.services.aggregation import (
    central_result_build,
    central_results_build,
    territorial_summaries_build,
    territorial_summary_build,
)
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("districts", "precincts"), [(2, 3), (6, 7)])
def test_whole_election_is_aggregated_in_the_pinned_number_of_queries(districts, precincts):
    election, _d, contests, actor, protocols = build_counting_election(
        districts, precincts, slug=f"night-{districts}"
    )
    results, measured = aggregate(election, actor)
    assert measured["tec_queries"] + measured["cec_queries"] == PINNED_QUERIES
    assert len(results) == districts
    assert sum(r.figures["ballots_valid"] for r in results) == sum(
        p.figures["ballots_valid"] for p in protocols
    )
    assert all(r.prefilled["blockers"] == [] and r.outcome["count_id"] for r in results)
    assert ContestCount.objects.filter(contest__in=contests).count() == districts
    assert verify_chain().ok  # the batch entries chain like single ones


def test_batch_gives_what_the_district_services_give():
    election, districts, contests, actor, _p = build_counting_election(3, 4, slug="night-same")
    one_by_one = {
        c.pk: territorial_summary_build(contest=c, district=d, actor=actor)
        for c, d in zip(contests, districts, strict=True)
    }
    batch = {s.contest_id: s for s in territorial_summaries_build(election=election, actor=actor).built}
    for contest_id, single in one_by_one.items():
        again = batch[contest_id]
        assert again.pk == single.pk  # the drafts are refreshed in place, not duplicated
        assert (again.figures, again.votes) == (single.figures, single.votes)
        strip = lambda p: {k: v for k, v in p.prefilled.items() if k != "built_at"}  # noqa: E731
        assert strip(again) == strip(single)
    Protocol.objects.filter(level="territorial").update(status="signed")
    singles = {c.pk: central_result_build(contest=c, actor=actor) for c in contests}
    for result in central_results_build(election=election, actor=actor).built:
        assert result.pk == singles[result.contest_id].pk
        assert result.outcome["seats"] == singles[result.contest_id].outcome["seats"]
        assert result.votes == singles[result.contest_id].votes


def test_signed_tables_are_left_alone_and_named_with_the_reason():
    election, districts, contests, actor, _p = build_counting_election(3, 2, slug="night-frozen")
    first = territorial_summaries_build(election=election, actor=actor).built
    Protocol.objects.filter(pk=first[0].pk).update(status="signed")
    before = Protocol.objects.get(pk=first[0].pk).prefilled
    report = territorial_summaries_build(election=election, actor=actor)
    assert [s.pk for s in report.built] == [s.pk for s in first[1:]]
    assert [number for number, _reason in report.skipped] == [districts[0].number]
    assert "подписан" in report.skipped[0][1]  # the reason in plain words
    assert Protocol.objects.get(pk=first[0].pk).prefilled == before
    entries = AuditEntry.objects.filter(action="protocols.summary.built", election=election)
    assert entries.count() == 3 + 2  # one per table built, the left-alone one not again


def test_only_the_election_wide_roles_build_every_table_at_once():
    election, _d, _c, _actor, _p = build_counting_election(2, 2, slug="night-roles")
    from groups.models import Commission

    tec = Commission.objects.filter(election=election, kind="tec").first()
    member = user_with_role(Role.COMMISSION_MEMBER, election=election, commission=tec)
    with pytest.raises(PermissionDenied):
        territorial_summaries_build(election=election, actor=member)
    with pytest.raises(PermissionDenied):  # the CEC's result too needs the CEC or the secretariat
        central_results_build(election=election, actor=member)
    assert not Protocol.objects.filter(election=election, level="territorial").exists()


def test_secretariat_builds_every_table_from_the_councils_page(client):
    election, _d, _c, actor, _p = build_counting_election(2, 2, slug="night-page")
    client.force_login(actor)
    index = reverse("protocols:aggregation_index", kwargs={"slug": election.slug})
    page = client.get(index).content.decode()
    assert "Составить сводные таблицы всех округов" in page
    answer = client.post(
        reverse("protocols:aggregation_build_all", kwargs={"slug": election.slug}), follow=True
    )
    assert "Составлено сводных таблиц: 2" in answer.content.decode()
    assert Protocol.objects.filter(election=election, level="territorial", status="draft").count() == 2
    Protocol.objects.filter(election=election, level="territorial").update(status="signed")
    answer = client.post(
        reverse("protocols:aggregation_results_build_all", kwargs={"slug": election.slug}), follow=True
    )
    assert "Определено результатов: 2" in answer.content.decode()
    again = client.post(
        reverse("protocols:aggregation_build_all", kwargs={"slug": election.slug}), follow=True
    )
    assert "Округ № 1 оставлен как есть" in again.content.decode()
