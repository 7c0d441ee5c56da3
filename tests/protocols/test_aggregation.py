"""Aggregation of precinct protocols (seed 003 items 46, 51–57): transmission statuses, the TEC
summary table with its per-precinct breakdown, the CEC result with seats by the counting engine,
preliminary figures kept apart, the CSV import, the certification guard and who may do what.

Built on ``kg_counting`` (tests/protocols/conftest.py): one district (a D'Hondt council with 5
seats and "against all"), two precincts with PECs, the TEC and the CEC, one member each."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from elections import lifecycle
from elections.models import AuditEntry
from protocols import aggregation_selectors as sel
from protocols.aggregation_selectors import precinct_tec
from protocols.models import PreliminaryResult, Protocol
from protocols.services.acts import act_receive, protocol_hand_over
from protocols.services.aggregation import (
    central_result_build,
    engine_outcome,
    protocol_transmission_set,
    territorial_summary_build,
)
from protocols.services.preliminary import PreliminaryImportError, preliminary_import, preliminary_record
from protocols.services.protocol import (
    ProtocolRefused,
    protocol_correct,
    protocol_create,
    protocol_sign,
    protocol_update,
)
from tests.factories import PASSWORD, user_with_role

pytestmark = pytest.mark.django_db


def figures_for(valid, invalid=10):
    """Consistent KG protocol figures for ``valid`` valid ballots (all control checks pass)."""
    in_boxes = valid + invalid
    return {
        "voters_on_list": 1000,
        "ballots_received": 900,
        "ballots_issued_premises": in_boxes,
        "ballots_issued_outside": 0,
        "ballots_cancelled": 900 - in_boxes,
        "ballots_in_boxes": in_boxes,
        "ballots_invalid": invalid,
        "ballots_valid": valid,
    }


def signed_precinct(k, i, a, b, against, *, protocol=None):
    """The PEC of precinct ``i`` enters and signs its protocol (or a corrected version)."""
    user = k["pec_members"][i]
    codes = [o.code for o in k["options"]]
    if protocol is None:
        protocol = protocol_create(
            contest=k["contest"],
            level="precinct",
            commission=k["pecs"][i],
            unit=k["precincts"][i],
            actor=user,
        )
    protocol = protocol_update(
        protocol=protocol,
        actor=user,
        figures=figures_for(a + b + against),
        votes={codes[0]: a, codes[1]: b, codes[2]: against},
    )
    protocol_sign(protocol=protocol, actor=user, password=PASSWORD)
    return hand_over(Protocol.objects.get(pk=protocol.pk), user, k["tec_member"])


def hand_over(protocol, sender, receiver):
    """The protocol's first copy handed over by act and its receipt signed (seed 003 item 51)."""
    act = protocol_hand_over(protocol=protocol, actor=sender, password=PASSWORD)
    act_receive(act=act, actor=receiver, password=PASSWORD)
    return Protocol.objects.get(pk=protocol.pk)


def sign(protocol, user):
    protocol_sign(protocol=protocol, actor=user, password=PASSWORD)
    return Protocol.objects.get(pk=protocol.pk)


def test_summary_sums_accepted_precincts_and_keeps_each_row_with_its_status(kg_counting):
    k = kg_counting
    tec = k["tec_member"]
    a, b, against = (o.code for o in k["options"])
    first = signed_precinct(k, 0, 300, 130, 400)
    second = signed_precinct(k, 1, 200, 100, 50)
    protocol_transmission_set(protocol=first, actor=tec, status="accepted")

    summary = territorial_summary_build(contest=k["contest"], district=k["district"], actor=tec)
    assert summary.level == "territorial" and summary.commission == k["tec"] and summary.status == "draft"
    assert summary.votes == {a: 300, b: 130, against: 400}  # only the accepted precinct counts
    assert summary.figures["ballots_valid"] == 830
    rows = {r["number"]: r for r in summary.prefilled["precincts"]}
    assert rows[1001]["transmission"] == "accepted" and rows[1001]["included"] is True
    assert rows[1002]["transmission"] == "received" and rows[1002]["included"] is False  # by its act
    assert rows[1002]["votes"] == {a: 200, b: 100, against: 50}  # the breakdown keeps every row
    assert [(x.code, x.number) for x in sel.summary_blockers(summary)] == [("not_accepted", 1002)]
    check = sel.completeness_check(summary)
    assert check.is_blocking and (check.left, check.right) == (1, 2)

    protocol_transmission_set(protocol=second, actor=tec, status="accepted")
    refreshed = territorial_summary_build(contest=k["contest"], district=k["district"], actor=tec)
    assert refreshed.pk == summary.pk and refreshed.version == 1  # a draft is refreshed in place
    assert refreshed.votes == {a: 500, b: 230, against: 450}
    assert refreshed.figures["ballots_valid"] == 1180
    assert refreshed.figures["voters_on_list"] == 2000
    assert sel.summary_blockers(refreshed) == [] and sel.completeness_check(refreshed).ok

    table = sel.territorial_table(k["contest"], k["district"])
    assert [r["number"] for r in table["rows"]] == [1001, 1002]
    assert all(r["transmission"] == "accepted" and r["is_included"] for r in table["rows"])
    assert table["totals"]["final_votes"] == {a: 500, b: 230, against: 450}
    assert table["summary"].pk == summary.pk


def test_missing_precinct_is_a_blocker_that_an_explanation_lifts(kg_counting):
    k = kg_counting
    first = signed_precinct(k, 0, 300, 130, 400)
    protocol_transmission_set(protocol=first, actor=k["tec_member"], status="accepted")
    summary = territorial_summary_build(contest=k["contest"], district=k["district"], actor=k["tec_member"])
    assert [(x.code, x.number) for x in sel.summary_blockers(summary)] == [("missing", 1002)]
    # the TEC reads why in its language (the message once never reached the catalogues)
    assert [x.message for x in sel.summary_blockers(summary)] == ["Участок № 1002: протокол не введён."]
    assert sel.completeness_check(summary).is_blocking
    with pytest.raises(ProtocolRefused) as exc:  # the TEC cannot sign a table with a precinct missing
        protocol_sign(protocol=summary, actor=k["tec_member"], password=k["password"])
    assert exc.value.code == "checks"
    summary = protocol_update(
        protocol=summary,
        actor=k["tec_member"],
        explanations={"precincts_complete": "Итоги голосования на участке 1002 признаны недействительными"},
    )
    assert not sel.completeness_check(summary).is_blocking
    protocol_sign(protocol=summary, actor=k["tec_member"], password=k["password"])
    summary.refresh_from_db()
    assert summary.status == "signed"


def test_returned_protocol_is_corrected_and_the_new_version_accepted(kg_counting):
    k = kg_counting
    tec = k["tec_member"]
    a, b, against = (o.code for o in k["options"])
    first = signed_precinct(k, 0, 300, 130, 400)
    with pytest.raises(ProtocolRefused) as exc:
        protocol_transmission_set(protocol=first, actor=tec, status="returned")
    assert exc.value.code == "note"
    protocol_transmission_set(
        protocol=first, actor=tec, status="returned", note="Строка 7 не совпадает с актом"
    )
    first.refresh_from_db()
    assert first.transmission == "returned" and first.transmission_at is not None
    # the return is the TEC's numbered decision, its note the reasons; one audit entry
    decision = first.return_decision
    assert (decision.kind, decision.number, decision.reasons) == (
        "protocol_return",
        1,
        "Строка 7 не совпадает с актом",
    )
    assert decision.body == precinct_tec(first) and decision.recorded_by == tec
    entries = AuditEntry.objects.filter(action="protocols.protocol.transmission_set", object_id=str(first.pk))
    assert (
        entries.count() == 1
        and entries.get().data["number"] == 1
        and entries.get().data["status"] == "returned"
    )

    corrected = protocol_correct(protocol=first, actor=k["pec_members"][0], reason="Исправлена строка 7")
    assert corrected.version == 2 and corrected.transmission == ""
    with pytest.raises(ProtocolRefused) as exc:  # a draft is not transmitted
        protocol_transmission_set(protocol=corrected, actor=tec, status="accepted")
    assert exc.value.code == "not_signed"
    corrected = signed_precinct(k, 0, 310, 120, 400, protocol=corrected)
    with pytest.raises(ProtocolRefused) as exc:  # the old version is decided no more
        protocol_transmission_set(protocol=first, actor=tec, status="accepted")
    assert exc.value.code == "superseded"
    protocol_transmission_set(protocol=corrected, actor=tec, status="accepted")

    summary = territorial_summary_build(contest=k["contest"], district=k["district"], actor=tec)
    assert summary.votes == {a: 310, b: 120, against: 400}
    row = next(r for r in summary.prefilled["precincts"] if r["number"] == 1001)
    assert (row["protocol"], row["version"], row["included"]) == (corrected.pk, 2, True)
    first.refresh_from_db()
    assert first.status == "superseded" and first.transmission == "returned"  # the record stays


def test_signed_summary_is_not_rebuilt_and_its_precincts_stay_accepted(kg_counting):
    k = kg_counting
    tec = k["tec_member"]
    protocols = [signed_precinct(k, 0, 300, 130, 400), signed_precinct(k, 1, 200, 100, 50)]
    for p in protocols:
        protocol_transmission_set(protocol=p, actor=tec, status="accepted")
    summary = sign(territorial_summary_build(contest=k["contest"], district=k["district"], actor=tec), tec)
    assert summary.status == "signed" and summary.data_sha256
    with pytest.raises(ProtocolRefused) as exc:
        territorial_summary_build(contest=k["contest"], district=k["district"], actor=tec)
    assert exc.value.code == "frozen"
    with pytest.raises(ProtocolRefused) as exc:
        protocol_transmission_set(protocol=protocols[1], actor=tec, status="returned", note="Ошибка")
    assert exc.value.code == "in_signed_summary"
    # a correction of the summary is a new draft version, which is rebuilt
    version2 = protocol_correct(protocol=summary, actor=tec, reason="Повторный подсчёт на участке 1002")
    protocol_transmission_set(protocol=protocols[1], actor=tec, status="returned", note="Ошибка")
    rebuilt = territorial_summary_build(contest=k["contest"], district=k["district"], actor=tec)
    assert rebuilt.pk == version2.pk and rebuilt.version == 2
    assert rebuilt.figures["ballots_valid"] == 830
    assert Protocol.objects.get(pk=summary.pk).figures["ballots_valid"] == 1180  # the signed one stays


def test_central_result_sums_signed_summaries_and_the_engine_gives_the_seats(kg_counting):
    k = kg_counting
    tec, cec = k["tec_member"], k["cec_member"]
    a, b, against = (o.code for o in k["options"])
    for i in (0, 1):
        p = signed_precinct(k, i, 300, 130, 400)
        protocol_transmission_set(protocol=p, actor=tec, status="accepted")
    summary = territorial_summary_build(contest=k["contest"], district=k["district"], actor=tec)

    draft_result = central_result_build(contest=k["contest"], actor=cec)
    assert draft_result.votes == {}  # the summary is not signed yet: nothing counts
    assert [(x.code, x.number) for x in sel.summary_blockers(draft_result)] == [("not_signed", 1)]

    sign(summary, tec)
    result = central_result_build(contest=k["contest"], actor=cec)
    assert result.pk == draft_result.pk and result.level == "central" and result.unit is None
    assert result.votes == {a: 600, b: 260, against: 800}
    assert result.figures["ballots_valid"] == 1660 and result.figures["ballots_invalid"] == 20
    # D'Hondt, 5 seats: A 600/300/200/150, B 260 — "against all" (800, the most votes) wins nothing
    assert result.outcome["seats"] == {"Партия А": 4, "Партия Б": 1}
    assert "Против всех" not in result.outcome["elected"]
    assert result.outcome["against_all"] == 800
    assert result.outcome["count_id"]
    assert sel.summary_blockers(result) == []
    result = sign(result, cec)
    assert result.status == "signed"
    table = sel.central_table(k["contest"])
    assert table["result"].pk == result.pk and table["rows"][0]["is_included"]


def test_plurality_council_with_against_all_ahead_elects_candidates_only(kg_counting):
    from ballots.models import ContestOption
    from ballots.services import contest_save
    from groups.models import TerritorialUnit

    k = kg_counting
    village = TerritorialUnit.objects.create(
        election=k["election"], kind="district", number=2, name_ru="Айыл"
    )
    contest = contest_save(
        election=k["election"],
        actor=None,
        unit=village,
        title_ru="Айыльный кенеш",
        method="plurality",
        seats=2,
        max_choices=1,
        has_against_all=True,
    )
    codes = [
        ContestOption.objects.create(contest=contest, kind=kind, label_ru=label, position=n).code
        for n, (kind, label) in enumerate(
            [
                ("candidate", "Асанов"),
                ("candidate", "Бекова"),
                ("candidate", "Волков"),
                ("against_all", "Против всех"),
            ]
        )
    ]
    outcome, engine = engine_outcome(
        contest,
        {"ballots_valid": 1000, "ballots_invalid": 5},
        dict(zip(codes, [300, 200, 100, 400], strict=True)),
    )
    assert outcome["elected"] == ["Асанов", "Бекова"]
    assert engine["report"]["method"] == "plurality"


def test_preliminary_figures_are_kept_apart_and_never_overwritten(kg_counting):
    k = kg_counting
    a, b, against = (o.code for o in k["options"])
    precinct = k["precincts"][0]
    tec = k["tec_member"]
    early = preliminary_record(
        contest=k["contest"],
        unit=precinct,
        figures={"ballots_valid": 820},
        votes={a: 290, b: 130, against: 400},
        source="automated",
        actor=tec,
    )
    final = signed_precinct(k, 0, 300, 130, 400)
    later = preliminary_record(
        contest=k["contest"],
        unit=precinct,
        figures={"ballots_valid": 825},
        votes={a: 295, b: 130, against: 400},
        source="manual",
        actor=k["pec_members"][0],
    )
    early.refresh_from_db()
    assert early.votes[a] == 290  # the earlier record stays as it was
    assert PreliminaryResult.objects.filter(unit=precinct).count() == 2
    final.refresh_from_db()
    assert final.votes[a] == 300 and final.figures["ballots_valid"] == 830  # the protocol is untouched
    protocol_transmission_set(protocol=final, actor=tec, status="accepted")
    summary = territorial_summary_build(contest=k["contest"], district=k["district"], actor=tec)
    assert summary.votes[a] == 300  # the summary takes the protocol, never the preliminary figures

    row = sel.territorial_table(k["contest"], k["district"])["rows"][0]
    assert row["preliminary"]["source"] == "manual" and row["preliminary"]["received"] == 2
    assert row["preliminary"]["votes"][a] == later.votes[a] == 295
    assert row["protocol"]["votes"][a] == 300
    assert row["differs"] is True
    with pytest.raises(ProtocolRefused) as exc:  # precinct of another district / unknown line
        preliminary_record(
            contest=k["contest"], unit=precinct, figures={"nonsense": 1}, votes={}, source="manual", actor=tec
        )
    assert exc.value.code == "unknown_line"


def _csv(*rows):
    return SimpleUploadedFile("prelim.csv", ("\n".join(rows) + "\n").encode("utf-8"), content_type="text/csv")


def test_import_with_an_error_stores_nothing_and_reports_each_row(kg_counting):
    k = kg_counting
    a, b, against = (o.code for o in k["options"])
    header = f"precinct;ballots_valid;{a};{b};{against}"
    before = PreliminaryResult.objects.count()
    with translation.override("en"), pytest.raises(PreliminaryImportError) as exc:
        preliminary_import(
            election=k["election"],
            file=_csv(header, "1001;830;300;130;400", "9999;10;1;2;3", "1002;abc;1;1;1", "1001;1;1;0;0"),
            actor=k["cec_member"],
        )
    lines = sorted((r.line, r.column) for r in exc.value.rows)
    assert lines == [(3, "precinct"), (4, "ballots_valid"), (5, "precinct")]
    assert "There is no precinct number 9999." in str(exc.value.rows[0])
    assert PreliminaryResult.objects.count() == before  # all or nothing

    with pytest.raises(PreliminaryImportError) as exc:
        preliminary_import(
            election=k["election"], file=_csv("precinct;nonsense", "1001;1"), actor=k["cec_member"]
        )
    assert exc.value.rows[0].column == "nonsense"

    result = preliminary_import(
        election=k["election"],
        file=_csv(header + ";source", "1001;830;300;130;400;automated", "1002;350;200;100;50;"),
        actor=k["cec_member"],
    )
    assert result.created == 2 and result.precincts == [1001, 1002]
    stored = {p.unit.number: p for p in PreliminaryResult.objects.select_related("unit")}
    assert stored[1001].source == "automated" and stored[1001].votes == {a: 300, b: 130, against: 400}
    assert stored[1002].source == "import" and stored[1002].figures == {"ballots_valid": 350}


def test_wrong_roles_are_refused(kg_counting):
    k = kg_counting
    pec_user, tec_user, cec_user = k["pec_members"][0], k["tec_member"], k["cec_member"]
    first = signed_precinct(k, 0, 300, 130, 400)
    with pytest.raises(PermissionDenied):  # a PEC does not accept its own protocol
        protocol_transmission_set(protocol=first, actor=pec_user, status="accepted")
    with pytest.raises(PermissionDenied):
        territorial_summary_build(contest=k["contest"], district=k["district"], actor=pec_user)
    with pytest.raises(PermissionDenied):  # the TEC does not determine the council's result
        central_result_build(contest=k["contest"], actor=tec_user)
    with pytest.raises(PermissionDenied):  # a PEC enters figures of its own precinct only
        preliminary_record(
            contest=k["contest"],
            unit=k["precincts"][1],
            figures={"ballots_valid": 1},
            votes={},
            source="manual",
            actor=pec_user,
        )
    with pytest.raises(PermissionDenied):  # importing for the whole election is for the CEC
        preliminary_import(
            election=k["election"], file=_csv("precinct;ballots_valid", "1001;1"), actor=tec_user
        )
    observer = user_with_role(Role.OBSERVER, election=k["election"])
    with pytest.raises(PermissionDenied):
        protocol_transmission_set(protocol=first, actor=observer, status="accepted")
    secretariat = user_with_role(Role.SECRETARIAT, election=k["election"])
    protocol_transmission_set(protocol=first, actor=secretariat, status="accepted")
    assert cec_user  # the CEC member's own rights are covered by the central result test


def test_certify_is_blocked_until_the_cec_result_is_signed(kg_counting):
    k = kg_counting
    tec, cec = k["tec_member"], k["cec_member"]
    certify = lifecycle.BY_NAME["certify"]
    codes = [b.code for b in lifecycle.blockers(k["election"], certify)]
    assert "central_result_not_signed" in codes
    for i in (0, 1):
        protocol_transmission_set(protocol=signed_precinct(k, i, 300, 130, 400), actor=tec, status="accepted")
    sign(territorial_summary_build(contest=k["contest"], district=k["district"], actor=tec), tec)
    sign(central_result_build(contest=k["contest"], actor=cec), cec)
    assert sel.certification_blockers(k["election"]) == []


def test_pages_show_rows_statuses_and_refuse_other_roles(kg_counting, client):
    k = kg_counting
    tec = k["tec_member"]
    first = signed_precinct(k, 0, 300, 130, 400)
    slug = k["election"].slug
    table_url = reverse(
        "protocols:aggregation_district", kwargs={"slug": slug, "number": k["district"].number}
    )
    transmit_url = reverse("protocols:aggregation_transmit", kwargs={"slug": slug, "pk": first.pk})
    build_url = reverse("protocols:aggregation_build", kwargs={"slug": slug, "number": k["district"].number})
    client.force_login(tec)
    with translation.override("en"):
        page = client.get(table_url)
        assert page.status_code == 200
        assert "1001" in page.content.decode() and "1002" in page.content.decode()
        assert client.post(transmit_url, {"status": "accepted"}).status_code == 302
        first.refresh_from_db()
        assert first.transmission == "accepted"
        assert client.post(build_url).status_code == 302
        assert Protocol.objects.filter(level="territorial", unit=k["district"]).exists()
        result_url = reverse(
            "protocols:aggregation_result", kwargs={"slug": slug, "contest": k["contest"].pk}
        )
        assert client.get(result_url).status_code == 200
        prelim_url = reverse("protocols:aggregation_preliminary", kwargs={"slug": slug})
        assert client.get(prelim_url).status_code == 200

        client.force_login(k["pec_members"][1])  # another precinct's PEC: reads, but decides nothing
        assert client.post(transmit_url, {"status": "returned", "note": "x"}).status_code == 403
        assert client.post(build_url).status_code == 403
        voter = user_with_role(Role.VOTER, election=k["election"])
        client.force_login(voter)
        assert client.get(table_url).status_code == 403


def test_tables_take_a_fixed_number_of_queries(kg_counting, django_assert_max_num_queries):
    k = kg_counting
    for i in (0, 1):
        protocol_transmission_set(
            protocol=signed_precinct(k, i, 300, 130, 400), actor=k["tec_member"], status="accepted"
        )
    preliminary_record(
        contest=k["contest"],
        unit=k["precincts"][0],
        figures={"ballots_valid": 1},
        votes={},
        source="manual",
        actor=k["tec_member"],
    )
    with django_assert_max_num_queries(5):  # precincts, protocols, preliminary, options, summary
        table = sel.territorial_table(k["contest"], k["district"])
    assert len(table["rows"]) == 2
    with django_assert_max_num_queries(4):
        rows = sel.preliminary_overview(k["election"])
    assert [r["unit"].number for r in rows] == [1001, 1002]


def test_a_pec_member_enters_preliminary_figures_by_hand_on_the_page(client, kg_counting):
    k = kg_counting
    a, b, against = (o.code for o in k["options"])
    precinct, other = k["precincts"]
    client.force_login(k["pec_members"][0])
    url = f"/en/elections/{k['election'].slug}/results/aggregation/preliminary/{precinct.number}/"
    page = client.get(url)
    assert page.status_code == 200 and b"Ballots found in the ballot boxes" in page.content
    response = client.post(
        url, {"source": "manual", "fig_ballots_valid": "610", f"vote_{a}": "300", f"vote_{b}": "bad"}
    )
    assert (
        response.status_code == 302 and not PreliminaryResult.objects.exists()
    )  # nothing stored on an error
    client.post(
        url, {"source": "manual", "fig_ballots_valid": "610", f"vote_{a}": "300", f"vote_{against}": "10"}
    )
    row = PreliminaryResult.objects.get()
    assert (row.unit, row.source, row.figures, row.votes) == (
        precinct,
        "manual",
        {"ballots_valid": 610},
        {a: 300, against: 10},
    )
    # another precinct's PEC member may not enter figures here
    other_url = f"/en/elections/{k['election'].slug}/results/aggregation/preliminary/{other.number}/"
    assert client.get(other_url).status_code == 403
