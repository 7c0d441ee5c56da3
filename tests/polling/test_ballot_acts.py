"""Ballots handed CEC → TEC → PEC by acts signed by both sides (seed 003 items 42–43): what each
commission got, handed on, has in transit and holds; refusals of a wrong pair, of more than is
held, of numbers outside the print run; the calendar marked; the stock page; totals balance for
any sequence of acts (Hypothesis)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from polling.balance import Move, balances
from protocols import ballot_stock
from protocols.models import HandoverAct
from protocols.services.acts import act_receive, act_refuse
from protocols.services.ballot_acts import ballots_hand_over
from protocols.services.protocol import ProtocolRefused
from tests.factories import PASSWORD

from .conftest import approve

pytestmark = pytest.mark.django_db


def _rows(k, *counts):
    return [
        {"contest": k["contest"], "unit": p, "count": c}
        for p, c in zip(k["precincts"], counts, strict=False)
        if c
    ]


def test_ballots_go_down_by_signed_acts_and_every_commission_holds_what_it_got_less_what_it_handed_on(
    produced,
):
    k = produced
    with pytest.raises(ProtocolRefused, match="(?i)пароль|password"):
        ballots_hand_over(
            from_commission=k["cec"],
            to_commission=k["tec"],
            rows=_rows(k, 1010, 1010),
            actor=k["cec_member"],
            password="wrong",
        )
    with pytest.raises(ProtocolRefused):  # the CEC does not skip the TEC
        ballots_hand_over(
            from_commission=k["cec"],
            to_commission=k["pecs"][0],
            rows=_rows(k, 1010),
            actor=k["cec_member"],
            password=PASSWORD,
        )
    with pytest.raises(ProtocolRefused, match="2020|1010"):  # more than the CEC holds
        ballots_hand_over(
            from_commission=k["cec"],
            to_commission=k["tec"],
            rows=_rows(k, 1500, 1010),
            actor=k["cec_member"],
            password=PASSWORD,
        )
    act = ballots_hand_over(
        from_commission=k["cec"],
        to_commission=k["tec"],
        rows=_rows(k, 1010, 1000),
        actor=k["cec_member"],
        password=PASSWORD,
    )
    assert act.kind == "ballots" and act.contents["total"] == 2010
    assert ballot_stock.held_by(k["election"], k["cec"]) == {k["contest"].pk: 10}
    with pytest.raises(ProtocolRefused):  # the TEC cannot hand on what it has not signed for
        ballots_hand_over(
            from_commission=k["tec"],
            to_commission=k["pecs"][0],
            rows=_rows(k, 1010),
            actor=k["tec_member"],
            password=PASSWORD,
        )
    act_receive(act=act, actor=k["tec_member"], password=PASSWORD)
    table = {r.commission.pk: r for r in ballot_stock.stock(k["election"])["rows"]}
    assert table[k["tec"].pk].balance.held == 2010
    assert table[k["tec"].pk].notes and "10" in table[k["tec"].pk].notes[0]  # 10 short of the plan, named
    to_pec = ballots_hand_over(
        from_commission=k["tec"],
        to_commission=k["pecs"][0],
        rows=_rows(k, 1010),
        actor=k["tec_member"],
        password=PASSWORD,
    )
    act_refuse(act=to_pec, actor=k["pec_members"][0], password=PASSWORD, reason="Пачка № 3 вскрыта.")
    assert ballot_stock.held_by(k["election"], k["tec"]) == {
        k["contest"].pk: 2010
    }  # a refused act moves nothing
    with pytest.raises((ProtocolRefused, PermissionDenied)):  # another PEC's member does not sign for it
        again = ballots_hand_over(
            from_commission=k["tec"],
            to_commission=k["pecs"][0],
            rows=_rows(k, 1010),
            actor=k["tec_member"],
            password=PASSWORD,
        )
        act_receive(act=again, actor=k["pec_members"][1], password=PASSWORD)


def test_every_pec_receiving_its_ballots_marks_items_42_and_43(delivered):
    k = delivered
    stock = ballot_stock.stock(k["election"])
    assert stock["differences"] == 0
    held = {r.commission.pk: r.balance.held for r in stock["rows"]}
    assert held == {k["cec"].pk: 0, k["tec"].pk: 0, k["pecs"][0].pk: 1010, k["pecs"][1].pk: 1010}
    assert HandoverAct.objects.filter(kind="ballots", status="received").count() == 3


def test_numbered_ballots_keep_their_ranges(kg_polling):
    from polling import services

    k = kg_polling
    approve(k)
    services.polling_settings_save(election=k["election"], actor=k["cec_member"], numbered=True)
    run = services.print_run_calculate(election=k["election"], actor=k["cec_member"])
    run = services.print_run_order(run=run, actor=k["cec_member"], printing_house="Учкун")
    services.print_run_produced(run=run, actor=k["cec_member"])
    rows = [
        {
            "contest": k["contest"],
            "unit": k["precincts"][0],
            "count": 1010,
            "serial_from": 2,
            "serial_to": 1011,
        }
    ]
    with pytest.raises(ProtocolRefused, match="1–1010"):
        ballots_hand_over(
            from_commission=k["cec"],
            to_commission=k["tec"],
            rows=rows,
            actor=k["cec_member"],
            password=PASSWORD,
        )
    rows[0].update(serial_from=1, serial_to=1009)
    with pytest.raises(ProtocolRefused, match="1009"):
        ballots_hand_over(
            from_commission=k["cec"],
            to_commission=k["tec"],
            rows=rows,
            actor=k["cec_member"],
            password=PASSWORD,
        )
    rows[0].update(serial_from=1, serial_to=1010)
    ballots_hand_over(
        from_commission=k["cec"], to_commission=k["tec"], rows=rows, actor=k["cec_member"], password=PASSWORD
    )
    with pytest.raises(ProtocolRefused):
        ballots_hand_over(
            from_commission=k["cec"],
            to_commission=k["tec"],
            rows=rows,
            actor=k["cec_member"],
            password=PASSWORD,
        )


def test_the_stock_page_and_the_hand_over_form(produced, client):
    k = produced
    slug = k["election"].slug
    client.force_login(k["cec_member"])
    page = client.get(reverse("protocols:ballot_stock", args=[slug])).content.decode()
    assert reverse("protocols:ballot_hand_over", args=[slug, k["tec"].pk]) in page
    url = reverse("protocols:ballot_hand_over", args=[slug, k["tec"].pk])
    form = client.get(url)
    assert form.status_code == 200
    key = f"{k['contest'].pk}_{k['precincts'][0].pk}"
    other = f"{k['contest'].pk}_{k['precincts'][1].pk}"
    bad = client.post(
        url, {f"count_{key}": "-3", f"count_{other}": "0", "password": PASSWORD, "confirm": "on"}
    )
    assert bad.status_code == 200 and not HandoverAct.objects.exists()
    done = client.post(
        url, {f"count_{key}": "1010", f"count_{other}": "1010", "password": PASSWORD, "confirm": "on"}
    )
    assert done.status_code == 302
    act = HandoverAct.objects.get()
    assert act.contents["total"] == 2020
    client.force_login(k["pec_members"][0])
    assert client.get(url).status_code == 403  # a PEC does not hand ballots to the TEC


@settings(max_examples=150, deadline=None)
@given(
    produced=st.integers(0, 5000),
    moves=st.lists(
        st.tuples(
            st.sampled_from(["cec>tec1", "cec>tec2", "tec1>pec1", "tec1>pec2", "tec2>pec3"]),
            st.integers(1, 2000),
            st.booleans(),
        ),
        max_size=20,
    ),
)
def test_totals_balance_at_every_level_for_any_sequence_of_acts(produced, moves):
    """What the CEC produced is, at every moment, held somewhere or in transit; each commission
    got what it handed on plus what it has in transit plus what it holds."""
    made = [Move("c", m.split(">")[0], m.split(">")[1], n, received) for m, n, received in moves]
    table = balances(produced={"c": produced}, producer="cec", moves=made)
    held = sum(b.held for b in table.values())
    in_transit = sum(b.in_transit for b in table.values())
    assert held + in_transit == produced
    for b in table.values():
        assert b.got == b.handed_on + b.in_transit + b.held
        assert b.balances == (b.held >= 0)


@pytest.mark.django_db(transaction=True)
def test_two_hand_overs_at_once_never_hand_on_more_than_is_held(produced):
    """The CEC holds 2,020 ballots; two members hand 1,500 each to the TEC at the same moment: one
    act is drawn up, the other is refused (the election row is locked while the holding is read)."""
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the concurrency test runs on PostgreSQL")
    from tests.protocols.conftest import commission_member

    k = produced
    second = commission_member(k["cec"], "cec2@example.org", "secretary")
    barrier = threading.Barrier(2)
    outcomes = []

    def hand(user):
        from django.db import connection as conn

        try:
            barrier.wait(timeout=30)
            ballots_hand_over(
                from_commission=k["cec"],
                to_commission=k["tec"],
                rows=[
                    {"contest": k["contest"], "unit": k["precincts"][0], "count": 1000},
                    {"contest": k["contest"], "unit": k["precincts"][1], "count": 500},
                ],
                actor=user,
                password=PASSWORD,
            )
            outcomes.append("ok")
        except ProtocolRefused as exc:
            outcomes.append(exc.code)
        finally:
            conn.close()

    threads = [threading.Thread(target=hand, args=(u,)) for u in (k["cec_member"], second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(outcomes) == ["not_held", "ok"]
    assert ballot_stock.held_by(k["election"], k["cec"]) == {k["contest"].pk: 520}
