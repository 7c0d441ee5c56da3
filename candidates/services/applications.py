"""Applications of candidates and party lists: submission inside the calendar window, withdrawal
until the deadline (seed 000 items 13–16; seed 003 items 16–19, 25).

Who submits:
* a person for themself (self-nomination): any logged-in user — the application is tied to
  their account and e-mail;
* the group's organising-committee member for their own group (nomination by the community),
  or the secretariat entering a paper application (``candidate.submit`` on the group);
* a party's authorised representative for their party's list in a district
  (``candidate.party_list`` and being the list's representative; the secretariat for any list).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Role, RoleAssignment, User
from accounts.permissions import can, require
from elections.audit import audit_log
from elections.documents import validate_document as check_document
from elections.outbox import task_enqueue
from groups.models import CommissionMember, TerritorialUnit

from .. import deadlines
from ..contests import Contest
from ..models import FIELD_NAMES, Application, FieldMode, PartyList
from ..selectors import may_withdraw, settings_for
from ._common import (
    audit_actor,
    clock,
    file_digest,
    refuse_closed_election,
    refuse_observers,
    voting_has_opened,
)

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


def _contest(election, group, unit) -> Contest:
    if (group is None) == (unit is None):
        raise ValidationError(_("Choose the group or the district the candidate stands in."))
    target = group or unit
    if target.election_id != election.pk:
        raise ValidationError(_("The group or district belongs to another election."))
    if unit is not None and unit.kind != TerritorialUnit.Kind.DISTRICT:
        raise ValidationError(_("Candidates stand in electoral districts, not in precincts."))
    return Contest(election=election, group=group, unit=unit)


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
    refuse_observers(actor, election)
    if actor is not None and not actor.is_authenticated:
        raise PermissionDenied(_("Log in to submit an application."))
    refuse_closed_election(election)
    if voting_has_opened(election):
        raise ValidationError(_("Voting has opened; no more candidates can be nominated."))
    if party_list is not None:
        unit = party_list.unit
    contest = _contest(election, group, unit)
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
    settings = settings_for(election)
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
    commission = contest.verifying_commission()
    if commission is None:
        raise ValidationError(
            _("Applications to “%(contest)s” open once its verifying commission is formed.")
            % {"contest": contest.name}
        )
    email = User.objects.normalize_email(email or "").strip().lower()
    full_name = " ".join((full_name or "").split())
    values = {"organisation": organisation, "occupation": occupation, "region": region, "phone": phone,
              "programme": programme, "birth_date": birth_date}  # fmt: skip
    files = {"photo": photo, "document": document}
    errors = _check_fields(settings, values, files)
    if not consent:
        errors["consent"] = _(
            "The application needs the candidate's consent to the processing of personal data."
        )
    if errors:
        raise ValidationError(errors)
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


def _notify_after_commit(application: Application) -> None:
    from .. import tasks

    application_id = application.pk
    task_enqueue(tasks.send_application_status.name, application_id)


def revoke_candidate_role(application: Application, actor) -> None:
    """The candidate's role ends when they leave the race (kept while another registration
    in the same scope stands)."""
    from accounts.services import role_revoke

    from ._common import system_or

    if application.user_id is None:
        return
    still = Application.objects.filter(
        election=application.election, user=application.user, status=A.ADMITTED, group=application.group
    ).exclude(pk=application.pk)
    if still.exists():
        return
    for assignment in RoleAssignment.objects.filter(
        user=application.user, role=Role.CANDIDATE, election=application.election, group=application.group
    ):
        role_revoke(assignment=assignment, actor=system_or(actor, "roles.manage", application.election))


def _withdraw(application: Application, actor, reason: str, now, settings) -> Application:
    was_registered = application.status == A.ADMITTED
    approved_at = deadlines.ballot_approved_at(application.election, settings)
    application.status = A.WITHDRAWN
    application.withdrawn_at = now
    application.withdrawn_by = actor if actor is not None and actor.is_authenticated else None
    application.withdrawal_reason = reason.strip()
    application.left_after_ballot_approval = bool(was_registered and approved_at and now >= approved_at)
    application.full_clean()
    application.save()
    if was_registered:
        revoke_candidate_role(application, actor)
    audit_log(
        action="candidates.application.withdrawn",
        **audit_actor(actor),
        obj=application,
        election=application.election,
        data={
            "application_id": application.pk,
            "contest": application.contest_key,
            "was_registered": was_registered,
            "after_ballot_approval": application.left_after_ballot_approval,
            "reason": application.withdrawal_reason,
            "withdrawn_at": now,
        },
    )
    _notify_after_commit(application)
    return application


def _refuse_after_withdrawal_deadline(election, settings, now) -> None:
    deadline = deadlines.withdrawal_deadline(election, settings)
    if deadline.has_passed(now):
        raise ValidationError(
            _("Withdrawal is no longer possible: the deadline (%(due)s) has passed.")
            % {"due": deadline.label}
        )


@transaction.atomic
def application_withdraw(*, application: Application, actor, reason: str = "", as_of=None) -> Application:
    """The candidate withdraws (or the party withdraws a candidate of its list), not later than
    the withdrawal deadline of the calendar (seed 003 item 25: 2 days before voting). A
    registered candidate who withdraws after the ballot was approved stays on the ballot and is
    marked in the results (``left_after_ballot_approval``)."""
    now = clock(actor, as_of)
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("election", "party_list", "group", "unit")
        .get(pk=application.pk)
    )
    election = application.election
    refuse_observers(actor, election)
    if actor is not None and not may_withdraw(actor, application):
        raise PermissionDenied(_("Only the candidate, or the party for a candidate of its list, withdraws."))
    refuse_closed_election(election)
    if application.status not in Application.STANDING:
        raise ValidationError(_("This application is no longer in the race."))
    settings = settings_for(election)
    _refuse_after_withdrawal_deadline(election, settings, now)
    return _withdraw(application, actor, reason, now, settings)


# --- party lists ----------------------------------------------------------------------------


@transaction.atomic
def party_list_create(
    *, election, unit, party_name: str, actor, representative: User | None = None, as_of=None
) -> PartyList:
    """A party's authorised representative opens the party's list for a district (seed 003
    items 16 and 18), inside the party lists' window."""
    now = clock(actor, as_of)
    refuse_observers(actor, election)
    refuse_closed_election(election)
    contest = _contest(election, None, unit)
    if actor is not None:
        require(actor, "candidate.party_list", contest)
        if not can(actor, "candidate.manage", election):
            representative = actor
    representative = representative or actor
    if representative is None:
        raise ValidationError(_("Name the party's authorised representative."))
    settings = settings_for(election)
    if not settings.allow_party_list:
        raise ValidationError(_("This election does not accept party lists."))
    refusal = deadlines.application_window(election, settings, Application.Nomination.PARTY_LIST).refusal(now)
    if refusal:
        raise ValidationError(refusal)
    commission = contest.verifying_commission()
    if commission is None:
        raise ValidationError(
            _("Applications to “%(contest)s” open once its verifying commission is formed.")
            % {"contest": contest.name}
        )
    party_list = PartyList(
        election=election,
        unit=unit,
        commission=commission,
        party_name=" ".join(party_name.split()),
        representative=representative,
        created_at=now,
    )
    party_list.full_clean()
    party_list.save()
    audit_log(
        action="candidates.party_list.created",
        actor=actor,
        obj=party_list,
        election=election,
        data={
            "party_list_id": party_list.pk,
            "party": party_list.party_name,
            "contest": contest.key,
            "representative_id": representative.pk,
        },
    )
    return party_list


@transaction.atomic
def party_list_withdraw(*, party_list: PartyList, actor, reason: str = "", as_of=None) -> PartyList:
    """The party recalls its whole list (seed 003 item 25), not later than the withdrawal
    deadline: every candidate still standing on it is withdrawn."""
    now = clock(actor, as_of)
    party_list = PartyList.objects.select_for_update().select_related("election").get(pk=party_list.pk)
    election = party_list.election
    refuse_observers(actor, election)
    if actor is not None:
        require(actor, "candidate.party_list", party_list)
        if party_list.representative_id != actor.pk and not can(actor, "candidate.manage", election):
            raise PermissionDenied(_("Only the party's authorised representative recalls its list."))
    refuse_closed_election(election)
    if party_list.withdrawn_at is not None:
        raise ValidationError(_("This party list was recalled."))
    settings = settings_for(election)
    _refuse_after_withdrawal_deadline(election, settings, now)
    candidates = (
        Application.objects.select_for_update(of=("self",))
        .select_related("election", "party_list", "group", "unit")
        .filter(party_list=party_list, status__in=Application.STANDING)
        .order_by("list_position")
    )
    withdrawn = [_withdraw(a, actor, reason, now, settings).pk for a in candidates]
    party_list.withdrawn_at = now
    party_list.withdrawal_reason = reason.strip()
    party_list.save(update_fields=["withdrawn_at", "withdrawal_reason"])
    audit_log(
        action="candidates.party_list.withdrawn",
        **audit_actor(actor),
        obj=party_list,
        election=election,
        data={
            "party_list_id": party_list.pk,
            "applications": withdrawn,
            "reason": party_list.withdrawal_reason,
        },
    )
    return party_list
