"""Submitting a candidate's application, step by step (``application_submit``): who and when, the
nomination, the window, the verifying commission, the fields and consent, the person's
eligibility; then the application, its audit entry and the mail after commit."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import can, require
from elections.audit import audit_log
from elections.documents import validate_document as check_document
from groups.models import CommissionMember, RoleAssignment

from .. import deadlines
from ..contests import Contest
from ..models import FIELD_NAMES, Application, FieldMode, PartyList
from ..selectors import settings_for
from ._common import (
    audit_actor,
    clock,
    file_digest,
    refuse_closed_election,
    refuse_observers,
    voting_has_opened,
)
from .applications import _contest, _notify_after_commit

A = Application.Status
N = Application.Nomination
TEXT_FIELDS = ("organisation", "occupation", "region", "phone", "programme")


def consent_text(election, full_name: str) -> str:
    """The consent the applicant gives (stored as given, in the language of the form)."""
    return _(
        "I, %(name)s, agree that the portal and the bodies running “%(election)s” process my personal "
        "data given in this application to verify it, to decide on my registration and to publish, "
        "if I am registered, my name, organisation, occupation, region, photo and programme. My "
        "e-mail, phone, date of birth and documents are not published."
    ) % {"name": full_name, "election": election.title}


def _refuse_other_group(actor, election, contest: Contest) -> None:
    """A person who takes part in the election through one group (organising committee, voter,
    candidate, commission of that group) cannot stand in another group."""
    if contest.group is None:
        return
    for assignment in RoleAssignment.objects.filter(user=actor, election=election).select_related(
        "group", "commission__group"
    ):
        group = assignment.group or (assignment.commission.group if assignment.commission else None)
        if group is not None and group.pk != contest.group.pk:
            raise PermissionDenied(
                _(
                    "You take part in this election through the group “%(group)s”; you cannot apply in another group."
                )
                % {"group": group.name}
            )


def _check_fields(settings, values: dict, files: dict) -> dict:
    """Required fields filled; fields the election does not ask for are dropped."""
    errors = {}
    for name in FIELD_NAMES:
        mode = settings.field_mode(name)
        present = files.get(name) if name in files else values.get(name)
        if mode == FieldMode.HIDDEN:
            if name in files:
                files[name] = None
            else:
                values[name] = None if name == "birth_date" else ""
        elif mode == FieldMode.REQUIRED and not present:
            errors[name] = _("This election asks for this field.")
    document = files.get("document")
    if document and "document" not in errors:
        try:
            check_document(document, max_bytes=settings.max_document_mb * 1024 * 1024)
        except ValidationError as exc:
            errors["document"] = exc.messages
    return errors


@transaction.atomic
def application_submit(
    *,
    election,
    actor,
    nomination: str,
    group=None,
    unit=None,
    party_list: PartyList | None = None,
    list_position: int | None = None,
    full_name: str = "",
    email: str = "",
    phone: str = "",
    birth_date=None,
    organisation: str = "",
    occupation: str = "",
    region: str = "",
    programme: str = "",
    nominated_by: str = "",
    photo=None,
    document=None,
    consent: bool = False,
    language: str = "ru",
    as_of=None,
) -> Application:
    """Submit a candidate's application (seed 000 items 13–14, seed 003 items 16–19).

    Accepted only inside the election's application window by the server clock (``as_of``: a
    system import of historical records, checked at that instant); outside it nothing is stored
    and the message says when the window is. The verifying commission must exist; the person may
    have one standing application per election; a member of the verifying commission cannot
    stand. The type of the signed form and the photo is checked from their content.
    """
    now = clock(actor, as_of)
    _refuse_submission_now(actor, election)
    if party_list is not None:
        unit = party_list.unit
    contest = _contest(election, group, unit)
    party_list, list_position, user, email, full_name = _check_nomination(
        actor=actor,
        election=election,
        contest=contest,
        nomination=nomination,
        party_list=party_list,
        list_position=list_position,
        email=email,
        full_name=full_name,
    )
    settings = settings_for(election)
    window = _open_window(election, settings, nomination, now)
    commission = _verifying_commission(contest)
    email = User.objects.normalize_email(email or "").strip().lower()
    full_name = " ".join((full_name or "").split())
    values = {"organisation": organisation, "occupation": occupation, "region": region, "phone": phone,
              "programme": programme, "birth_date": birth_date}  # fmt: skip
    files = {"photo": photo, "document": document}
    _check_application(settings, values, files, consent=consent)
    _refuse_ineligible_person(election, commission, email)
    if user is None and email:
        user = User.objects.filter(email__iexact=email).first()
    application = Application(
        election=election,
        group=contest.group,
        unit=contest.unit,
        commission=commission,
        nomination=nomination,
        nominated_by=nominated_by.strip() if nomination != N.SELF else "",
        party_list=party_list,
        list_position=list_position,
        user=user,
        full_name=full_name,
        email=email,
        birth_date=values["birth_date"],
        photo=files["photo"] or "",
        document=files["document"] or "",
        document_sha256=file_digest(files["document"]) or "",
        consent_at=now,
        consent_text=consent_text(election, full_name),
        language=language,
        status=A.SUBMITTED,
        received_at=now,
        decision_due_at=deadlines.decision_due(election, settings, now),
        submitted_by=actor,
        **{f: (values[f] or "").strip() for f in TEXT_FIELDS},
    )
    application.full_clean()
    application.save()
    audit_log(
        action="candidates.application.submitted",
        **audit_actor(actor),
        obj=application,
        election=election,
        data={
            "application_id": application.pk,
            "contest": contest.key,
            "commission_id": commission.pk,
            "nomination": nomination,
            "party_list_id": application.party_list_id,
            "list_position": list_position,
            "full_name": full_name,
            "received_at": now,
            "decision_due_at": application.decision_due_at,
            "document_sha256": application.document_sha256,
            "window_activity": window.number,
        },
    )
    _notify_after_commit(application)
    return application


# --- the steps of application_submit, in their order ---------------------------------------------


def _refuse_submission_now(actor, election) -> None:
    """Who and when: no observer, a logged-in actor (or the system), an open election, voting not
    yet open."""
    refuse_observers(actor, election)
    if actor is not None and not actor.is_authenticated:
        raise PermissionDenied(_("Log in to submit an application."))
    refuse_closed_election(election)
    if voting_has_opened(election):
        raise ValidationError(_("Voting has opened; no more candidates can be nominated."))


def _check_nomination(
    *, actor, election, contest: Contest, nomination, party_list, list_position, email, full_name
):
    """The kind of nomination and who may make it: a party's list by its authorised representative,
    an organisation's by whoever may submit for the contest, a self-nomination by the person (or
    entered for someone else by whoever may submit). Returns ``(party_list, list_position, user,
    email, full_name)`` as the nomination fixes them."""
    if nomination not in N.values:
        raise ValidationError({"nomination": _("Choose how the candidate is nominated.")})
    user = None
    if nomination == N.PARTY_LIST:
        if party_list is None or party_list.election_id != election.pk:
            raise ValidationError({"party_list": _("Choose the party list.")})
        if party_list.withdrawn_at is not None:
            raise ValidationError({"party_list": _("This party list was recalled.")})
        if actor is not None:
            require(actor, "candidate.party_list", party_list)
            if party_list.representative_id != actor.pk and not can(actor, "candidate.manage", election):
                raise PermissionDenied(
                    _("Only the party's authorised representative adds candidates to its list.")
                )
        if not list_position:
            raise ValidationError({"list_position": _("Give the candidate's position on the list.")})
    elif nomination == N.ORGANISATION:
        if actor is not None:
            require(actor, "candidate.submit", contest)
        party_list, list_position = None, None
    else:  # self-nomination
        party_list, list_position = None, None
        entering_for_someone = (
            actor is not None
            and can(actor, "candidate.submit", contest)
            and bool(email)
            and email.strip().lower() != actor.email.lower()
        )
        if actor is not None and not entering_for_someone:
            _refuse_other_group(actor, election, contest)
            user, email = actor, actor.email
            full_name = full_name or actor.full_name
    return party_list, list_position, user, email, full_name


def _open_window(election, settings, nomination, now):
    """The election accepts this kind of nomination, and its application window is open at
    ``now``; returns the window."""
    allowed = {
        N.SELF: settings.allow_self,
        N.ORGANISATION: settings.allow_organisation,
        N.PARTY_LIST: settings.allow_party_list,
    }
    if not allowed[nomination]:
        raise ValidationError({"nomination": _("This election does not accept this kind of nomination.")})
    window = deadlines.application_window(election, settings, nomination)
    refusal = window.refusal(now)
    if refusal:
        raise ValidationError(refusal)
    return window


def _verifying_commission(contest: Contest):
    commission = contest.verifying_commission()
    if commission is None:
        raise ValidationError(
            _("Applications to “%(contest)s” open once its verifying commission is formed.")
            % {"contest": contest.name}
        )
    return commission


def _check_application(settings, values: dict, files: dict, *, consent: bool) -> None:
    """The fields and files the election asks for, and the candidate's consent: all the errors
    at once."""
    errors = _check_fields(settings, values, files)
    if not consent:
        errors["consent"] = _(
            "The application needs the candidate's consent to the processing of personal data."
        )
    if errors:
        raise ValidationError(errors)


def _refuse_ineligible_person(election, commission, email: str) -> None:
    """A member of the verifying commission cannot stand; one standing application per person."""
    if (
        email
        and CommissionMember.objects.filter(
            commission=commission, is_active=True, user__email__iexact=email
        ).exists()
    ):
        raise ValidationError(
            _("A member of the commission “%(commission)s” cannot stand in the contest it verifies.")
            % {"commission": commission.name}
        )
    if (
        email
        and Application.objects.filter(
            election=election, email=email, status__in=Application.STANDING
        ).exists()
    ):
        raise ValidationError(_("This person already has an application in this election."))
