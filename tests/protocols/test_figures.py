"""Every figure defined once and equal to its source (issue 15, deliverable 5): the protocols list's
signatures, the observer dashboard's protocols, calendar, voters and invitations panels. Each
annotated count that crosses two joins is tested with more than one row on each side."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.models import Role
from elections.models import CalendarActivity, ElectionCalendar, PlanTemplate
from protocols.models import Protocol
from protocols.selectors import protocol_status_counts, protocols_visible_to
from protocols.services.protocol import protocol_create, protocol_sign
from tests.factories import PASSWORD, user_with_role
from tests.protocols.completing import complete_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def half_signed(counted):
    """The group protocol with three members present and two signatures (2 × 3 rows in the join)."""
    chair, secretary, member = counted["members"]
    protocol = protocol_create(
        contest=counted["contest"], level="group", commission=counted["commission"], actor=chair
    )
    protocol = complete_group(protocol, chair)
    protocol_sign(protocol=protocol, actor=chair, password=PASSWORD)
    protocol_sign(protocol=protocol, actor=secretary, password=PASSWORD)
    return {**counted, "protocol": Protocol.objects.get(pk=protocol.pk)}


def test_the_protocols_list_counts_each_signature_once(half_signed, client):
    p = half_signed["protocol"]
    assert p.signatures.count() == 2 and p.present_members.count() == 3
    [row] = protocols_visible_to(half_signed["members"][0], half_signed["election"])
    assert (row.signature_count, row.present_count) == (2, 3)
    client.force_login(half_signed["members"][0])
    page = client.get(
        reverse("protocols:list", kwargs={"slug": half_signed["election"].slug})
    ).content.decode()
    assert "2 / 3" in page and "6 / 3" not in page


def test_the_observer_dashboard_shows_the_protocols_that_exist(half_signed, client):
    election = half_signed["election"]
    observer = user_with_role(Role.OBSERVER, election=election, email="observer@example.org")
    client.force_login(observer)
    url = reverse("groups:dashboard", kwargs={"slug": election.slug})
    page = client.get(url).content.decode()
    counts = protocol_status_counts(election)["counts"]
    assert counts == {"draft": 0, "signing": 1, "signed": 0}
    assert 'data-count="signing">1<' in page
    assert 'id="protocols-none"' not in page
    for user in half_signed["members"][2:]:
        protocol_sign(protocol=half_signed["protocol"], actor=user, password=PASSWORD)
    page = client.get(url).content.decode()
    assert 'data-count="signed">1<' in page
    assert (
        reverse("protocols:detail", kwargs={"slug": election.slug, "pk": half_signed["protocol"].pk}) in page
    )


def test_overdue_is_only_what_can_still_be_done(counted):
    """At the counting stage an activity due before the vote that was never recorded as done can no
    longer be done: "not recorded as done", not "overdue"; one due after the vote is overdue."""
    election = counted["election"]
    template = PlanTemplate.objects.create(slug="t", name_ru="План", source_yaml="")
    calendar = ElectionCalendar.objects.create(election=election, template=template, template_yaml="")
    before_vote = election.voting_starts_at - dt.timedelta(days=3)
    after_vote = election.voting_ends_at + dt.timedelta(hours=1)
    now = after_vote + dt.timedelta(days=1)
    common = {"calendar": calendar, "section": 1, "section_title_ru": "Раздел", "kind": "fixed"}
    early = CalendarActivity.objects.create(number=1, title_ru="До голосования", due_at=before_vote, **common)
    late = CalendarActivity.objects.create(
        number=2, title_ru="После голосования", due_at=after_vote, **common
    )
    assert election.state == "counting"
    assert early.status_at(now) == "missed" and late.status_at(now) == "overdue"
    from elections.selectors import calendar_progress

    progress = calendar_progress(election, now)
    assert (progress["overdue"], progress["missed"], progress["total"]) == (1, 1, 2)
    election.state = "archived"
    election.save(update_fields=["state"])
    late = CalendarActivity.objects.select_related("calendar__election").get(pk=late.pk)
    assert late.status_at(now) == "missed"


def test_voters_on_the_lists_are_one_figure_for_the_dashboard_and_the_protocol(kg_counting):
    from voters.models import RegisterEntry
    from voters.selectors import precinct_list_sizes, voters_on_lists

    k = kg_counting
    first, second = k["precincts"]
    for n in range(3):
        RegisterEntry.objects.create(
            election=k["election"],
            precinct=first,
            personal_number=f"2{n:013d}",
            last_name=f"Фамилия{n}",
            first_name="Имя",
            birth_date="1980-01-01",
        )
    sizes = precinct_list_sizes(k["election"])
    assert sizes == {first.pk: 3, second.pk: 1000}  # the register for the first, the recorded number else
    totals = voters_on_lists(k["election"])
    assert totals["total"] == 1003 and totals["source"] == "mixed"
    protocol = protocol_create(
        contest=k["contest"], level="precinct", commission=k["pecs"][0], unit=first, actor=k["pec_members"][0]
    )
    assert protocol.figures["voters_on_list"] == sizes[first.pk]


def test_the_invitation_figures_equal_their_rows(counted, client):
    from voters.models import VotingCredential
    from voters.selectors import credential_counts

    election = counted["election"]
    rows = VotingCredential.objects.filter(election=election)
    counts = credential_counts(election)
    assert counts["issued"] == rows.count()
    assert counts["sent"] == rows.filter(sent_at__isnull=False).count()
    assert counts["used"] == rows.filter(used_at__isnull=False).count()
    client.force_login(user_with_role(Role.OBSERVER, election=election, email="observer2@example.org"))
    page = client.get(reverse("groups:dashboard", kwargs={"slug": election.slug})).content.decode()
    assert f'data-count="used">{counts["used"]}<' in page
    assert f'data-count="sent">{counts["sent"]}<' in page
