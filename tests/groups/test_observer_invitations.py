"""Invitations to observe (seed 003 item 33): sent by the CEC with the link to apply, recorded once
in the outbox; refused to others."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from elections.models import OutboxMail
from groups.models import ObserverInvitation
from groups.services import observer_invite
from tests.polling.conftest import kg_polling  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def test_the_cec_invites_an_organisation_which_gets_the_link_to_apply(kg_polling, client):  # noqa: F811
    from django.urls import reverse

    k = kg_polling
    invitation = observer_invite(
        election=k["election"],
        actor=k["cec_member"],
        organisation="ОБСЕ/БДИПЧ",
        email="Office@ODIHR.example.org",
        country="",
    )
    mail = OutboxMail.objects.get(to="office@odihr.example.org")
    assert (
        reverse("groups:observer_apply", args=[k["election"].slug]) in mail.body and "ОБСЕ/БДИПЧ" in mail.body
    )
    with pytest.raises((PermissionDenied, ValidationError)):
        observer_invite(
            election=k["election"], actor=k["tec_member"], organisation="X", email="x@example.org"
        )
    with pytest.raises(ValidationError):
        observer_invite(
            election=k["election"], actor=k["cec_member"], organisation=" ", email="x@example.org"
        )
    assert list(ObserverInvitation.objects.all()) == [invitation]
    client.force_login(k["cec_member"])
    page = client.get(reverse("groups:observer_applications", args=[k["election"].slug])).content.decode()
    assert "invite-form" in page and "ОБСЕ/БДИПЧ" in page
