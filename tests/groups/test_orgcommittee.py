"""The organising committee: one representative per group, approved by the secretariat
(seed 000 items 3–6); its contact list is for the secretariat and the committee."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Role, User
from elections.models import AuditEntry
from elections.services import election_transition
from groups import selectors, services
from groups.models import OrgCommitteeNomination, RoleAssignment

from .factories import approved_representative, org_committee, pdf_upload, read


@pytest.fixture
def announced(structure):
    election = election_transition(election=structure["election"], transition="announce", actor=None)
    org_committee(election)
    return dict(structure, election=election)


@pytest.mark.django_db
def test_group_nominates_and_secretariat_approves(
    client, announced, mailoutbox, django_capture_on_commit_callbacks
):
    election = announced["election"]
    response = client.post(
        reverse("groups:orgcom_nominate", args=[election.slug]),
        {
            "group": announced["group_a"].pk,
            "full_name": "Ерлан Жаксыбеков",
            "email": "erlan@example.org",
            "phone": "+7 701 111 22 33",
            "group_decision": "Встреча лидеров сообщества 9 августа",
            "decision_document": pdf_upload("protocol.pdf"),
        },
    )
    assert response.status_code == 302
    nomination = OrgCommitteeNomination.objects.get(email="erlan@example.org")
    assert nomination.status == "submitted" and nomination.decision_document
    secretariat = announced["users"]["secretariat"]
    client.force_login(secretariat)
    page = client.get(reverse("groups:orgcom", args=[election.slug])).content.decode()
    assert f'id="nomination-{nomination.pk}"' in page
    document = client.get(reverse("groups:nomination_document", args=[election.slug, nomination.pk]))
    assert read(document).startswith(b"%PDF-")
    with django_capture_on_commit_callbacks(execute=True):
        decided = client.post(
            reverse("groups:nomination_decide", args=[election.slug, nomination.pk]), {"decision": "approve"}
        )
    assert decided.status_code == 302
    nomination.refresh_from_db()
    user = User.objects.get(email="erlan@example.org")
    assert (
        nomination.status == "approved" and nomination.user == user and nomination.decided_by == secretariat
    )
    # the secretariat forms the committee (seed 000 item 5): its decision № 1
    assert (nomination.decision.body_key, nomination.decision.number) == ("secretariat", 1)
    assert RoleAssignment.objects.filter(
        user=user, role=Role.ORG_COMMITTEE, group=announced["group_a"]
    ).exists()
    assert AuditEntry.objects.filter(action="groups.orgcommittee.approved").exists()
    assert [m.to for m in mailoutbox] == [["erlan@example.org"]]
    assert "/accounts/reset/" in mailoutbox[0].body


@pytest.mark.django_db
def test_contact_list_for_the_secretariat_and_the_committee_only(client, announced):
    election = announced["election"]
    approved_representative(election, announced["group_a"], email=announced["users"]["org_committee_a"].email)
    approved_representative(
        election, announced["group_b"], email="rep-b@example.org", full_name="Представитель Б"
    )
    url = reverse("groups:orgcom", args=[election.slug])
    for key in ("secretariat", "org_committee_a"):
        client.force_login(announced["users"][key])
        body = client.get(url).content.decode()
        assert "rep-b@example.org" in body  # the committee's own contact list
    for key in ("commission_a", "candidate_a", "voter_a", "observer"):
        client.force_login(announced["users"][key])
        assert client.get(url).status_code == 403
    client.logout()
    detail = client.get(reverse("groups:group_detail", args=[election.slug, "b"])).content.decode()
    assert "Представитель Б" in detail and "rep-b@example.org" not in detail  # name public, contacts not


@pytest.mark.django_db
def test_one_representative_per_group_and_reasons_for_rejection(announced):
    election, group = announced["election"], announced["group_a"]
    first = approved_representative(election, group, email="first@example.org")
    with pytest.raises(ValidationError):
        services.nomination_submit(
            election=election, group=group, actor=None, full_name="Второй", email="s@e.org"
        )
    with pytest.raises(ValidationError) as exc:
        services.nomination_decide(nomination=first, decision="withdraw", actor=None)
    assert "reason" in exc.value.error_dict
    services.nomination_decide(nomination=first, decision="withdraw", actor=None, reason="Сменил работу")
    assert not RoleAssignment.objects.filter(user=first.user, role=Role.ORG_COMMITTEE).exists()
    second = services.nomination_submit(
        election=election, group=group, actor=None, full_name="Второй", email="s@e.org"
    )
    with pytest.raises(ValidationError):
        services.nomination_decide(nomination=second, decision="reject", actor=None, reason="  ")
    services.nomination_decide(nomination=second, decision="reject", actor=None, reason="Нет решения группы")
    assert OrgCommitteeNomination.objects.get(pk=second.pk).status == "rejected"


@pytest.mark.django_db
def test_nominations_wait_for_the_committee(structure):
    with pytest.raises(ValidationError):
        services.nomination_submit(
            election=structure["election"],
            group=structure["group_a"],
            actor=None,
            full_name="X",
            email="x@e.org",
        )


@pytest.mark.django_db
def test_the_secretariat_withdraws_a_representative_from_the_page(client, announced, mailoutbox):
    election, group = announced["election"], announced["group_a"]
    nomination = approved_representative(election, group, email="rep@example.org")
    client.force_login(announced["users"]["secretariat"])
    page = client.get(reverse("groups:orgcom", args=[election.slug])).content.decode()
    row = page.split(f'id="representative-{nomination.pk}"')[1].split("</tr>")[0]
    assert 'value="withdraw"' in row
    decide = reverse("groups:nomination_decide", args=[election.slug, nomination.pk])
    client.post(decide, {"decision": "withdraw", "reason": " "})  # a withdrawal needs its reason
    nomination.refresh_from_db()
    assert nomination.status == "approved"
    client.post(decide, {"decision": "withdraw", "reason": "Сменил место работы"})
    nomination.refresh_from_db()
    assert nomination.status == "withdrawn" and nomination.reason == "Сменил место работы"
    assert nomination.decision.outcome == "revoked" and nomination.decision.body_key == "secretariat"
    assert not RoleAssignment.objects.filter(
        role=Role.ORG_COMMITTEE, group=group, user=nomination.user
    ).exists()
    page = client.get(reverse("groups:orgcom", args=[election.slug])).content.decode()
    assert f'id="representative-{nomination.pk}"' not in page


@pytest.mark.django_db
def test_the_contact_list_names_the_decision_that_approved_each_representative(client, announced):
    """An approved representative leaves the nominations table; the contact list keeps the number
    and date of the decision that approved them, equal to the decision's row."""
    from django.utils import timezone, translation
    from django.utils.formats import date_format

    election = announced["election"]
    approved_representative(election, announced["group_a"], email="rep-a@example.org")
    nomination = OrgCommitteeNomination.objects.get(email="rep-a@example.org")
    decision = nomination.decision
    assert decision is not None and decision.number
    client.force_login(announced["users"]["secretariat"])
    with translation.override("en"):
        body = client.get(reverse("groups:orgcom", args=[election.slug])).content.decode()
        date = date_format(timezone.localtime(decision.decided_at), "j E Y")
    row = body.split(f'id="representative-{nomination.pk}"')[1].split("</tr>")[0]
    assert f'data-decision-number="{decision.number}"' in row
    assert f"№ {decision.number} of {date}" in row


@pytest.mark.django_db
def test_the_committee_pages_name_the_same_members_as_its_contact_list(client, announced):
    """The committee's members are its approved representatives (they hold the role for their
    group, not a seat in the commission): the list of commissions counts them and the committee's
    page names them, as the contact list does; a pending nomination is no member."""
    election = announced["election"]
    committee = org_committee(election)
    approved_representative(
        election, announced["group_a"], email="rep-a@example.org", full_name="Представитель А"
    )
    services.nomination_submit(
        election=election,
        group=announced["group_b"],
        actor=None,
        full_name="Ожидающий",
        email="w@example.org",
    )
    rows = {c.pk: c.member_count for c in selectors.commissions_of(election)}
    assert rows[committee.pk] == 1
    assert rows[announced["commission_a"].pk] == 0  # the other commissions still count their seats
    client.force_login(announced["users"]["secretariat"])
    contacts = client.get(reverse("groups:orgcom", args=[election.slug])).content.decode()
    assert "Представитель А" in contacts.split('id="orgcom-contacts"')[1].split("</table>")[0]
    client.logout()
    listing = " ".join(client.get(reverse("groups:list", args=[election.slug])).content.decode().split())
    assert 'Оргкомитет</a> <span class="text-body-secondary">— Организационный комитет; членов: 1<' in listing
    url = reverse("groups:commission_detail", args=[election.slug, committee.pk])
    page = client.get(url).content.decode()
    assert 'id="committee-members"' in page and "Членов пока нет." not in page
    assert "Представитель А" in page and "Ожидающий" not in page
    assert "rep-a@example.org" not in page  # names public, contacts not
