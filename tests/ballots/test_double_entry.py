"""Double entry that always ends (issue 15, deliverable 4).

Two members enter a paper batch with different figures: the page names the members and the lines
that differ (no codes); nobody can add a third entry; the chair orders a recount — the two entries
are kept, superseded and audited — and a new matching pair makes the batch count once. No state of
a batch is without an action for somebody."""

import itertools

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ballots import services
from ballots.models import PaperTally
from ballots.selectors import paper_batches
from elections.models import AuditEntry
from protocols.tallying import contest_tallies
from tests.ballots.fixtures import _counting_member

pytestmark = pytest.mark.django_db


def member(vote, email, position="member", name=""):
    from groups.models import CommissionMember

    user = _counting_member(vote, email)
    CommissionMember.objects.filter(commission=vote["commission"], user=user).update(position=position)
    if name:
        user.full_name = name
        user.save(update_fields=["full_name"])
    return user


@pytest.fixture
def two(vote):
    first = member(vote, "first@example.org", name="Первая Анна")
    second = member(vote, "second@example.org", name="Второй Борис")
    chair = member(vote, "chair@example.org", "chair", name="Председатель Вера")
    return {**vote, "first": first, "second": second, "chair": chair}


def enter(vote, actor, a, b, batch="Урна 1"):
    return services.paper_tally_enter(
        contest=vote["contest"],
        actor=actor,
        batch=batch,
        counts={vote["alpha"].code: a, vote["beta"].code: b},
    )


def test_a_mismatch_names_the_members_and_the_differing_lines(two, client):
    enter(two, two["first"], 10, 4)
    enter(two, two["second"], 10, 5)
    [batch] = paper_batches(two["contest"])
    assert batch["status"] == "mismatch"
    differing = [line["label"] for line in batch["lines"] if line["differs"]]
    assert differing == ["Борисов Бекзат"]
    client.force_login(two["chair"])
    page = client.get(
        reverse("ballots:paper", kwargs={"slug": two["election"].slug, "pk": two["contest"].pk}),
        HTTP_ACCEPT_LANGUAGE="ru",
    ).content.decode()
    assert "Первая Анна" in page and "Второй Борис" in page
    assert "line-differs" in page and "Борисов Бекзат" in page
    for entry in PaperTally.objects.all():
        for code in entry.counts:
            assert f"{code}=" not in page  # no option codes on the page
    assert "recount-form" in page  # the chair is offered the recount


def test_nobody_adds_a_third_entry_and_a_member_cannot_enter_twice(two):
    enter(two, two["first"], 10, 4)
    with pytest.raises(services.VotingRefused) as exc:
        enter(two, two["first"], 10, 4)
    assert exc.value.code == "duplicate_entry"
    enter(two, two["second"], 10, 5)
    with pytest.raises(services.VotingRefused) as exc:
        enter(two, two["chair"], 10, 4)
    assert exc.value.code == "batch_complete"
    assert "Первая Анна" in exc.value.messages[0]


def test_the_chair_orders_a_recount_and_a_new_pair_makes_the_batch_count_once(two):
    enter(two, two["first"], 10, 4)
    enter(two, two["second"], 10, 5)
    superseded = services.paper_batch_recount_order(
        contest=two["contest"], batch="Урна 1", actor=two["chair"], reason="разошлись голоса за Борисова"
    )
    assert superseded == 2
    [batch] = paper_batches(two["contest"])
    assert batch["status"] == "recount_ordered" and len(batch["superseded"]) == 2
    entry = AuditEntry.objects.get(action="ballots.paper_tally.recount_ordered")
    assert entry.data["reason"] == "разошлись голоса за Борисова" and len(entry.data["superseded"]) == 2
    assert contest_tallies(two["contest"])["votes"] == {}  # nothing of the batch counts now
    # the same two members count again and enter it anew
    enter(two, two["first"], 10, 5)
    enter(two, two["second"], 10, 5)
    [batch] = paper_batches(two["contest"])
    assert batch["status"] == "counted"
    tallies = contest_tallies(two["contest"])
    assert tallies["votes"] == {two["alpha"].code: 10, two["beta"].code: 5}
    assert PaperTally.objects.filter(superseded_at__isnull=False).count() == 2


def test_only_the_chair_orders_a_recount_and_a_reason_is_needed(two):
    enter(two, two["first"], 10, 4)
    enter(two, two["second"], 10, 5)
    with pytest.raises(PermissionDenied):
        services.paper_batch_recount_order(
            contest=two["contest"], batch="Урна 1", actor=two["first"], reason="x"
        )
    with pytest.raises(services.VotingRefused):
        services.paper_batch_recount_order(
            contest=two["contest"], batch="Урна 1", actor=two["chair"], reason=" "
        )
    assert paper_batches(two["contest"])[0]["status"] == "mismatch"


def test_the_recount_through_the_page_asks_for_confirmation(two, client):
    enter(two, two["first"], 10, 4)
    enter(two, two["second"], 10, 5)
    client.force_login(two["chair"])
    url = reverse("ballots:paper", kwargs={"slug": two["election"].slug, "pk": two["contest"].pk})
    client.post(url, {"action": "recount", "batch": "Урна 1", "reason": "разошлись"})
    assert paper_batches(two["contest"])[0]["status"] == "mismatch"  # not confirmed: nothing changed
    client.post(url, {"action": "recount", "batch": "Урна 1", "reason": "разошлись", "confirm": "yes"})
    assert paper_batches(two["contest"])[0]["status"] == "recount_ordered"


def test_every_state_of_a_batch_has_a_way_forward(two):
    """From every reachable state some member or the chair can act, and entering a matching pair
    after at most one recount always ends with the batch counted."""
    members = [two["first"], two["second"]]
    for a_first, a_second in itertools.product((3, 4), repeat=2):
        batch = f"Урна {a_first}{a_second}"
        enter(two, members[0], a_first, 1, batch)
        enter(two, members[1], a_second, 1, batch)
        state = next(b for b in paper_batches(two["contest"]) if b["batch"] == batch)
        if state["status"] == "mismatch":
            services.paper_batch_recount_order(
                contest=two["contest"], batch=batch, actor=two["chair"], reason="пересчёт"
            )
            enter(two, members[0], 3, 1, batch)
            enter(two, members[1], 3, 1, batch)
            state = next(b for b in paper_batches(two["contest"]) if b["batch"] == batch)
        assert state["status"] == "counted"


def test_without_double_entry_a_second_entry_is_refused_and_a_recount_corrects(two):
    from ballots.models import VotingSettings

    VotingSettings.objects.update_or_create(election=two["election"], defaults={"double_entry": False})
    enter(two, two["first"], 7, 1)
    with pytest.raises(services.VotingRefused) as exc:
        enter(two, two["second"], 8, 1)
    assert exc.value.code == "batch_complete"
    services.paper_batch_recount_order(
        contest=two["contest"], batch="Урна 1", actor=two["chair"], reason="опечатка"
    )
    enter(two, two["second"], 8, 1)
    assert contest_tallies(two["contest"])["votes"][two["alpha"].code] == 8
