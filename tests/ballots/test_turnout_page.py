"""What the turnout page and the voting page show in words: the regions by their names, the
counting method with the contest's own number of marks."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from freezegun import freeze_time

from accounts.models import Role
from ballots.models import Method
from ballots.selectors import turnout_by_region
from tests.ballots.fixtures import OPEN
from tests.factories import user_with_role
from voters.regions import REGION_LABELS

pytestmark = pytest.mark.django_db


def test_turnout_by_region_names_the_regions(client, vote):
    region = vote["registrations"][0].region
    observer = user_with_role(Role.OBSERVER, election=vote["election"])
    with freeze_time(OPEN):
        client.force_login(observer)
        page = client.get(reverse("ballots:turnout", args=[vote["election"].slug])).content.decode()
    with translation.override("ru"):
        name = str(REGION_LABELS[region])
        assert [str(r["label"]) for r in turnout_by_region(vote["election"])] == [name]
    assert name != region
    assert f"<td>{name}</td>" in page and f"<td>{region}</td>" not in page


def test_a_plurality_ballot_says_how_many_marks_it_allows(client, vote):
    from ballots.models import Contest

    Contest.objects.filter(pk=vote["contest"].pk).update(max_choices=2)
    observer = user_with_role(Role.OBSERVER, election=vote["election"])
    with freeze_time(OPEN):
        client.force_login(observer)
        page = client.get(reverse("ballots:info", args=[vote["election"].slug])).content.decode()
    with translation.override("ru"):
        expected = gettext("Plurality (choose up to %(n)s)") % {"n": 2}
        plain = str(Method.PLURALITY.label)
    assert expected in page
    assert "(выбрать до N)" not in page and "(choose up to N)" not in page
    assert "N)" not in plain  # where no contest is at hand (forms, filters), no placeholder either
