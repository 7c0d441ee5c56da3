"""An account to apply with: a person without one asks for it with their e-mail and gets a link
to set a password (the same link Django's password reset uses). An address that already has an
account gets a link to log in or reset the password instead, so the page tells nobody which
addresses are registered."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import user_create
from elections.models import Election
from elections.notify import absolute, account_setup_link, notify
from elections.outbox import task_enqueue

from ._common import refuse_observers


@transaction.atomic
def applicant_account_request(*, election, actor, email: str, full_name: str, language: str = "ru") -> None:
    """Create an account without a password for a future applicant (or find theirs) and e-mail
    the link after the commit. The account holds no role: it may only apply for itself."""
    refuse_observers(actor, election)
    if actor is not None and actor.is_authenticated:
        raise ValidationError(_("You are logged in already; apply from the application page."))
    email = User.objects.normalize_email(email or "").strip().lower()
    validate_email(email)
    full_name = " ".join((full_name or "").split())
    if not full_name:
        raise ValidationError({"full_name": _("Give your full name.")})
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = user_create(email=email, full_name=full_name, language=language, actor=None)
    from .. import tasks

    user_id, election_id = user.pk, election.pk
    task_enqueue(tasks.send_account_link.name, user_id, election_id)


def account_link_send(*, user_id: int, election_id: int) -> bool:
    """Send the set-password (or log-in) link; a resent link is harmless (it only lets the
    owner of the address in)."""
    from django.urls import reverse

    user = User.objects.filter(pk=user_id, is_active=True).first()
    election = Election.objects.filter(pk=election_id).first()
    if user is None or election is None:
        return False
    notify(
        app="candidates",
        election=election,
        to=user.email,
        language=user.language,
        template="account_link",
        time_zone=election.tz,
        context={
            "user": user,
            "election_title": lambda: election.title,
            "has_password": user.has_usable_password(),
            "setup_link": lambda: account_setup_link(user),
            "reset_link": lambda: absolute(reverse("accounts:password_reset")),
            "apply_link": lambda: absolute(reverse("candidates:apply", args=[election.slug])),
        },
    )
    return True
