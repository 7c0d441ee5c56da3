"""Contract tests of the public API (issue 21): schemathesis generates requests from the served
OpenAPI schema (bounded examples) against the portal with a published election; no answer is a
server error and every answer matches the schema.

The requests go through the portal's WSGI application inside the test's transaction; like
Django's test client, the test keeps the application from closing the database connection at the
end of each request (it would close the transaction the test runs in)."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())


@pytest.fixture
def connection_kept():
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_keeps_its_contract(case, kg_published, connection_kept):
    case.call_and_validate()
