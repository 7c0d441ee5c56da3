"""Protocols: pre-filled drafts, control checks, the signature workflow, corrections, complaints."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from accounts.models import Role
from elections.audit import current_head, verify_chain
from elections.models import AuditEntry
from protocols import forms_spec
from protocols.models import Protocol
from protocols.selectors import protocol_checks, protocol_data_sha256, protocol_history
from protocols.services.protocol import (
    ProtocolRefused,
    complaint_decide,
    complaint_submit,
    protocol_correct,
    protocol_create,
    protocol_sign,
    protocol_signing_cancel,
    protocol_update,
)
from tests.factories import CommissionFactory, user_with_role
from tests.protocols.completing import complete_group
from tests.protocols.conftest import commission_member

pytestmark = pytest.mark.django_db


def _draft(counted, *, complete=True):
    """The group's draft; ``complete``: with what a commission enters before signing."""
    protocol = protocol_create(
        contest=counted["contest"],
        level="group",
        commission=counted["commission"],
        actor=counted["members"][0],
    )
    return complete_group(protocol, counted["members"][0]) if complete else protocol


def _sign_all(protocol, counted):
    if protocol.status == Protocol.Status.DRAFT:
        protocol = complete_group(protocol, counted["members"][0])
    for user in counted["members"]:
        protocol_sign(protocol=protocol, actor=user, password=counted["password"])
    protocol.refresh_from_db()
    return protocol


def test_group_draft_is_prefilled_from_the_portal(counted):
    protocol = _draft(counted, complete=False)
    f = protocol.figures
    assert f["voters_registered"] == 3
    assert f["voters_voted"] == 2 and f["voted_online"] == 2
    assert f["ballots_valid"] == 2 and f["ballots_total"] == 2
    assert f["late_online_attempts"] == 1
    assert f["regions"] == 1
    # every option with its figure, zeros too
    assert protocol.votes == {
        o.code: 2 if o == counted["alpha"] else 0 for o in counted["contest"].options.all()
    }
    # the engine decided: Alieva is the member
    assert protocol.outcome["elected"] == ["Алиева Айгуль"]
    assert protocol.prefilled["figures"] == f
    assert set(protocol.present_members.values_list("user__email", flat=True)) == {
        "chair@example.org",
        "secretary@example.org",
        "member@example.org",
    }
    assert all(c.ok for c in protocol_checks(protocol))


def test_a_second_draft_of_the_same_protocol_is_refused(counted):
    _draft(counted)
    with pytest.raises(ProtocolRefused) as exc:
        _draft(counted)
    assert exc.value.code == "exists"


def test_protocols_are_written_only_at_the_counting_stage(vote):
    user = commission_member(vote["commission"], "early@example.org")
    with pytest.raises(ProtocolRefused) as exc:
        protocol_create(contest=vote["contest"], level="group", commission=vote["commission"], actor=user)
    assert exc.value.code == "wrong_stage"
    assert not Protocol.objects.exists()


def test_failing_check_blocks_signing_until_explained(counted):
    protocol = _draft(counted, complete=False)
    figures = dict(protocol.figures, ballots_total=3)  # 3 ≠ 2 valid + 0 invalid + 0 late
    protocol = protocol_update(protocol=protocol, actor=counted["members"][0], figures=figures)
    failing = [c for c in protocol_checks(protocol) if not c.ok]
    # the arithmetic, and the difference from the portal's count of the ballots
    assert [c.code for c in failing] == ["ballots_add_up", "source_ballots_total"]
    protocol = complete_group(protocol, counted["members"][0])  # explains the difference only
    with pytest.raises(ProtocolRefused) as exc:
        protocol_sign(protocol=protocol, actor=counted["members"][0], password=counted["password"])
    assert exc.value.code == "checks"
    assert not protocol.signatures.exists()

    explained = {
        "ballots_add_up": "Один бюллетень изъят полицией, акт № 5",
        "source_ballots_total": "Бюллетень, изъятый полицией, получен комиссией, но не учтён порталом",
    }
    protocol = protocol_update(protocol=protocol, actor=counted["members"][0], explanations=explained)
    protocol_sign(protocol=protocol, actor=counted["members"][0], password=counted["password"])
    protocol.refresh_from_db()
    assert protocol.status == "signing"
    assert protocol.check_explanations == explained


def test_kg_checks_catch_the_arithmetic_of_a_precinct_protocol():
    good = {
        "voters_on_list": 1000,
        "ballots_received": 900,
        "ballots_issued_premises": 600,
        "ballots_issued_outside": 20,
        "ballots_cancelled": 280,
        "ballots_in_boxes": 615,
        "ballots_invalid": 15,
        "ballots_valid": 600,
    }
    votes = {"a": 350, "b": 200, "against": 50}
    assert all(c.ok for c in forms_spec.run_checks("precinct", good, votes))
    bad = dict(good, ballots_cancelled=279)
    results = {c.code: c for c in forms_spec.run_checks("precinct", bad, dict(votes, a=349))}
    assert not results["received_accounted"].ok
    assert (results["received_accounted"].left, results["received_accounted"].right) == (900, 899)
    assert not results["votes_equal_valid"].ok
    assert results["boxes_equal_valid_invalid"].ok


def test_signing_needs_the_password_and_presence(counted):
    protocol = _draft(counted)
    chair, secretary, member = counted["members"]
    with pytest.raises(ProtocolRefused) as exc:
        protocol_sign(protocol=protocol, actor=chair, password="wrong")
    assert exc.value.code == "password"
    absent = protocol.present_members.get(user=member)
    protocol = protocol_update(
        protocol=protocol,
        actor=chair,
        present_member_ids=list(protocol.present_members.exclude(pk=absent.pk).values_list("pk", flat=True)),
    )
    with pytest.raises(ProtocolRefused) as exc:
        protocol_sign(protocol=protocol, actor=member, password=counted["password"])
    assert exc.value.code == "not_present"
    other = CommissionFactory(election=counted["election"], kind="custom", name_ru="Другая комиссия")
    outsider = commission_member(other, "x@example.org")
    with pytest.raises(PermissionDenied):
        protocol_sign(protocol=protocol, actor=outsider, password=counted["password"])


def test_frozen_after_all_present_members_sign(counted):
    protocol = _draft(counted)
    chair, secretary, member = counted["members"]
    protocol_sign(protocol=protocol, actor=chair, password=counted["password"])
    with pytest.raises(ProtocolRefused) as exc:
        protocol_update(protocol=protocol, actor=chair, figures={"voters_registered": 4})
    assert exc.value.code == "not_draft"
    protocol_sign(
        protocol=protocol, actor=secretary, password=counted["password"], dissent="Не согласна с п. 3"
    )
    protocol.refresh_from_db()
    assert protocol.status == "signing" and protocol.frozen_at is None
    protocol_sign(protocol=protocol, actor=member, password=counted["password"])
    protocol.refresh_from_db()
    assert protocol.status == "signed" and protocol.frozen_at is not None
    assert protocol.data_sha256 == protocol_data_sha256(protocol)
    assert len(protocol.ballots_fingerprint) == 64
    assert protocol.audit_head and protocol.audit_head != "0" * 64
    assert protocol.signatures.get(user=secretary).dissent == "Не согласна с п. 3"
    chair_signature = protocol.signatures.select_related("member").get(user=chair)
    assert chair_signature.position == "chair"
    with translation.override("en"):
        assert chair_signature.get_position_display() == "Chair"
    assert chair_signature.full_name == "Асанова Гульмира"
    with pytest.raises(ProtocolRefused) as exc:
        protocol_sign(protocol=protocol, actor=chair, password=counted["password"])
    assert exc.value.code == "frozen"
    actions = list(AuditEntry.objects.filter(election=counted["election"]).values_list("action", flat=True))
    assert actions.count("protocols.protocol.signed") == 3
    assert "protocols.protocol.frozen" in actions
    assert verify_chain().ok
    assert current_head()[1] != protocol.audit_head  # the freeze entry came after the recorded head


def test_a_correction_makes_a_new_version_and_keeps_the_old(counted):
    protocol = _sign_all(_draft(counted), counted)
    old_sha = protocol.data_sha256
    chair = counted["members"][0]
    with pytest.raises(ProtocolRefused):
        protocol_correct(protocol=protocol, actor=chair, reason="  ")
    new = protocol_correct(protocol=protocol, actor=chair, reason="Опечатка в строке 3")
    protocol.refresh_from_db()
    assert protocol.status == "superseded" and protocol.data_sha256 == old_sha
    assert new.version == 2 and new.supersedes == protocol and new.status == "draft"
    assert new.figures == protocol.figures
    assert [p.version for p in protocol_history(new)] == [2, 1]
    new = protocol_update(protocol=new, actor=chair, figures=dict(new.figures, regions=2))
    new = _sign_all(new, counted)
    assert new.status == "signed" and new.data_sha256 != old_sha


def test_cancelling_a_signing_drops_signatures_with_a_reason(counted):
    protocol = _draft(counted)
    chair = counted["members"][0]
    protocol_sign(protocol=protocol, actor=chair, password=counted["password"])
    with pytest.raises(ProtocolRefused):
        protocol_signing_cancel(protocol=protocol, actor=chair, reason="")
    protocol = protocol_signing_cancel(protocol=protocol, actor=chair, reason="Ошибка в строке 5")
    assert protocol.status == "draft" and not protocol.signatures.exists()


def test_observer_and_voter_cannot_write_protocols(counted):
    observer = user_with_role(Role.OBSERVER, election=counted["election"], email="obs@example.org")
    with pytest.raises(PermissionDenied):
        protocol_create(
            contest=counted["contest"], level="group", commission=counted["commission"], actor=observer
        )
    protocol = _draft(counted)
    with pytest.raises(PermissionDenied):
        protocol_update(protocol=protocol, actor=observer, figures={})
    with pytest.raises(PermissionDenied):
        protocol_sign(protocol=protocol, actor=observer, password="x")


def test_complaints_are_decided_and_attached_to_the_protocol(counted):
    protocol = _draft(counted)
    complaint = complaint_submit(
        election=counted["election"],
        commission=counted["commission"],
        complainant_kind="observer",
        complainant_name="Наблюдатель Н.",
        text="Урна не была опечатана в 10:00",
    )
    assert complaint.number == 1 and complaint.status == "received"
    with pytest.raises(ProtocolRefused):
        complaint_decide(
            complaint=complaint, actor=counted["members"][0], status="rejected", decision_text=""
        )
    complaint = complaint_decide(
        complaint=complaint,
        actor=counted["members"][0],
        status="rejected",
        decision_text="Урна опечатана в 8:00",
    )
    assert complaint.protocol == protocol
    assert list(protocol.complaints.all()) == [complaint]
    # a numbered decision of the commission, whose text the complainant reads
    assert (complaint.decision.kind, complaint.decision.outcome) == ("complaint", "refused")
    assert complaint.decision.body == counted["commission"] and complaint.decision.is_adopted
    assert (
        complaint.decision_text == "Урна опечатана в 8:00" and complaint.decided_by == counted["members"][0]
    )
    second = complaint_submit(
        election=counted["election"],
        commission=counted["commission"],
        complainant_kind="voter",
        complainant_name="Избиратель",
        text="Текст",
    )
    assert second.number == 2


def test_precinct_protocol_is_entered_checked_and_signed(kg_counting):
    k = kg_counting
    precinct, pec, user = k["precincts"][0], k["pecs"][0], k["pec_members"][0]
    with pytest.raises(ProtocolRefused) as exc:  # a PEC writes only its own precinct's protocol
        protocol_create(
            contest=k["contest"], level="precinct", commission=pec, unit=k["precincts"][1], actor=user
        )
    assert exc.value.code == "wrong_unit"
    protocol = protocol_create(
        contest=k["contest"], level="precinct", commission=pec, unit=precinct, actor=user
    )
    assert protocol.figures == {"voters_on_list": 1000}
    a, b, against = (o.code for o in k["options"])
    figures = {
        "voters_on_list": 1000,
        "ballots_received": 900,
        "ballots_issued_premises": 600,
        "ballots_issued_outside": 20,
        "ballots_cancelled": 280,
        "ballots_in_boxes": 615,
        "ballots_invalid": 15,
        "ballots_valid": 600,
    }
    protocol = protocol_update(
        protocol=protocol, actor=user, figures=figures, votes={a: 350, b: 200, against: 40}
    )
    with pytest.raises(ProtocolRefused) as exc:
        protocol_sign(protocol=protocol, actor=user, password=k["password"])
    assert exc.value.code == "checks"
    assert not protocol.signatures.exists()
    with pytest.raises(ProtocolRefused) as exc:
        protocol_update(protocol=protocol, actor=user, votes={"nonsense": 1})
    assert exc.value.code == "unknown_line"
    protocol = protocol_update(protocol=protocol, actor=user, votes={a: 350, b: 200, against: 50})
    protocol_sign(protocol=protocol, actor=user, password=k["password"])
    protocol.refresh_from_db()
    assert protocol.status == "signed"
    assert protocol.ballots_fingerprint == ""  # paper count: no stored ballots


def test_certification_waits_for_the_signed_group_protocol(counted):
    from elections.lifecycle import BY_NAME, blockers

    election = counted["election"]
    codes = [b.code for b in blockers(election, BY_NAME["certify"])]
    assert "group_protocol_unsigned" in codes
    _sign_all(_draft(counted), counted)
    codes = [b.code for b in blockers(election, BY_NAME["certify"])]
    assert "group_protocol_unsigned" not in codes
