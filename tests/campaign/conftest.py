"""A local-council election in its campaign: the ``kg_polling`` structure (a city council with two
precincts under a TEC) and a party's list owned by the party's user, whose fund the party's
financial representative reports on; the fund rules of the election (a cap of 100,000 per citizen,
foreign and anonymous donors forbidden)."""

from decimal import Decimal

import pytest

from tests.factories import PASSWORD, user_with_role
from tests.polling.conftest import kg_polling  # noqa: F401 - the fixture


@pytest.fixture
def kg_campaign(kg_polling):  # noqa: F811
    from accounts.models import Role
    from campaign import services
    from candidates.models import PartyList

    k = kg_polling
    owner = user_with_role(
        Role.PARTY_REPRESENTATIVE,
        election=k["election"],
        email="party@example.org",
        full_name="Партийный Представитель",
    )
    party = PartyList.objects.create(
        election=k["election"],
        unit=k["district"],
        commission=k["tec"],
        party_name="Зелёная долина",
        representative=owner,
    )
    services.fund_rules_save(
        election=k["election"],
        actor=None,
        cap_person=Decimal("100000"),
        cap_organisation=None,
        forbidden=["foreign", "anonymous"],
    )
    return {**k, "party": party, "owner": owner, "password": PASSWORD}
