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
