"""Registration of voters in electoral groups (seed 000 items 13–16).

A person or an organisation fills in the group's form while the registration window is open
(exact start and end date and time, server clock), confirms the e-mail address with the link
sent to it, and the group's mandate/counting commission (members who signed the declaration of
no conflict of interest) or the secretariat accepts or rejects the registration with a reason.
Every step is audited (without names or e-mails: those stay in the registration), and the voter
is told of the decision by e-mail in their language. Registration closes with the lifecycle
step "open voting"; that step is blocked while confirmed registrations await a decision.

An accepted voter gets a portal account without a password (if the e-mail has none yet) holding
the voter role in the group; they vote through the single-use link of their invitation
(``voters.services.credentials``) and may set a password with "Forgot your password?".
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.permissions import require
from accounts.services import user_create
from elections.audit import audit_log
from elections.models import Decision, Election
from elections.notify import absolute, election_context, notify
from elections.outbox import task_enqueue
from elections.services.decisions import decision_take
from groups.models import ElectoralGroup
from groups.services import role_assign
from groups.services._common import system_or

from .. import selectors
from ..models import VoterRegistration
from ._common import (
    audit_actor,
    is_past,
    new_token,
    refuse_observers,
    refuse_when_archived,
    require_member_acting,
    require_system,
)

R = VoterRegistration.Status
K = VoterRegistration.Kind
REGISTRATION_FIELDS = (
    "name",
    "email",
    "phone",
    "region",
    "organisation",
    "registration_number",
    "representative_name",
)
REGISTRATION_STAGE = Election.State.REGISTRATION


def consent_text(election: Election, group: ElectoralGroup) -> str:
    """The consent the voter gives (stored as given, in the active language)."""
    return _(
        "I agree that the organisers of the election “%(election)s” process the personal data I "
        "give in this form (name, contacts, region, organisation and my registration in the group "
        "“%(group)s”) to register me as a voter, verify my registration, send me voting "
        "information and count voters in the protocol. The data are seen only by the secretariat, "
        "the group's organising-committee member and commission, and are not published."
    ) % {"election": election.title, "group": group.name}


def _locked_election(election: Election) -> Election:
    """The election as stored now, locked: the lifecycle step that closes registration locks
    the same row, so no registration slips in while it runs."""
    return Election.objects.select_for_update().get(pk=election.pk)


def _local(election: Election, value) -> str:
    return formats.date_format(election.local(value), "DATETIME_FORMAT")


def check_registration_open(election: Election, now=None) -> None:
    """Refuse unless the election is at the registration stage and the window is open now."""
    if is_past(election, REGISTRATION_STAGE):
        raise ValidationError(
            _("Voter registration is closed: the election is at the stage “%(state)s”.")
            % {"state": election.get_state_display()}
        )
    if election.state != REGISTRATION_STAGE:
        raise ValidationError(_("Voter registration has not opened yet."))
    window = selectors.registration_window(election)
    if not window.is_complete:
        raise ValidationError(_("The exact date and time of voter registration have not been announced yet."))
    status = window.status(now)
    if status == "before":
        raise ValidationError(
            _("Voter registration opens on %(time)s (%(tz)s).")
            % {"time": _local(election, window.opens_at), "tz": election.time_zone}
        )
    if status == "closed":
        raise ValidationError(
            _("Voter registration closed on %(time)s (%(tz)s); late registrations are not accepted.")
            % {"time": _local(election, window.closes_at), "tz": election.time_zone}
        )


def _live_duplicate(group, kind, email, registration_number) -> VoterRegistration | None:
    live = VoterRegistration.objects.select_for_update().filter(group=group).exclude(status=R.REJECTED)
    found = live.filter(email__iexact=email).first()
    if found is None and kind == K.ORGANISATION and registration_number:
        found = live.filter(kind=K.ORGANISATION, registration_number__iexact=registration_number).first()
    return found


@transaction.atomic
def registration_submit(
    *,
    election: Election,
    group: ElectoralGroup,
    actor,
    kind: str,
    consent: bool,
    language: str | None = None,
    system_import: bool = False,
    **fields,
) -> VoterRegistration:
    """Register a person or an organisation in ``group`` (seed 000 items 13–14).

    Only while the registration window is open (server clock); outside it nothing is stored.
    ``system_import=True`` (allowed only with ``actor=None``) skips the window and the e-mail
    confirmation: it is the path for the historical demo and for registrations collected on
    paper, and it is still refused once the election has left the registration stage.

    A second registration with the same e-mail (or organisation number) in the group stores
    nothing and tells the owner of the address by e-mail, so the form never reveals who is
    registered; an unconfirmed one is replaced and its confirmation sent again.

    ``language``: of the voter's mails and invitation (the page's language when they registered);
    none given (registrations collected on paper), the election's own language.
    """
    language = language or election.default_language
    unknown = set(fields) - set(REGISTRATION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown registration fields: {sorted(unknown)}")
    if group.election_id != election.pk:
        raise ValidationError({"group": _("The group belongs to another election.")})
    election = _locked_election(election)
    refuse_when_archived(election)
    if system_import:
        require_system(actor, "A system import of registrations")
        if is_past(election, REGISTRATION_STAGE):
            check_registration_open(election)  # raises: registration is closed
    else:
        refuse_observers(actor, election)
        check_registration_open(election)
    if not consent:
        raise ValidationError(
            {"consent": _("Registration needs your consent to the processing of your data.")}
        )
    values = {f: (fields.get(f) or "").strip() for f in REGISTRATION_FIELDS}
    values["email"] = User.objects.normalize_email(values["email"]).lower()
    if kind == K.ORGANISATION:
        errors = {}
        if not values["registration_number"]:
            errors["registration_number"] = _("Give the organisation's registration number.")
        if not values["representative_name"]:
            errors["representative_name"] = _("Give the full name of the organisation's representative.")
        if errors:
            raise ValidationError(errors)
    else:
        values["registration_number"] = values["representative_name"] = ""
    now = timezone.now()
    existing = _live_duplicate(group, kind, values["email"], values["registration_number"])
    if existing is not None:
        if system_import:
            raise ValidationError(_("This voter is already registered in the group."))
        if existing.status == R.UNCONFIRMED and existing.email == values["email"]:
            return _replace_unconfirmed(existing, kind, values, language, now, actor)
        registration_id = existing.pk
        from .. import tasks

        task_enqueue(tasks.send_registration_duplicate_notice.name, registration_id)
        return existing
    registration = VoterRegistration(
        election=election,
        group=group,
        kind=kind,
        consent_text=consent_text(election, group),
        consent_given_at=now,
        language=language,
        source=VoterRegistration.Source.SYSTEM if system_import else VoterRegistration.Source.FORM,
        status=R.CONFIRMED if system_import else R.UNCONFIRMED,
        submitted_at=now,
        confirmed_at=now if system_import else None,
        user=actor if actor is not None and actor.is_authenticated else None,
        **values,
    )
    registration.full_clean()
    registration.save()
    audit_log(
        action="voters.registration.submitted",
        **audit_actor(actor),
        obj=registration,
        election=election,
        data={
            "registration_id": registration.pk,
            "group_id": group.pk,
            "kind": kind,
            "region": registration.region,
            "source": registration.source,
        },
    )
    if not system_import:
        registration_id = registration.pk
        from .. import tasks

        task_enqueue(tasks.send_registration_confirmation.name, registration_id)
    return registration


def _replace_unconfirmed(registration, kind, values, language, now, actor) -> VoterRegistration:
    registration.kind = kind
    for field, value in values.items():
        setattr(registration, field, value)
    registration.language = language
    registration.consent_text = consent_text(registration.election, registration.group)
    registration.consent_given_at = now
    registration.submitted_at = now
    registration.confirmation_sent_at = None
    registration.confirm_token_hash = ""
    registration.full_clean()
    registration.save()
    audit_log(
        action="voters.registration.resubmitted",
        **audit_actor(actor),
        obj=registration,
        election=registration.election,
        data={"registration_id": registration.pk, "group_id": registration.group_id, "kind": kind},
    )
    registration_id = registration.pk
    from .. import tasks

    task_enqueue(tasks.send_registration_confirmation.name, registration_id)
    return registration


@transaction.atomic
def registration_confirmation_send(*, registration_id: int) -> bool:
    """Send the confirmation link once (a retried task sends nothing more). The token is made
    here and only its hash is stored; the mail is sent inside the transaction that records it."""
    registration = (
        VoterRegistration.objects.select_for_update(of=("self",))
        .select_related("election", "group")
        .filter(pk=registration_id, status=R.UNCONFIRMED, confirmation_sent_at__isnull=True)
        .first()
    )
    if registration is None:
        return False
    raw, digest = new_token()
    election = registration.election
    registration.confirm_token_hash = digest
    registration.confirmation_sent_at = timezone.now()
    registration.save(update_fields=["confirm_token_hash", "confirmation_sent_at"])
    notify(
        app="voters",
        to=registration.email,
        language=registration.language,
        template="registration_confirm",
        election=election,
        time_zone=election.tz,
        defaults=election_context(election),
        context={
            "registration": registration,
            "group_name": lambda: registration.group.name,
            "confirm_link": absolute(reverse("voters:registration_confirm", args=[election.slug, raw])),
        },
    )
    return True


@transaction.atomic
def registration_confirm(*, election: Election, token: str, actor=None) -> VoterRegistration:
    """The voter confirms the e-mail address with the link (seed 000 item 14: registration by
    e-mail). Only a confirmed registration is decided by the commission."""
    refuse_observers(actor, election)
    election = _locked_election(election)
    digest = selectors.token_digest(token or "")
    registration = (
        VoterRegistration.objects.select_for_update(of=("self",))
        .select_related("election", "group")
        .filter(election=election, status=R.UNCONFIRMED, confirm_token_hash=digest)
        .first()
        if token
        else None
    )
    if registration is None:
        raise ValidationError(_("This confirmation link is not valid or was already used."))
    if is_past(election, REGISTRATION_STAGE):
        raise ValidationError(_("Voter registration is closed; the registration can no longer be confirmed."))
    registration.status = R.CONFIRMED
    registration.confirmed_at = timezone.now()
    registration.confirm_token_hash = ""
    registration.save(update_fields=["status", "confirmed_at", "confirm_token_hash"])
    audit_log(
        action="voters.registration.confirmed",
        **audit_actor(actor),
        obj=registration,
        election=election,
        data={"registration_id": registration.pk, "group_id": registration.group_id},
    )
    return registration


def registration_decisions_open(election: Election) -> bool:
    """Whether the group's commission may still decide registrations (the page shows the form only
    then): until the registration stage has passed, and never in an archived election."""
    return election.state != Election.State.ARCHIVED and not is_past(election, REGISTRATION_STAGE)


@transaction.atomic
def registration_decide(
    *, registration: VoterRegistration, actor, decision: str, reason: str = "", create_account: bool = True
) -> VoterRegistration:
    """The group's commission (a member who declared no conflict of interest) or the secretariat
    accepts or rejects a confirmed registration (seed 000 stage 3: the commission verifies and
    builds the voter list). A rejection gives the reason the voter will read.

    An accepted voter's e-mail gets a portal account (without a password) holding the voter role
    in the group; ``create_account=False`` (the demo) only links an account that already exists.
    """
    registration = (
        VoterRegistration.objects.select_for_update(of=("self",))
        .select_related("election", "group")
        .get(pk=registration.pk)
    )
    election = registration.election = _locked_election(registration.election)
    if actor is not None:
        require(actor, "voter.decide", registration)
    refuse_observers(actor, election)
    refuse_when_archived(election)
    require_member_acting(actor, selectors.deciding_commission(actor, registration.group), election)
    if is_past(election, REGISTRATION_STAGE):
        raise ValidationError(_("Voter registration is closed; the list of registered voters is final."))
    if registration.status == R.UNCONFIRMED:
        raise ValidationError(
            _("The voter has not confirmed the e-mail address yet; only confirmed registrations are decided.")
        )
    if registration.status != R.CONFIRMED:
        raise ValidationError(_("This registration is already decided."))
    if decision not in ("accept", "reject"):
        raise ValidationError(_("Unknown decision."))
    if decision == "reject" and not reason.strip():
        raise ValidationError({"reason": _("Give the reason; the voter will read it.")})

    def on_adopted(record) -> dict:
        registration.decision = record
        if decision == "accept":
            registration.status = R.ACCEPTED
            registration.user = _voter_account(registration, actor, create=create_account)
        else:
            registration.status = R.REJECTED
        registration.full_clean()
        registration.save()
        return {"status": registration.status, "reason": record.reasons, "user_id": registration.user_id}

    decision_take(
        election=election,
        kind=Decision.Kind.VOTER_REGISTRATION,
        subject=registration,
        subject_label=registration.name,
        body=selectors.deciding_commission(actor, registration.group)
        or selectors.group_commission(registration.group),
        outcome=Decision.Outcome.GRANTED if decision == "accept" else Decision.Outcome.REFUSED,
        actor=actor,
        action=f"voters.registration.{R.ACCEPTED if decision == 'accept' else R.REJECTED}",
        on_adopted=on_adopted,
        data={"registration_id": registration.pk, "group_id": registration.group_id},
        reasons=reason if decision == "reject" else "",
        received_at=registration.confirmed_at or registration.submitted_at,
    )
    registration_id = registration.pk
    from .. import tasks

    task_enqueue(tasks.send_registration_decision.name, registration_id)
    return registration


def _voter_account(registration: VoterRegistration, actor, *, create: bool = True) -> User | None:
    """The voter's portal account (created without a password) with the voter role in the group."""
    election = registration.election
    manager = system_or(actor, "roles.manage", election)
    user = registration.user or User.objects.filter(email__iexact=registration.email).first()
    if user is None and not create:
        return None
    if user is None:
        full_name = registration.representative_name if registration.is_organisation else registration.name
        user = user_create(
            email=registration.email, full_name=full_name, language=registration.language, actor=manager
        )
    role_assign(user=user, role=Role.VOTER, group=registration.group, actor=manager)
    return user


@transaction.atomic
def registration_notify(*, registration_id: int) -> bool:
    """E-mail the voter about the decision, once per decision. True when sent."""
    registration = (
        VoterRegistration.objects.select_for_update(of=("self",))
        .select_related("election", "group")
        .filter(pk=registration_id, status__in=[R.ACCEPTED, R.REJECTED])
        .first()
    )
    if registration is None or registration.notified_status == registration.status:
        return False
    election = registration.election
    notify(
        app="voters",
        to=registration.email,
        language=registration.language,
        template=f"registration_{registration.status}",
        election=election,
        time_zone=election.tz,
        defaults=election_context(election),
        context={
            "registration": registration,
            "group_name": lambda: registration.group.name,
            "voting_starts_at": election.voting_starts_at,
            "voting_ends_at": election.voting_ends_at,
        },
    )
    registration.notified_status = registration.status
    registration.save(update_fields=["notified_status"])
    return True


def registration_duplicate_notice(*, registration_id: int) -> bool:
    """Tell the owner of an address that someone registered it again in the same group (the form
    itself says nothing, so that it never reveals who is registered)."""
    registration = (
        VoterRegistration.objects.select_related("election", "group").filter(pk=registration_id).first()
    )
    if registration is None:
        return False
    notify(
        app="voters",
        to=registration.email,
        language=registration.language,
        template="registration_duplicate",
        election=registration.election,
        time_zone=registration.election.tz,
        defaults=election_context(registration.election),
        context={
            "registration": registration,
            "group_name": lambda: registration.group.name,
            "status": lambda: registration.get_status_display(),
        },
    )
    return True
