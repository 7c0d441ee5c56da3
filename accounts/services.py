"""Changes to users. Each runs in a transaction and leaves an audit entry. Roles are given and
taken where the assignments live (``role_assign`` / ``role_revoke`` beside the scopes they name)."""

from __future__ import annotations

from django.db import transaction

from .audit import audit_log
from .models import User
from .permissions import require


@transaction.atomic
def user_create(
    *, email: str, full_name: str = "", password: str | None = None, language: str = "ru", actor=None
) -> User:
    """Create a portal account (login by e-mail)."""
    if actor is not None:
        require(actor, "roles.manage")
    user = User(email=User.objects.normalize_email(email).lower(), full_name=full_name, language=language)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit_log(action="accounts.user.created", actor=actor, obj=user, data={"email": user.email})
    return user


@transaction.atomic
def user_unlock(*, user: User, actor) -> int:
    """Lift a lockout after repeated failed logins (django-axes) before its cool-off ends: forget
    the account's failed attempts (the secretariat, in Administration → Users). Returns how many
    records were removed."""
    from axes.utils import reset

    require(actor, "roles.manage")
    removed = reset(username=user.email)
    audit_log(action="accounts.user.unlocked", actor=actor, obj=user, data={"user": user.email})
    return removed
