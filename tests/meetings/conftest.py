"""Fixtures of other test packages the meetings tests use: a CCM group counted (``counted``) and
the portal's signing pair with private storage in tmp_path (``portal``)."""

from tests.protocols.conftest import counted  # noqa: F401 - a fixture
from tests.protocols.pdf_fixtures import pair, portal  # noqa: F401 - fixtures
