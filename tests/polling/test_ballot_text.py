"""The ballot text approved by the TEC's dated decision (seed 003 item 39): versions, the lock, the
reopening by a decision, a candidate who left the race, the proof PDF, the page by role, the
print run refused before approval."""

import shutil

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ballots import services
from ballots.approval import current_text, text_versions
from ballots.models import ContestOption
from groups.models import CommissionMember
from tests.protocols.conftest import commission_member

pytestmark = pytest.mark.django_db


def _votes(k, vote="for"):
    return {m.pk: vote for m in CommissionMember.objects.filter(commission=k["tec"], is_active=True)}


def test_the_tec_approves_the_text_which_locks_the_ballot_until_a_decision_reopens_it(kg_polling):
    k = kg_polling
    contest = k["contest"]
    commission_member(k["tec"], "tec2@example.org", "secretary")
    decision, text = services.ballot_text_approve(
        contest=contest,
        actor=k["tec_member"],
        votes=_votes(k),
        reasons="Текст соответствует решениям о регистрации.",
    )
    assert decision.is_adopted and decision.number == 1 and decision.kind == "ballot_approval"
    assert text.version == 1 and [o["label_ru"] for o in text.content["options"]] == [
        "Партия А",
        "Партия Б",
        "Против всех",
    ]
    with pytest.raises(ValidationError, match="№ 1"):
        services.contest_save(election=k["election"], actor=None, contest=contest, seats=7)
    with pytest.raises(ValidationError):
        services.ballot_text_approve(contest=contest, actor=k["tec_member"], votes=_votes(k))
    with pytest.raises(ValidationError, match="(?i)основани|reason"):
        services.ballot_text_reopen(contest=contest, actor=k["tec_member"], votes=_votes(k), reasons=" ")
    services.ballot_text_reopen(
        contest=contest,
        actor=k["tec_member"],
        votes=_votes(k),
        reasons="Решение суда об отмене регистрации списка партии Б.",
    )
    services.contest_save(election=k["election"], actor=None, contest=contest, seats=7)
    _decision, again = services.ballot_text_approve(contest=contest, actor=k["tec_member"], votes=_votes(k))
    versions = text_versions(contest)
    assert [v.version for v in versions] == [2, 1] and again.content["seats"] == 7
    assert versions[1].reopen_decision.number == 2 and versions[1].reopened_at is not None
    assert current_text(contest) == again


def test_a_vote_not_adopted_approves_nothing_and_outsiders_are_refused(kg_polling):
    k = kg_polling
    commission_member(k["tec"], "tec2@example.org", "member")
    votes = _votes(k)
    votes[list(votes)[1]] = "against"
    decision, text = services.ballot_text_approve(contest=k["contest"], actor=k["tec_member"], votes=votes)
    assert not decision.is_adopted and text is None and current_text(k["contest"]) is None
    with pytest.raises((PermissionDenied, ValidationError)):
        services.ballot_text_approve(contest=k["contest"], actor=k["pec_members"][0], votes=_votes(k))
    ContestOption.objects.filter(contest=k["contest"]).delete()
    with pytest.raises(ValidationError, match="(?i)нечего|nothing"):
        services.ballot_text_approve(contest=k["contest"], actor=k["tec_member"], votes=_votes(k))


def test_a_print_run_needs_the_approved_text(kg_polling):
    from polling.services import PollingRefused, print_run_calculate

    k = kg_polling
    with pytest.raises(PollingRefused, match="(?i)не утвержд|not approved"):
        print_run_calculate(election=k["election"], actor=k["cec_member"])
    services.ballot_text_approve(contest=k["contest"], actor=k["tec_member"], votes=_votes(k))
    assert print_run_calculate(election=k["election"], actor=k["cec_member"]).rows.count() == 2


def test_the_page_for_the_tec_and_the_observer_and_the_proof(kg_polling, client, tmp_path):
    from accounts.models import Role
    from tests.factories import user_with_role

    k = kg_polling
    url = reverse("ballots:text", args=[k["election"].slug, k["contest"].pk])
    client.force_login(k["tec_member"])
    page = client.get(url).content.decode()
    assert "approve-form" in page and "Партия Б" in page
    member = CommissionMember.objects.get(commission=k["tec"], user=k["tec_member"])
    refused = client.post(url, {"action": "approve", f"vote_{member.pk}": "for"})
    assert refused.status_code == 200 and current_text(k["contest"]) is None  # not confirmed
    done = client.post(url, {"action": "approve", f"vote_{member.pk}": "for", "confirm": "on"})
    assert done.status_code == 302 and current_text(k["contest"]).version == 1
    page = client.get(url).content.decode()
    assert "reopen-form" in page and "approve-form" not in page
    observer = user_with_role(Role.OBSERVER, election=k["election"], email="obs@example.org")
    client.force_login(observer)
    page = client.get(url).content.decode()
    assert "reopen-form" not in page and "№ 1" in page
    assert client.post(url, {"action": "reopen"}).status_code == 403
    proof = client.get(
        reverse("ballots:text_proof", args=[k["election"].slug, k["contest"].pk, "ru"]) + "?version=1"
    )
    assert proof.status_code == 200 and proof["Content-Type"] == "application/pdf"
    if shutil.which("pdftotext"):
        from tests.protocols.test_pdf import pdf_text

        (tmp_path / "proof.pdf").write_bytes(proof.content)
        text = pdf_text(tmp_path / "proof.pdf")
        assert "Партия А" in text and "Против всех" in text and "№ 1" in text
