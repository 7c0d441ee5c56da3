"""Creating and revoking the write API's tokens, and writing with one (issue 21). One transaction
and one audit entry each; the audit never holds a token, only its first characters."""

from __future__ import annotations

import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import refuse_observers, require
from elections.audit import audit_log
from groups.models import Commission
from groups.selectors import is_cec_or_secretariat
from protocols.models import PreliminaryResult
from protocols.services.preliminary import preliminary_record

from .models import ApiToken


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _cec_or_secretariat(actor, election) -> None:
    require(actor, "api.tokens", election)
    refuse_observers(actor, election)
    if not is_cec_or_secretariat(actor, election):
        raise PermissionDenied(_("The central commission or the secretariat manages the tokens."))


@transaction.atomic
def token_create(*, commission: Commission, actor, label: str) -> tuple[ApiToken, str]:
    """A new token for a precinct commission; returns it with the secret, shown once."""
    _cec_or_secretariat(actor, commission.election)
    if commission.kind != Commission.Kind.PEC or commission.unit_id is None:
        raise ValidationError(_("A token belongs to a precinct commission."))
    if not label.strip():
        raise ValidationError(_("Say what the token is for, e.g. the precinct's ballot scanner."))
    raw = "ep_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        election=commission.election,
        commission=commission,
        label=label.strip(),
        prefix=raw[:8],
        key_sha256=_hash(raw),
        created_by=actor,
    )
    audit_log(
        action="api.token.created",
        actor=actor,
        obj=token,
        election=commission.election,
        data={"commission": commission.pk, "prefix": token.prefix, "label": token.label},
    )
    return token, raw


@transaction.atomic
def token_revoke(*, token: ApiToken, actor) -> ApiToken:
    _cec_or_secretariat(actor, token.election)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise ValidationError(_("This token is revoked already."))
    token.revoked_at, token.revoked_by = timezone.now(), actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    audit_log(
        action="api.token.revoked",
        actor=actor,
        obj=token,
        election=token.election,
        data={"prefix": token.prefix},
    )
    return token


def token_for(raw: str) -> ApiToken | None:
    """The active token with this secret (None otherwise)."""
    if not raw or not raw.startswith("ep_"):
        return None
    return (
        ApiToken.objects.filter(key_sha256=_hash(raw), revoked_at__isnull=True)
        .select_related("commission", "commission__unit", "election")
        .first()
    )


@transaction.atomic
def preliminary_post(*, token: ApiToken, contest, figures: dict, votes: dict) -> PreliminaryResult:
    """The precinct's automated count posts its preliminary figures (seed 003 item 46): all or
    nothing, with the validation of the file import (``preliminary_record``)."""
    row = preliminary_record(
        contest=contest,
        unit=token.commission.unit,
        figures=figures,
        votes=votes,
        source=PreliminaryResult.Source.AUTOMATED,
        actor=None,
    )
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    audit_log(
        action="api.preliminary.posted",
        obj=row,
        election=token.election,
        data={"token": token.prefix, "precinct": token.commission.unit.number, "contest": contest.pk},
    )
    return row
