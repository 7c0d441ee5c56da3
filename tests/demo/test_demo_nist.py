"""The demo's local-council election, certified and published (in this test's savepoint), exports
its results in the NIST SP 1500-100 v2 format, valid against the official schema (issue 21)."""

import json
from pathlib import Path

import pytest
from django.conf import settings

from elections.models import Election
from tests.protocols.publication_fixtures import publish

SCHEMA = (
    Path(settings.BASE_DIR).parent
    / "shared"
    / "standards"
    / "nist-1500-100-v2"
    / "NIST_V2_election_results_reporting.json"
)


@pytest.mark.django_db
def test_the_published_demo_election_exports_valid_nist_results(demo, client):
    import jsonschema

    if not SCHEMA.exists():
        pytest.skip("the NIST schema is not beside the repository (../shared/standards/)")
    kg = publish(Election.objects.get(slug="kg-local-2016"))
    document = client.get(f"/api/v1/elections/{kg.slug}/nist-results.json").json()
    validator = jsonschema.Draft4Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert [e.message for e in validator.iter_errors(document)] == []
    contests = document["Election"][0]["Contest"]
    assert {c["@type"] for c in contests} == {
        "ElectionResults.PartyContest",
        "ElectionResults.CandidateContest",
    }
    precincts = [u for u in document["GpUnit"] if u["Type"] == "precinct"]
    assert len(precincts) == 6
