"""Contract tests of the public API (issue 21): schemathesis generates requests from the served
OpenAPI schema (bounded examples) against the portal with a published election; no answer is a
server error and every answer matches the schema."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_keeps_its_contract(case, kg_published):
    case.call_and_validate()
