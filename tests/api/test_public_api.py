"""The public read API (issue 21): the OpenAPI 3 schema, elections and their structure, results
only once published, ETag/304, CORS for GET from any origin, pagination, no personal data
anywhere; the NIST SP 1500-100 v2 export validates against the official schema, through the API
and the ``export_results`` command."""

import io
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

pytestmark = pytest.mark.django_db
SCHEMA = (
    Path(settings.BASE_DIR).parent
    / "shared"
    / "standards"
    / "nist-1500-100-v2"
    / "NIST_V2_election_results_reporting.json"
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
#: a telephone written internationally (+996 555 000 111) or a long personal/registration number
PHONE = re.compile(r"\+\d{1,3}[\s(-]*\d{2,4}[\s)-]*\d{3}[\s-]*\d{2,4}|(?<![\w.])\d{10,}(?![\w.])")
BIRTH = re.compile(r'"(birth_date|date_of_birth|document_number|passport|email|phone)"', re.I)


def _nist_validator():
    import jsonschema

    if not SCHEMA.exists():
        pytest.skip("the NIST schema is not beside the repository (../shared/standards/)")
    return jsonschema.Draft4Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


def test_the_schema_is_an_openapi_3_document_listing_the_endpoints(client):
    schema = client.get("/api/v1/schema/").json()
    assert schema["openapi"].startswith("3.")
    for path in (
        "/api/v1/elections/",
        "/api/v1/elections/{slug}/results/",
        "/api/v1/elections/{slug}/nist-results.json",
    ):
        assert path in schema["paths"], path


def test_results_are_public_only_once_published_and_answers_carry_etag_and_cors(kg_counting, client):
    slug = kg_counting["election"].slug
    assert client.get(f"/api/v1/elections/{slug}/results/").status_code == 404
    assert client.get(f"/api/v1/elections/{slug}/nist-results.json").status_code == 404
    first = client.get("/api/v1/elections/", HTTP_ORIGIN="https://media.example.org")
    assert first.status_code == 200 and first["Access-Control-Allow-Origin"] == "*"
    assert client.get("/api/v1/elections/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert [e["slug"] for e in first.json()["items"]] == [slug]
    page = client.get(f"/api/v1/elections/{slug}/units/?kind=precinct&limit=1").json()
    assert page["count"] == 2 and len(page["items"]) == 1


def test_the_nist_export_of_a_published_election_validates(kg_published, ccm_published, client):
    validator = _nist_validator()
    for election in (kg_published["election"], ccm_published["election"]):
        document = client.get(f"/api/v1/elections/{election.slug}/nist-results.json").json()
        errors = [e.message for e in validator.iter_errors(document)]
        assert errors == [], errors[:3]
        counts = [
            vc
            for c in document["Election"][0]["Contest"]
            for s in c["ContestSelection"]
            for vc in s["VoteCounts"]
        ]
        assert counts and all(vc["Count"] >= 0 for vc in counts)
    out = io.StringIO()
    call_command(
        "export_results", "--election", kg_published["election"].slug, "--format", "nist", stdout=out
    )
    assert json.loads(out.getvalue())["@type"] == "ElectionResults.ElectionReport"


def test_export_results_refuses_an_unpublished_election(kg_counting, capsys):
    with pytest.raises(SystemExit) as exit_:
        call_command("export_results", "--election", kg_counting["election"].slug, "--format", "nist")
    assert exit_.value.code == 1 and "not published" in capsys.readouterr().err


def test_no_endpoint_shows_personal_data_to_anyone(kg_published, ccm_published, client):
    """Every endpoint of both published elections as an anonymous client, each contest's ballot
    set in every format: no e-mail address, telephone number, document number or birth date."""
    schema = client.get("/api/v1/schema/").json()
    seen = set()
    for election in (kg_published["election"], ccm_published["election"]):
        contests = [c.pk for c in election.contests.all()]
        for path in schema["paths"]:
            urls = [path.replace("{slug}", election.slug)]
            urls = [u.replace("{contest_id}", str(pk)) for u in urls for pk in contests]
            urls = [u.replace("{fmt}", fmt) for u in urls for fmt in ("json", "csv", "blt")]
            for url in dict.fromkeys(urls):
                response = client.get(url)
                if response.status_code != 200 or path.endswith("/schema/"):
                    continue
                body = response.content.decode()
                seen.add(path)
                assert not EMAIL.search(body), url
                assert not PHONE.search(body), url
                assert not BIRTH.search(body), url
    assert len(seen) >= 11 and "/api/v1/elections/{slug}/contests/{contest_id}/ballots.{fmt}" in seen


def test_preliminary_results_are_public_after_close_marked_and_counted(kg_counting, client):
    from protocols.models import PreliminaryResult
    from protocols.services.preliminary import preliminary_record

    k = kg_counting
    codes = [o.code for o in k["options"]]
    preliminary_record(
        contest=k["contest"],
        unit=k["precincts"][0],
        figures={"ballots_in_boxes": 600, "ballots_invalid": 0, "ballots_valid": 600},
        votes=dict(zip(codes, [300, 200, 100], strict=True)),
        source=PreliminaryResult.Source.AUTOMATED,
        actor=None,
    )
    slug = k["election"].slug
    api = client.get(f"/api/v1/elections/{slug}/preliminary/").json()
    contest = api["contests"][0]
    assert api["preliminary"] is True and (contest["reported"], contest["precincts"]) == (1, 2)
    assert [o["votes"] for o in contest["options"]] == [300, 200, 100]
    page = client.get(f"/elections/{slug}/results/preliminary/").content.decode()
    assert "1 из 2" in page and "preliminary-note" in page


def test_the_browsable_docs_use_the_portals_own_files(client):
    page = client.get("/api/v1/docs/").content.decode()
    assert "swagger-ui-bundle.js" in page and "cdn" not in page.lower()


def test_the_nist_export_gives_each_unit_once_and_the_votes_against_all(kg_published, ccm_published, client):
    """Each selection counts each reporting unit once (a TEC's summary of the whole district is the
    same unit as the CEC's result), the contest's unit has the published result, its precincts add
    up to it, and "against all" is a selection of every candidate contest that counts it."""
    from protocols.publication_selectors import open_data

    for election in (kg_published["election"], ccm_published["election"]):
        document = client.get(f"/api/v1/elections/{election.slug}/nist-results.json").json()
        units = {u["@id"]: u for u in document["GpUnit"]}
        exported = {c["@id"]: c for c in document["Election"][0]["Contest"]}
        ballot_units = [b["GpUnitId"] for b in document["Election"][0]["BallotCounts"]]
        assert len(ballot_units) == len(set(ballot_units))
        for contest in open_data(election)["contests"]:
            if not contest["result"]:
                continue
            nist = exported[f"contest-{contest['id']}"]
            top = nist["ElectionDistrictId"]
            totals = {}
            for selection in nist["ContestSelection"]:
                counts = [
                    (v["GpUnitId"], v["Count"]) for v in selection["VoteCounts"] if v["Type"] == "total"
                ]
                assert len(counts) == len({uid for uid, _ in counts}), selection["@id"]
                totals[selection["@id"]] = dict(counts)
            published = {
                f"sel-{contest['id']}-{o['code']}": o["votes"]
                for o in contest["result"]["options"]
                if o["votes"] is not None
            }
            against_all = next(
                (s["number"] for s in contest["result"]["special"] if s["code"] == "against_all"), None
            )
            if against_all is not None and nist["@type"] == "ElectionResults.CandidateContest":
                published[f"sel-{contest['id']}-against-all"] = against_all
            assert {sid: totals[sid][top] for sid in published} == published
            precincts = [uid for uid in units[top].get("ComposingGpUnitIds", []) if uid.startswith("gp-p-")]
            if precincts:
                for sid, votes in published.items():
                    assert sum(totals[sid][p] for p in precincts) == votes, sid
