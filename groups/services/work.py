"""The commissions' training and budget (seed 003 items 7, 35, 37): one transaction and one audit
entry each.

* ``training_schedule`` — the CEC (its training centre) or the secretariat schedules a session for
  commissions; every active member of them is invited. ``training_attendance_record`` — after it
  started, who attended. Item 7 is done once every active member of every TEC and PEC attended one.
* ``budget_line_save`` — the CEC's estimate: the planned amount per commission and article (a TEC's
  or PEC's lines are its allocation); ``budget_estimate_approve`` marks item 35 done.
* ``spending_record`` — a commission records what it paid, against a line of the estimate, with
  the payment document; a spending outside the estimate is refused, an over-spending is recorded
  and flagged on the report (the money is spent: the report must show it, not hide it).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import refuse_observers, require
from elections.audit import audit_log
from elections.notify import notify
from elections.selectors import calendar_of
from elections.services.calendar import activity_fulfil

from ..models import (
    Article,
    BudgetLine,
    Commission,
    CommissionMember,
    Spending,
    TrainingAttendance,
    TrainingSession,
)
from ..selectors import is_cec_or_secretariat

ACTIVITIES = {"kg-local-2016": {"training": 7, "estimate": 35, "control": 37, "invitations": 33}}


def _refuse(message):
    raise ValidationError(message)


def activity(election, what: str):
    calendar = calendar_of(election)
    number = ACTIVITIES.get(calendar.template.slug, {}).get(what) if calendar is not None else None
    return calendar.activities.filter(number=number).first() if number else None


def _complete(election, what: str, note: str, when) -> None:
    calendar = calendar_of(election)
    number = ACTIVITIES.get(calendar.template.slug, {}).get(what) if calendar is not None else None
    activity_fulfil(election=election, number=number, note=note, when=when)


def _cec(actor, election, capability: str) -> None:
    if actor is None:
        return
    require(actor, capability, election)
    refuse_observers(actor, election)
    if not is_cec_or_secretariat(actor, election):
        raise PermissionDenied(_("Only the central commission or the secretariat does this."))


@transaction.atomic
def training_schedule(
    *, election, actor, topic: str, starts_at, trainer: str, place: str, commissions
) -> TrainingSession:
    _cec(actor, election, "training.manage")
    commissions = list(commissions)
    if not topic.strip() or not trainer.strip() or not place.strip():
        _refuse(_("Give the topic, the trainer and the place."))
    if starts_at is None:
        _refuse(_("Give the date and time of the session."))
    if not commissions or any(c.election_id != election.pk for c in commissions):
        _refuse(_("Choose the commissions of this election whose members are invited."))
    session = TrainingSession.objects.create(
        election=election,
        topic=topic.strip(),
        starts_at=starts_at,
        trainer=trainer.strip(),
        place=place.strip(),
        recorded_by=actor,
    )
    session.commissions.set(commissions)
    members = CommissionMember.objects.filter(commission__in=commissions, is_active=True).select_related(
        "user"
    )
    TrainingAttendance.objects.bulk_create([TrainingAttendance(session=session, member=m) for m in members])
    for member in members:
        notify(
            app="groups",
            election=election,
            to=member.user.email,
            language=member.user.language,
            template="training_invitation",
            context={
                "name": member.user.get_full_name(),
                "topic": session.topic,
                "starts_at": session.starts_at,
                "place": session.place,
                "trainer": session.trainer,
                "election_title": lambda: election.title,
            },
            key=f"training-{session.pk}-{member.pk}",
            time_zone=election.tz,
        )
    audit_log(
        action="groups.training.scheduled",
        actor=actor,
        obj=session,
        election=election,
        data={
            "topic": session.topic,
            "starts_at": starts_at.isoformat(),
            "commissions": [c.pk for c in commissions],
            "invited": members.count(),
        },
    )
    return session


@transaction.atomic
def training_attendance_record(*, session: TrainingSession, actor, attended_ids) -> TrainingSession:
    session = TrainingSession.objects.select_for_update().select_related("election").get(pk=session.pk)
    _cec(actor, session.election, "training.manage")
    if session.starts_at > timezone.now():
        _refuse(_("Attendance is recorded once the session has started."))
    ids = {int(i) for i in attended_ids}
    rows = list(session.attendance.all())
    if ids - {r.member_id for r in rows}:
        _refuse(_("Tick members invited to this session."))
    for row in rows:
        row.attended = row.member_id in ids
    TrainingAttendance.objects.bulk_update(rows, ["attended"])
    session.attendance_recorded_at = timezone.now()
    session.save(update_fields=["attendance_recorded_at"])
    audit_log(
        action="groups.training.attendance",
        actor=actor,
        obj=session,
        election=session.election,
        data={"attended": sorted(ids), "invited": len(rows)},
    )
    election = session.election
    members = CommissionMember.objects.filter(
        commission__election=election,
        commission__kind__in=(Commission.Kind.TEC, Commission.Kind.PEC),
        is_active=True,
    )
    trained = set(
        TrainingAttendance.objects.filter(session__election=election, attended=True).values_list(
            "member_id", flat=True
        )
    )
    if members.exists() and set(members.values_list("pk", flat=True)) <= trained:
        _complete(
            election,
            "training",
            _("Every member of the territorial and precinct commissions is trained."),
            min(session.starts_at, timezone.now()),
        )
    return session


@transaction.atomic
def budget_line_save(*, election, actor, commission: Commission, article: str, planned) -> BudgetLine:
    _cec(actor, election, "budget.manage")
    if commission.election_id != election.pk:
        _refuse(_("Choose a commission of this election."))
    if article not in Article.values:
        _refuse(_("Choose an article of the estimate."))
    if planned is None or planned < 0:
        _refuse(_("The planned amount is zero or more."))
    line, created = BudgetLine.objects.select_for_update().get_or_create(
        commission=commission,
        article=article,
        defaults={"election": election, "planned": planned, "recorded_by": actor},
    )
    before = None if created else line.planned
    if not created:
        line.planned, line.recorded_by, line.recorded_at = planned, actor, timezone.now()
        line.save()
    audit_log(
        action="groups.budget.line_saved",
        actor=actor,
        obj=line,
        election=election,
        data={
            "commission": commission.pk,
            "article": article,
            "planned": str(planned),
            "before": str(before) if before is not None else None,
        },
    )
    return line


@transaction.atomic
def budget_estimate_approve(*, election, actor, as_of=None) -> None:
    """The CEC approves the estimate (item 35); ``as_of``: the date of its decision, if earlier."""
    _cec(actor, election, "budget.manage")
    when = as_of or timezone.now()
    if when > timezone.now():
        _refuse(_("The time cannot be in the future."))
    if not BudgetLine.objects.filter(election=election).exists():
        _refuse(_("The estimate has no lines yet."))
    total = sum(BudgetLine.objects.filter(election=election).values_list("planned", flat=True)) or Decimal(
        "0"
    )
    audit_log(action="groups.budget.approved", actor=actor, election=election, data={"total": str(total)})
    _complete(
        election,
        "estimate",
        _("The estimate is approved: %(total)s in all.") % {"total": total},
        when,
    )


@transaction.atomic
def spending_record(
    *,
    commission: Commission,
    actor,
    article: str,
    on_date,
    amount,
    description: str,
    document_ref: str,
    document=None,
) -> Spending:
    election = commission.election
    if actor is not None:
        require(actor, "budget.spend", commission)
        refuse_observers(actor, election)
        own = CommissionMember.objects.filter(commission=commission, user=actor, is_active=True).exists()
        if not own and not is_cec_or_secretariat(actor, election):
            raise PermissionDenied(_("A commission records its own spending."))
    if not BudgetLine.objects.filter(commission=commission, article=article).exists():
        _refuse(
            _(
                "The estimate has no line for this article of %(commission)s: the central commission adds it first."
            )
            % {"commission": commission.name}
        )
    if amount is None or amount <= 0:
        _refuse(_("The amount must be greater than zero."))
    if on_date is None or on_date > timezone.localdate():
        _refuse(_("Give the date of the payment; it cannot be in the future."))
    if not description.strip() or not document_ref.strip():
        _refuse(_("Say what was paid for and give the payment document."))
    spending = Spending(
        election=election,
        commission=commission,
        article=article,
        on_date=on_date,
        amount=amount,
        description=description.strip(),
        document_ref=document_ref.strip(),
        recorded_by=actor,
    )
    if document is not None:
        spending.document = document
    spending.save()
    audit_log(
        action="groups.budget.spent",
        actor=actor,
        obj=spending,
        election=election,
        data={
            "commission": commission.pk,
            "article": article,
            "amount": str(amount),
            "document": spending.document_ref,
        },
    )
    return spending
