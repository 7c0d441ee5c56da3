"""Observers: application, accreditation, refusal, revocation (seed 000 items 7–9, seed 003
items 33–34).

The responsible body decides: in local-council elections the CEC (seed 003 item 34, "as
applications arrive"); in CCM elections the organising committee — its member from the observed
group invites and admits observers at the community level (seed 000 item 9); an application for
the whole CCM election is decided by the secretariat. The secretariat may always decide. Every
decision is audited and the applicant is told by e-mail; an accredited observer with a portal
account holds the observer role of the election, which is read-only.
"""

from __future__ import annotations

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.permissions import require
from accounts.services import user_create
from elections.audit import audit_log
from elections.models import Decision, Election
from elections.notify import absolute, account_setup_link, notify
from elections.outbox import task_enqueue
from elections.services.decisions import decision_take

from ..models import Commission, ObserverApplication, ObserverInvitation, RoleAssignment
from ._common import audit_actor, refuse_observers, refuse_when_archived, system_or
from .roles import role_assign, role_revoke
from .work import _complete, is_cec_or_secretariat

A = ObserverApplication.Status
OUT = Decision.Outcome
APPLICATION_FIELDS = ("kind", "applicant_type", "name", "organisation", "country", "contact_email", "phone")


def responsible_body(election: Election) -> Commission | None:
    """The CEC for local-council elections, the organising committee for CCM elections; for
    other elections whichever of the two exists (the CEC first)."""
    order = [Commission.Kind.CEC, Commission.Kind.ORG_COMMITTEE]
    if election.kind == Election.Kind.CCM_NGO:
        order = [Commission.Kind.ORG_COMMITTEE]
    elif election.kind == Election.Kind.LOCAL_COUNCIL:
        order = [Commission.Kind.CEC]
    bodies = {c.kind: c for c in Commission.objects.filter(election=election, kind__in=order)}
    return next((bodies[k] for k in order if k in bodies), None)


@transaction.atomic
def observer_apply(
    *, election: Election, actor, group=None, document=None, language: str = "ru", **fields
) -> ObserverApplication:
    """Apply for accreditation (a person or an organisation; no account needed)."""
    refuse_observers(actor, election)
    refuse_when_archived(election)
    unknown = set(fields) - set(APPLICATION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown application fields: {sorted(unknown)}")
    body = responsible_body(election)
    if body is None:
        raise ValidationError(_("Applications open once the responsible commission is formed."))
    if group is not None and group.election_id != election.pk:
        raise ValidationError({"group": _("The group belongs to another election.")})
    application = ObserverApplication(
        election=election,
        commission=body,
        group=group,
        document=document or "",
        language=language,
        user=actor if actor is not None and actor.is_authenticated else None,
        **fields,
    )
    application.contact_email = User.objects.normalize_email(application.contact_email).lower()
    application.full_clean()
    application.save()
    audit_log(
        action="groups.observer.applied",
        **audit_actor(actor),
        obj=application,
        election=election,
        data={
            "application_id": application.pk,
            "kind": application.kind,
            "applicant_type": application.applicant_type,
            "group_id": application.group_id,
            "commission_id": body.pk,
        },
    )
    return application


def _locked(application: ObserverApplication, actor) -> ObserverApplication:
    application = (
        ObserverApplication.objects.select_for_update(of=("self",))
        .select_related("election", "commission")
        .get(pk=application.pk)
    )
    if actor is not None:
        require(actor, "observer.decide", application)
    refuse_when_archived(application.election)
    return application


def _decide(
    application: ObserverApplication, actor, *, action: str, outcome: str, reason: str, apply
) -> None:
    """The responsible body's decision (``decision_take``, by the official who acts for it); then
    the applicant is told by e-mail."""

    def on_adopted(decision) -> dict:
        application.decision = decision
        apply()
        application.full_clean()
        application.save()
        return {"status": application.status, "reason": decision.reasons, "user_id": application.user_id}

    decision_take(
        election=application.election,
        kind=Decision.Kind.OBSERVER_APPLICATION,
        subject=application,
        subject_label=application.name,
        body=application.commission,
        outcome=outcome,
        actor=actor,
        action=action,
        on_adopted=on_adopted,
        data={"application_id": application.pk},
        reasons=reason,
        received_at=application.submitted_at,
    )
    application_id = application.pk
    from .. import tasks

    task_enqueue(tasks.send_observer_decision.name, application_id)


@transaction.atomic
def observer_accredit(
    *, application: ObserverApplication, actor, create_account: bool = True
) -> ObserverApplication:
    """Accredit an observer. With ``create_account`` an unknown contact address gets an account
    (invited to set its password) so the observer can use the read-only dashboard."""
    application = _locked(application, actor)
    if application.status != A.SUBMITTED:
        raise ValidationError(_("This application is already decided."))

    def accredit():
        user = application.user or User.objects.filter(email__iexact=application.contact_email).first()
        if user is None and create_account:
            full_name = (
                application.name if application.applicant_type == application.ApplicantType.PERSON else ""
            )
            user = user_create(
                email=application.contact_email,
                full_name=full_name,
                language=application.language,
                actor=system_or(actor, "roles.manage", application.election),
            )
        application.user = user
        application.status = A.ACCREDITED

    _decide(
        application,
        actor,
        action="groups.observer.accredited",
        outcome=OUT.GRANTED,
        reason="",
        apply=accredit,
    )
    if application.user is not None:
        role_assign(
            user=application.user,
            role=Role.OBSERVER,
            election=application.election,
            actor=system_or(actor, "roles.manage", application.election),
        )
    return application


@transaction.atomic
def observer_refuse(*, application: ObserverApplication, actor, reason: str) -> ObserverApplication:
    """Refuse an application, with the reason the applicant will read."""
    application = _locked(application, actor)
    if application.status != A.SUBMITTED:
        raise ValidationError(_("This application is already decided."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason; the applicant will read it.")})

    def refuse():
        application.status = A.REFUSED

    _decide(
        application, actor, action="groups.observer.refused", outcome=OUT.REFUSED, reason=reason, apply=refuse
    )
    return application


@transaction.atomic
def observer_revoke(*, application: ObserverApplication, actor, reason: str) -> ObserverApplication:
    """Revoke an accreditation: the credential shows as revoked and the observer role ends
    (unless another accreditation in the same election keeps it)."""
    application = _locked(application, actor)
    if application.status != A.ACCREDITED:
        raise ValidationError(_("Only an accredited observer can have the accreditation revoked."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason; the applicant will read it.")})

    def revoke():
        application.status = A.REVOKED

    _decide(
        application, actor, action="groups.observer.revoked", outcome=OUT.REVOKED, reason=reason, apply=revoke
    )
    user = application.user
    if user is not None:
        other = ObserverApplication.objects.filter(
            election=application.election, user=user, status=A.ACCREDITED
        ).exclude(pk=application.pk)
        if not other.exists():
            for assignment in RoleAssignment.objects.filter(
                user=user, role=Role.OBSERVER, election=application.election, group=None, commission=None
            ):
                role_revoke(
                    assignment=assignment, actor=system_or(actor, "roles.manage", application.election)
                )
    return application


DECIDERS = {"accredit": observer_accredit, "refuse": observer_refuse, "revoke": observer_revoke}


@transaction.atomic
def observer_notify(*, application_id: int) -> bool:
    """E-mail the applicant about the decision, once per decision. True when sent."""
    application = (
        ObserverApplication.objects.select_for_update(of=("self",))
        .select_related("election", "user")
        .filter(pk=application_id)
        .first()
    )
    if application is None or application.status == A.SUBMITTED:
        return False
    if application.notified_status == application.status:
        return False
    election, user = application.election, application.user
    notify(
        app="groups",
        election=election,
        to=application.contact_email,
        language=user.language if user else application.language,
        template=f"observer_{application.status}",
        context={
            "application": application,
            "election_title": lambda: election.title,
            "verify_link": lambda: absolute(
                reverse("groups:observer_verify", args=[election.slug, application.credential_code])
            ),
            "credential_link": lambda: absolute(
                reverse("groups:observer_credential", args=[election.slug, application.credential_code])
            ),
            "setup_link": (lambda: account_setup_link(user)) if user else "",
        },
    )
    application.notified_status = application.status
    application.save(update_fields=["notified_status"])
    return True


@transaction.atomic
def observer_invite(
    *,
    election: Election,
    actor,
    organisation: str,
    email: str,
    country: str = "",
    language: str = "ru",
    as_of=None,
) -> ObserverInvitation:
    """The CEC (or the secretariat) invites an international organisation or a foreign election
    body to observe (seed 003 item 33): a letter with the link to apply for accreditation, recorded
    once in the outbox; the first invitation marks the activity done."""
    if actor is not None:
        require(actor, "observer.decide", election)
        refuse_observers(actor, election)
        if not is_cec_or_secretariat(actor, election):
            raise ValidationError(_("The central commission or the secretariat sends the invitations."))
    if not organisation.strip() or not email.strip():
        raise ValidationError(_("Name the organisation and give its e-mail."))
    if language not in dict(django_settings.LANGUAGES):
        language = django_settings.LANGUAGE_CODE
    invitation = ObserverInvitation.objects.create(
        election=election,
        organisation=organisation.strip(),
        email=email.strip().lower(),
        country=country.strip(),
        language=language,
        sent_by=actor,
        sent_at=min(as_of or timezone.now(), timezone.now()),
    )
    notify(
        app="groups",
        election=election,
        to=invitation.email,
        language=language,
        template="observer_invitation",
        context={
            "organisation": invitation.organisation,
            "election_title": lambda: election.title,
            "apply_link": lambda: absolute(reverse("groups:observer_apply", args=[election.slug])),
        },
        key=f"observer-invitation-{invitation.pk}",
    )
    audit_log(
        action="groups.observer.invited",
        actor=actor,
        obj=invitation,
        election=election,
        data={
            "organisation": invitation.organisation,
            "email": invitation.email,
            "country": invitation.country,
        },
    )
    _complete(election, "invitations", _("Invitations to observe sent."), invitation.sent_at)
    return invitation
