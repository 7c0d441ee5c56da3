"""Commission members: e-mail invitation, positions, removal, the conflict-of-interest declaration
and the guard that later actions (candidate verification, protocol signing) call."""

import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import Position, Role, User
from elections.models import AuditEntry
from groups import services
from groups.models import CommissionMember, RoleAssignment

from .factories import MemberFactory


def _role(user, commission):
    return RoleAssignment.objects.filter(
        user=user, role=Role.COMMISSION_MEMBER, commission=commission
    ).first()


@pytest.mark.django_db
def test_secretariat_invites_a_new_member_who_sets_up_the_account(
    client, structure, mailoutbox, django_capture_on_commit_callbacks
):
    commission = structure["commission_a"]
    client.force_login(structure["users"]["secretariat"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("groups:member_invite", args=[structure["election"].slug, commission.pk]),
            {
                "email": "New.Member@Example.org",
                "full_name": "Айдар Сериков",
                "position": "chair",
                "nominated_by": "Представительство ЮНЭЙДС",
                "language": "en",
            },
        )
    assert response.status_code == 302
    user = User.objects.get(email="new.member@example.org")
    assert not user.has_usable_password() and user.language == "en"
    member = CommissionMember.objects.get(commission=commission, user=user)
    assert member.position == Position.CHAIR and member.invited_at is not None
    assert _role(user, commission).position == Position.CHAIR
    assert AuditEntry.objects.filter(
        action="groups.commission.member_invited", object_id=str(member.pk)
    ).exists()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["new.member@example.org"]
    assert mail.subject == "You are a member of “Комиссия А”"
    link = next(line for line in mail.body.splitlines() if "/en/accounts/reset/" in line)
    assert link.startswith("https://portal.example.org/en/accounts/reset/")
    # the link lets the person choose a password
    client.logout()
    form = client.get(link.removeprefix("https://portal.example.org"), follow=True)
    assert form.status_code == 200 and form.context["validlink"]
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Stepnoy-Orel-2024", "new_password2": "Stepnoy-Orel-2024"},
    )
    assert done.status_code == 302
    assert client.login(username="new.member@example.org", password="Stepnoy-Orel-2024")


@pytest.mark.django_db
def test_the_invitation_is_sent_once_in_the_members_language(
    structure, mailoutbox, django_capture_on_commit_callbacks
):
    existing = User.objects.create_user(
        email="ru@example.org", full_name="Гульнара", language="ru", password="x"
    )
    with django_capture_on_commit_callbacks(execute=True):
        member = MemberFactory(commission=structure["commission_a"], email="ru@example.org")
    assert member.user == existing
    assert len(mailoutbox) == 1
    assert "/en/" not in mailoutbox[0].body and "/accounts/login/" in mailoutbox[0].body  # has a password
    assert services.member_invitation_send(member_id=member.pk) is False  # a retried task sends nothing
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_one_seat_per_person_and_one_chair(structure):
    commission = structure["commission_a"]
    MemberFactory(commission=commission, email="chair@example.org", position=Position.CHAIR)
    with pytest.raises(ValidationError):
        MemberFactory(commission=commission, email="chair@example.org", position=Position.MEMBER)
    with pytest.raises(ValidationError) as exc:
        MemberFactory(commission=commission, email="second@example.org", position=Position.CHAIR)
    assert "должност" in str(exc.value)  # "this position is taken", in Russian


@pytest.mark.django_db
def test_position_change_and_removal_follow_the_role(structure):
    member = MemberFactory(commission=structure["commission_a"], email="m@example.org")
    services.member_update(member=member, actor=None, position=Position.SECRETARY, nominated_by="Сеть ЛЖВ")
    assert _role(member.user, member.commission).position == Position.SECRETARY
    services.member_remove(member=member, actor=structure["users"]["secretariat"], reason="Переезд")
    member.refresh_from_db()
    assert not member.is_active and member.removed_at is not None
    assert _role(member.user, member.commission) is None
    entry = AuditEntry.objects.get(action="groups.commission.member_removed")
    assert entry.data["reason"] == "Переезд" and entry.actor == structure["users"]["secretariat"]


@pytest.mark.django_db
def test_members_are_managed_by_the_secretariat_only(structure):
    with pytest.raises(PermissionDenied):
        services.member_invite(
            commission=structure["commission_a"],
            actor=structure["users"]["commission_a"],
            email="x@example.org",
            position=Position.MEMBER,
        )


@pytest.mark.django_db
def test_acting_is_refused_until_the_declaration_is_signed(client, structure):
    commission = structure["commission_a"]
    user = structure["users"]["commission_a"]
    with pytest.raises(services.NotACommissionMember):
        services.require_coi_declared(user, commission)  # a role alone is not a membership
    member = MemberFactory(commission=commission, email=user.email)
    with pytest.raises(services.ConflictOfInterestNotDeclared) as exc:
        services.require_coi_declared(user, commission)
    assert isinstance(exc.value, PermissionDenied) and "Комиссия А" in exc.value.message
    response = _refusal(exc.value, structure["election"])
    assert response.status_code == 403 and "Комиссия А" in response.content.decode()

    client.force_login(user)
    page = client.get(reverse("groups:my_memberships", args=[structure["election"].slug]))
    assert page.status_code == 200 and f'id="coi-text-{member.pk}"' in page.content.decode()
    url = reverse("groups:member_declare", args=[structure["election"].slug, member.pk])
    assert client.post(url, {}).status_code == 200  # the box must be ticked
    assert client.post(url, {f"m{member.pk}-confirm": "on"}).status_code == 302
    member.refresh_from_db()
    assert member.coi_declared_at and member.accepted_at and user.get_full_name() in member.coi_text
    assert services.require_coi_declared(user, commission) == member
    entry = AuditEntry.objects.get(action="groups.commission.coi_declared")
    assert entry.actor == user
    assert entry.data["text_sha256"] == hashlib.sha256(member.coi_text.encode()).hexdigest()
    with pytest.raises(ValidationError):
        services.member_declare_coi(member=member, actor=user)


@pytest.mark.django_db
def test_only_the_member_signs_the_own_declaration(structure):
    member = MemberFactory(commission=structure["commission_a"], email="m@example.org")
    with pytest.raises(PermissionDenied):
        services.member_declare_coi(member=member, actor=structure["users"]["secretariat"])


@pytest.mark.django_db
def test_a_removed_member_can_no_longer_act(structure):
    member = MemberFactory(commission=structure["commission_a"], email="m@example.org", declared=True)
    assert services.require_coi_declared(member.user, member.commission)
    services.member_remove(member=member, actor=None)
    with pytest.raises(services.NotACommissionMember):
        services.require_coi_declared(member.user, member.commission)


@pytest.mark.django_db
def test_members_contacts_are_private_to_their_group(client, structure):
    MemberFactory(commission=structure["commission_a"], email="visible-a@example.org")
    MemberFactory(commission=structure["commission_b"], email="hidden-b@example.org")
    from elections.services import election_transition

    election = election_transition(election=structure["election"], transition="announce", actor=None)
    for key in ("org_committee_a", "commission_a"):
        client.force_login(structure["users"][key])
        page_a = client.get(reverse("groups:group_detail", args=[election.slug, "a"])).content.decode()
        page_b = client.get(reverse("groups:group_detail", args=[election.slug, "b"])).content.decode()
        assert "visible-a@example.org" in page_a
        assert "hidden-b@example.org" not in page_b and 'id="group-private"' not in page_b
    client.logout()
    public = client.get(
        reverse("groups:commission_detail", args=[election.slug, structure["commission_b"].pk])
    )
    body = public.content.decode()
    assert "Член комиссии" in body and "hidden-b@example.org" not in body  # names public, e-mails not


def _refusal(exc, election):
    from django.contrib.auth.models import AnonymousUser

    from groups.views.base import refusal_response

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    return refusal_response(request, exc, election)


@pytest.mark.django_db
def test_the_russian_declaration_names_the_position_and_the_commission_once(structure):
    """«Я, …, член комиссии (…)», not «член комиссии комиссии «…»» as it was signed before."""
    from django.utils import translation

    member = MemberFactory(commission=structure["commission_a"], email="m@example.org")
    with translation.override("ru"):
        text = services.coi_declaration_text(member)
    assert "член комиссии комиссии" not in text
    assert f"член комиссии ({member.commission.name};" in text
