"""The register of numbered decisions: the secretariat reads every body's, a commission member only
the member's own commissions'; others are refused; filters by body and kind, wrong filters refused
in plain words."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from elections.models import Decision
from elections.services.decisions import decision_take

from .test_decisions import _subject, _take

K = Decision.Kind


@pytest.fixture
def decided(structure):
    on = dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC)
    return {
        "a": _take(structure, body="a", decided_at=on, subject=_subject(structure)),
        "b": _take(structure, body="b", kind=K.VOTER_REGISTRATION, decided_at=on),
        "secretariat": _take(
            structure, body=None, kind=K.ORG_COMMITTEE_NOMINATION, decided_at=on, reasons="Группа решила"
        ),
    }


def _rows(body: str) -> set[str]:
    return {part.split('"')[0] for part in body.split('data-decision="')[1:]}


@pytest.mark.django_db
def test_who_reads_which_decisions(client, structure, decided):
    url = reverse("elections:decisions", args=[structure["election"].slug])
    client.force_login(structure["users"]["secretariat"])
    page = client.get(url).content.decode()
    assert _rows(page) == {str(d.pk) for d in decided.values()}
    assert "Группа решила" in page and "Комиссия А" in page and "Секретариат" in page
    client.force_login(structure["users"]["commission_a"])
    assert _rows(client.get(url).content.decode()) == {str(decided["a"].pk)}
    for role in ("observer", "voter_a", "candidate_a"):
        client.force_login(structure["users"][role])
        assert client.get(url).status_code == 403, role
    # an organising-committee member reads the committee's decisions (e.g. on observers) and no other
    committee = structure["election"]._committee
    by_committee = decision_take(
        election=structure["election"],
        kind=K.OBSERVER_APPLICATION,
        subject=_subject(structure),
        body=committee,
        outcome=Decision.Outcome.GRANTED,
        actor=None,
        action="tests.decision.adopted",
    )
    client.force_login(structure["users"]["org_committee_a"])
    assert _rows(client.get(url).content.decode()) == {str(by_committee.pk)}
    client.logout()
    assert client.get(url).status_code in (302, 404)  # a draft election is not public at all


@pytest.mark.django_db
def test_filters_and_a_wrong_filter(client, structure, decided):
    url = reverse("elections:decisions", args=[structure["election"].slug])
    client.force_login(structure["users"]["secretariat"])
    page = client.get(url, {"kind": K.VOTER_REGISTRATION}).content.decode()
    assert _rows(page) == {str(decided["b"].pk)}
    page = client.get(url, {"body": "secretariat"}).content.decode()
    assert _rows(page) == {str(decided["secretariat"].pk)}
    response = client.get(url, {"body": "groups.commission:999999"})
    page = response.content.decode()
    assert _rows(page) == {str(d.pk) for d in decided.values()}
    assert response.context["form"].errors["body"] == ["Такого варианта здесь нет; показан весь список."]
    # a member cannot reach another body's decisions by naming it
    client.force_login(structure["users"]["commission_a"])
    other = f"groups.commission:{structure['commission_b'].pk}"
    assert _rows(client.get(url, {"body": other}).content.decode()) == {str(decided["a"].pk)}


@pytest.mark.django_db
def test_the_register_in_english_with_numbers_and_the_nav_tab(client, structure, decided):
    client.force_login(structure["users"]["secretariat"])
    with translation.override("en"):
        url = reverse("elections:decisions", args=[structure["election"].slug])
        page = client.get(url).content.decode()
        assert "1/2025" in page and "Secretariat" in page and "By the official the body authorised" in page
        overview = client.get(reverse("elections:detail", args=[structure["election"].slug])).content.decode()
    assert f'href="{url}"' in overview
    client.force_login(structure["users"]["voter_a"])
    with translation.override("en"):
        overview = client.get(reverse("elections:detail", args=[structure["election"].slug])).content.decode()
    assert f'href="{url}"' not in overview


@pytest.mark.django_db
def test_a_vote_of_a_one_member_body_reads_in_the_singular(client, structure):
    """ "of 1 member", not "of 1 members" (in Russian "из 1 члена", not "из 1 членов")."""
    from elections.services.decisions import MemberVote

    from .test_decisions import _members

    (member,) = _members(1)
    _take(structure, votes=[MemberVote(member, "for")], members_total=1)
    client.force_login(structure["users"]["secretariat"])
    with translation.override("en"):
        page = client.get(reverse("elections:decisions", args=[structure["election"].slug])).content.decode()
    assert "1 for, 0 against, 0 abstained, of 1 member<" in page


@pytest.mark.django_db
def test_the_secretariat_searches_decisions_in_the_admin_by_body(client, structure, decided):
    """The admin's search names stored fields (the body's name is stored per language)."""
    client.force_login(structure["users"]["secretariat"])
    url = reverse("admin:elections_decision_changelist")
    response = client.get(url, {"q": "Секретариат"})
    assert response.status_code == 200
    assert [d.pk for d in response.context["cl"].result_list] == [decided["secretariat"].pk]
    assert client.get(url, {"q": "Группа решила"}).status_code == 200


@pytest.mark.django_db
def test_a_form_3_request_is_named_in_the_reader_s_language(client, structure):
    """The label stored with a Form 3 decision is in the language of whoever recorded it; the
    register names the request in the reader's language."""
    decision = _take(structure, kind=K.VOTER_CORRECTION, subject_label="Заявление по Форме 3 № 7")
    client.force_login(structure["users"]["secretariat"])
    with translation.override("en"):
        page = client.get(reverse("elections:decisions", args=[structure["election"].slug])).content.decode()
    assert f"Form 3 request No. {decision.subject_id}" in page and "Заявление по Форме 3" not in page
