"""A published local-council election (the kg fixture of tests/protocols: two precincts, their
protocols, the TEC's summary and the CEC's result, signed, certified and published) and a published
CCM election, for the public API."""

import pytest

from tests.protocols.conftest import counted, kg_counting  # noqa: F401 - fixtures
from tests.protocols.publication_fixtures import ccm_signed, kg_signed, publish


@pytest.fixture
def kg_published(kg_counting):  # noqa: F811
    kg_signed(kg_counting)
    return {**kg_counting, "election": publish(kg_counting["election"])}


@pytest.fixture
def ccm_published(counted):  # noqa: F811
    ccm_signed(counted)
    return {**counted, "election": publish(counted["election"])}
