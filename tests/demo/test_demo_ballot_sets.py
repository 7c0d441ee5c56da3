"""Every demo contest recounted from what the portal publishes (issue 21), as an outsider would,
through the public API and ``tally``:

* the CCM groups voted in the portal: each contest's anonymised ballot set (JSON and CSV) recounts
  to the portal's own result — the signed protocol's outcome where there is one, else the portal's
  count (the tie the commission must still decide stays a tie) — and its fingerprint is the
  protocol's;
* the local councils counted at the precincts: the precinct protocols of the published results,
  added up and counted by the council's method, give the published seats.
"""

import csv
import io
import json

import pytest

from ballots.models import Contest
from elections.models import Election
from protocols.counting.cli import main
from protocols.models import Protocol
from protocols.services import contest_count
from tests.protocols.publication_fixtures import publish

pytestmark = pytest.mark.django_db


def _tally(tmp_path, name: str, body: bytes, *args) -> tuple[int, dict]:
    path = tmp_path / name
    path.write_bytes(body)
    out, err = io.StringIO(), io.StringIO()
    code = main([*args, str(path)], out, err)
    assert code in (0, 3), err.getvalue()
    return code, json.loads(out.getvalue())


def test_every_ccm_contest_recounts_from_its_ballot_set_to_the_portals_result(demo, client, tmp_path):
    slug = "ccm-kz-2024"
    contests = client.get(f"/api/v1/elections/{slug}/contests/?limit=100").json()["items"]
    assert len(contests) == 6 and all(c["ballot_sets"] for c in contests)
    statuses = []
    for item in contests:
        contest = Contest.objects.get(pk=item["id"])
        signed = Protocol.objects.filter(contest=contest, status=Protocol.Status.SIGNED).first()
        expected = signed.outcome if signed else contest_count(contest=contest, actor=None).report
        document = client.get(item["ballot_sets"]["json"])
        code, report = _tally(tmp_path, "set.json", document.content, "--ballots")
        assert report["status"] == expected["status"], item["title"]
        statuses.append(report["status"])
        assert report["elected"] == expected["elected"] and report["alternates"] == expected["alternates"]
        if signed:
            assert document.json()["fingerprint"] == signed.ballots_fingerprint
            assert report["stages"][0]["tallies"] == {
                o.label_ru: str(signed.votes.get(o.code, 0))
                for o in contest.options.all()
                if o.kind != "against_all"
            }
        args = [
            "--method",
            item["method"],
            "--seats",
            str(item["seats"]),
            "--alternates",
            str(item["alternates"]),
        ]
        args += ["--tie-rule", item["tie_rule"], "--tie-fallback", "commission", "--ballots"]
        csv_code, from_csv = _tally(
            tmp_path, "set.csv", client.get(item["ballot_sets"]["csv"]).content, *args
        )
        assert (csv_code, from_csv["elected"], from_csv["alternates"]) == (
            code,
            report["elected"],
            report["alternates"],
        )
    assert statuses.count("tie_unresolved") == 1  # the demo's tie, left to the commission by the recount too


def test_every_council_recounts_from_its_published_precinct_protocols(demo, client, tmp_path):
    kg = publish(Election.objects.get(slug="kg-local-2016"))
    results = client.get(f"/api/v1/elections/{kg.slug}/results/").json()
    contests = {c["id"]: c for c in client.get(f"/api/v1/elections/{kg.slug}/contests/").json()["items"]}
    assert len(results["contests"]) == 2
    for contest in results["contests"]:
        meta = contests[contest["id"]]
        assert meta["ballot_sets"] == {}  # counted at the precincts, not in the portal
        precincts = [p for p in contest["lower_protocols"] if p["level"] == "precinct"]
        assert len(precincts) == 3
        kinds = {o["code"]: o["kind"] for o in meta["options"]}
        votes: dict[str, int] = {}
        invalid = 0
        for protocol in precincts:
            invalid += protocol["figures"]["ballots_invalid"]
            for option in protocol["options"]:
                votes[option["code"]] = votes.get(option["code"], 0) + option["votes"]
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["name", "votes", "kind"])
        for option in meta["options"]:
            if kinds[option["code"]] != "against_all":
                writer.writerow([option["label"], votes.get(option["code"], 0), "list"])
        writer.writerow(["", sum(v for c, v in votes.items() if kinds[c] == "against_all"), "against_all"])
        writer.writerow(["", invalid, "invalid"])
        args = ["--method", meta["method"], "--seats", str(meta["seats"]), "--tie-rule", meta["tie_rule"]]
        if meta["method"] == "plurality":
            args += ["--alternates", str(meta["alternates"])]
        if meta["threshold_percent"] is not None:
            args += ["--threshold", meta["threshold_percent"], "--threshold-base", meta["threshold_base"]]
        _code, report = _tally(
            tmp_path, "votes.csv", out.getvalue().encode(), *args, "--tie-fallback", "commission", "--votes"
        )
        published = {
            o["label"]: o["seats"] or (1 if o["elected"] else 0) for o in contest["result"]["options"]
        }
        published = {name: seats for name, seats in published.items() if seats}
        assert report["seats"] == published, contest["title"]
