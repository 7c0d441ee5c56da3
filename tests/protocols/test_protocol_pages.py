"""The protocol pages as commission members, observers and the public use them."""

import pytest

from accounts.models import Role
from protocols.models import Complaint, Protocol
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def _login(client, email, password):
    assert client.login(username=email, password=password) or client.login(email=email, password=password)


def test_commission_starts_fills_and_signs_a_protocol_in_the_browser_forms(client, counted):
    slug = counted["election"].slug
    _login(client, "chair@example.org", counted["password"])
    page = client.get(f"/en/elections/{slug}/results/protocols/")
    assert page.status_code == 200 and b"Start the protocol" in page.content
    response = client.post(
        f"/en/elections/{slug}/results/protocols/",
        {"contest": counted["contest"].pk, "commission": counted["commission"].pk, "level": "group"},
    )
    protocol = Protocol.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/protocols/{protocol.pk}/")
    url = f"/en/elections/{slug}/results/protocols/{protocol.pk}/"
    page = client.get(url)
    assert b"Voters registered in the group" in page.content and b"Control checks" in page.content

    # a wrong figure shows a failed check and the signing button is disabled
    form = {f"fig_{k}": v for k, v in protocol.figures.items()}
    form.update({f"vote_{k}": v for k, v in protocol.votes.items()})
    form.update(
        action="save",
        fig_ballots_total=5,
        fig_observers=0,
        present=[m.pk for m in protocol.present_members.all()],
        process_description="Голосование онлайн; бюллетени подсчитаны порталом.",
        observers_note="Наблюдателей не было.",
        decision_text="Членом СКК избрана Алиева Айгуль",
    )
    client.post(url, form)
    protocol.refresh_from_db()
    assert protocol.figures["ballots_total"] == 5 and protocol.decision_text.startswith("Членом")
    page = client.get(url).content.decode()
    assert 'class="list-group-item check-failed" data-check="ballots_add_up"' in page
    response = client.post(url, {"action": "sign", "password": counted["password"]}, follow=True)
    assert b"Control checks fail" in response.content
    assert not protocol.signatures.exists()

    form["fig_ballots_total"] = 2
    client.post(url, form)
    for email in ("chair@example.org", "secretary@example.org", "member@example.org"):
        client.logout()
        _login(client, email, counted["password"])
        client.post(url, {"action": "sign", "password": counted["password"], "dissent": ""})
    protocol.refresh_from_db()
    assert protocol.status == "signed"
    page = client.get(url).content.decode()
    assert protocol.data_sha256 in page


def test_wrong_password_signs_nothing(client, counted):
    from protocols.services.protocol import protocol_create

    protocol = protocol_create(
        contest=counted["contest"],
        level="group",
        commission=counted["commission"],
        actor=counted["members"][0],
    )
    _login(client, "chair@example.org", counted["password"])
    url = f"/en/elections/{counted['election'].slug}/results/protocols/{protocol.pk}/"
    response = client.post(url, {"action": "sign", "password": "nope"}, follow=True)
    assert b"The password is not correct" in response.content
    assert not protocol.signatures.exists()


def test_observer_reads_but_cannot_change(client, counted):
    from protocols.services.protocol import protocol_create

    protocol = protocol_create(
        contest=counted["contest"],
        level="group",
        commission=counted["commission"],
        actor=counted["members"][0],
    )
    observer = user_with_role(Role.OBSERVER, election=counted["election"], email="obs@example.org")
    client.force_login(observer)
    url = f"/en/elections/{counted['election'].slug}/results/protocols/{protocol.pk}/"
    page = client.get(url)
    assert page.status_code == 200 and b"fig-voters_registered" in page.content
    assert b'name="fig_voters_registered"' not in page.content  # read-only for observers
    response = client.post(url, {"action": "save", "fig_voters_registered": "99"})
    assert response.status_code == 403
    protocol.refresh_from_db()
    assert protocol.figures["voters_registered"] == 3


def test_voter_and_public_cannot_read_draft_protocols(client, counted):
    from protocols.services.protocol import protocol_create

    protocol = protocol_create(
        contest=counted["contest"],
        level="group",
        commission=counted["commission"],
        actor=counted["members"][0],
    )
    url = f"/en/elections/{counted['election'].slug}/results/protocols/{protocol.pk}/"
    assert client.get(url).status_code == 302  # to the login page
    voter = user_with_role(Role.VOTER, election=counted["election"], email="v@example.org")
    client.force_login(voter)
    assert client.get(url).status_code == 403


def test_anyone_files_a_complaint_and_the_commission_decides(client, counted):
    slug = counted["election"].slug
    page = client.get(f"/en/elections/{slug}/results/complaints/new/")
    assert page.status_code == 200
    response = client.post(
        f"/en/elections/{slug}/results/complaints/new/",
        {
            "commission": counted["commission"].pk,
            "complainant_kind": "voter",
            "complainant_name": "Иванов Иван",
            "complainant_email": "ivanov@example.org",
            "text": "Мне не выдали бюллетень",
        },
        follow=True,
    )
    assert b"registered as" in response.content
    complaint = Complaint.objects.get()
    assert complaint.number == 1 and complaint.complainant_name == "Иванов Иван"
    empty = client.post(
        f"/en/elections/{slug}/results/complaints/new/", {"commission": counted["commission"].pk}
    )
    assert empty.status_code == 200 and Complaint.objects.count() == 1

    _login(client, "chair@example.org", counted["password"])
    client.post(
        f"/en/elections/{slug}/results/complaints/",
        {"complaint": complaint.pk, "status": "upheld", "decision_text": "Бюллетень выдан"},
    )
    complaint.refresh_from_db()
    assert complaint.status == "upheld" and complaint.decided_by.email == "chair@example.org"


def test_the_public_complaint_form_is_rate_limited(client, counted, settings):
    settings.VOTER_FORM_RATE = 2
    from django.core.cache import cache

    cache.clear()
    url = f"/en/elections/{counted['election'].slug}/results/complaints/new/"
    data = {
        "commission": counted["commission"].pk,
        "complainant_kind": "voter",
        "complainant_name": "Иванов",
        "text": "Жалоба",
    }
    assert [client.post(url, data).status_code for _ in range(3)] == [302, 302, 429]
    assert Complaint.objects.count() == 2
