"""Anonymised ballot sets (issue 21): after the close, each contest voted in the portal publishes
its ballots as the bulletin board shows them (JSON, CSV, BLT for ranked contests); anyone recounts
them with ``tally --ballots`` (or ``--blt``) to the portal's own result, and the JSON carries the
fingerprint printed on the protocol. Before the close nothing is out; a contest counted only at
precincts says its protocols are its record. Signed protocols are listed with their documents."""

import io
import json

import pytest
from freezegun import freeze_time

from ballots import services as ballot_services
from ballots.models import Ballot, Contest, ContestOption
from ballots.services import VotingRefused
from elections.services import election_transition
from protocols.counting.cli import main
from protocols.services import contest_count
from tests.ballots.fixtures import AFTER, _counting_member

pytestmark = pytest.mark.django_db


def _recount(tmp_path, body: bytes, suffix: str, *args):
    path = tmp_path / f"ballots.{suffix}"
    path.write_bytes(body)
    out, err = io.StringIO(), io.StringIO()
    flag = "--blt" if suffix == "blt" else "--ballots"
    code = main([flag, str(path), *args], out, err)
    assert code in (0, 3), err.getvalue()
    return json.loads(out.getvalue())


def _ranked(vote):
    """The ``vote`` contest turned into a two-seat STV contest with three candidates."""
    Contest.objects.filter(pk=vote["contest"].pk).update(
        method="stv-scottish", seats=2, alternates=0, has_against_all=False
    )
    contest = Contest.objects.get(pk=vote["contest"].pk)
    ContestOption.objects.filter(contest=contest, kind="against_all").delete()
    c = ContestOption.objects.create(contest=contest, kind="candidate", label_ru="Васильева Вера", position=3)
    a, b = vote["alpha"].code, vote["beta"].code
    rankings = [[a, c.code]] * 6 + [[b, a]] * 4 + [[c.code, b, a]] * 3 + [[b]] * 2 + [[]]
    Ballot.objects.bulk_create(Ballot(contest=contest, choices=r, channel="online") for r in rankings)
    Ballot.objects.create(contest=contest, choices=[a], status="invalid", channel="online")
    return contest


def test_nothing_is_out_before_the_close_and_a_ranked_set_recounts_to_the_portals_count(
    vote, client, tmp_path
):
    contest = _ranked(vote)
    slug = vote["election"].slug
    listed = client.get(f"/api/v1/elections/{slug}/contests/").json()["items"]
    assert [c["ballot_sets"] for c in listed] == [{}]
    assert client.get(f"/api/v1/elections/{slug}/contests/{contest.pk}/ballots.json").status_code == 404

    with freeze_time(AFTER):
        election_transition(election=vote["election"], transition="close_voting", actor=None)
    portal = contest_count(contest=contest, actor=None).report
    links = client.get(f"/api/v1/elections/{slug}/contests/").json()["items"][0]["ballot_sets"]
    assert sorted(links) == ["blt", "csv", "json"]

    answers = {fmt: client.get(url) for fmt, url in links.items()}
    assert all(a.status_code == 200 for a in answers.values())
    assert answers["csv"]["Content-Type"].startswith("text/csv")
    document = answers["json"].json()
    from ballots.selectors import ballot_set_fingerprint

    assert document["fingerprint"] == ballot_set_fingerprint(contest)
    assert len(document["ballots"]) == 17 and document["contest"]["method"] == "stv-scottish"
    assert all(set(b) == {"receipt", "status", "choices"} for b in document["ballots"])

    recounts = [
        _recount(tmp_path, answers["json"].content, "json"),
        _recount(tmp_path, answers["csv"].content, "csv", "--method", "stv-scottish", "--seats", "2"),
        _recount(tmp_path, answers["blt"].content, "blt", "--method", "stv-scottish"),
    ]
    for report in recounts:
        assert report["elected"] == portal["elected"] == ["Алиева Айгуль", "Борисов Бекзат"]
        assert report["stages"] == portal["stages"]


def test_a_plurality_set_holds_its_paper_batches_and_offers_no_blt(counted, client, tmp_path):
    contest = counted["contest"]
    for email in ("p1@example.org", "p2@example.org"):  # double entry: two members, the same figures
        ballot_services.paper_tally_enter(
            contest=contest,
            actor=_counting_member(counted, email),
            batch="Урна 1",
            counts={counted["beta"].code: 3},
            invalid=1,
            invalid_reasons="две отметки",
        )
    slug = counted["election"].slug
    base = f"/api/v1/elections/{slug}/contests/{contest.pk}/ballots"
    document = client.get(f"{base}.json").json()
    assert document["paper_batches"] == [
        {"batch": "Урна 1", "counts": {counted["beta"].code: 3}, "blank": 0, "invalid": 1, "late": 0}
    ]
    assert len(document["ballots"]) == 2 and all(b["receipt"] for b in document["ballots"])
    blt = client.get(f"{base}.blt")
    assert blt.status_code == 404 and "не ранжир" in blt.json()["detail"]
    portal = contest_count(contest=contest, actor=None).report
    report = _recount(tmp_path, client.get(f"{base}.json").content, "json")
    assert (report["elected"], report["alternates"]) == (portal["elected"], portal["alternates"])
    assert report["stages"][0]["tallies"] == portal["stages"][0]["tallies"]


def test_a_council_counted_at_the_precincts_has_no_ballot_set(kg_published, client):
    slug, contest = kg_published["election"].slug, kg_published["contest"]
    listed = client.get(f"/api/v1/elections/{slug}/contests/").json()["items"]
    assert [c["ballot_sets"] for c in listed] == [{}]
    answer = client.get(f"/api/v1/elections/{slug}/contests/{contest.pk}/ballots.json")
    assert answer.status_code == 404 and "протокол" in answer.json()["detail"]


def test_the_signed_protocols_are_listed_with_their_documents(kg_published, client):
    slug = kg_published["election"].slug
    page = client.get(f"/api/v1/elections/{slug}/protocols/").json()
    levels = sorted(p["level"] for p in page["items"])
    assert levels == ["central", "precinct", "precinct", "territorial"]
    assert all(p["status"] == "signed" and len(p["data_sha256"]) == 64 for p in page["items"])
    one = client.get(f"/api/v1/elections/{slug}/protocols/?unit=1001").json()["items"]
    assert [p["unit_number"] for p in one] == [1001]
    for document in (d for p in page["items"] for d in p["documents"]):
        assert client.get(document["url"]).status_code == 200  # public once published


def test_a_ranked_contests_paper_ballots_are_entered_one_by_one_never_as_totals(vote):
    contest = _ranked(vote)
    member = _counting_member(vote, "p1@example.org")
    with pytest.raises(VotingRefused, match="каждый бумажный бюллетень отдельно"):
        ballot_services.paper_tally_enter(
            contest=contest, actor=member, batch="1", counts={vote["alpha"].code: 3}
        )
